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
        from members.personal_data import personal_data_register_members

        personal_data_register_members()
        # Cache invalidation: a staff account's "has a second factor" is forgotten with the key.
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_delete

        from members.mfa import second_factor_forget

        post_delete.connect(
            second_factor_forget, sender=Authenticator, dispatch_uid="members.second_factor_forget"
        )
