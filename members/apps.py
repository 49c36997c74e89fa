from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models can be imported only once the registry is ready, that is here.
        from members.mail_recipients import outbox_rows_to_lapsed_members
        from mirpal.outbox import outbox_recipient_filter_register

        outbox_recipient_filter_register(
            outbox_rows_to_lapsed_members, reason="recipient is not an approved member"
        )
