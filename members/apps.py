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
        # Cached lists: the directory shows accounts, profiles and their interests; the roster
        # experts, their topics and links (the API's experts too). The sign-in's last_login
        # shows nowhere, and every sign-in writes it.
        from members.models import Expert, ExpertLink, Profile, User
        from mirpal.fragments import data_changed_on_write
        from mirpal.models import Topic

        data_changed_on_write("members", User, unshown_fields={"last_login"})
        data_changed_on_write("members", Profile, Topic)
        data_changed_on_write("roster", Expert, ExpertLink, Topic)
        # Cache invalidation: a staff account's "has a second factor" is forgotten with the key.
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_delete

        from members.mfa import second_factor_forget

        post_delete.connect(
            second_factor_forget, sender=Authenticator, dispatch_uid="members.second_factor_forget"
        )
        # Cache invalidation: the permission sets of members.backends, on any change to who holds
        # which permission (an is_superuser change needs none: the flag is in the key).
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_migrate, post_save

        from members.backends import permissions_changed
        from members.models import User

        throughs = (User.groups.through, User.user_permissions.through, Group.permissions.through)
        for through in throughs:
            m2m_changed.connect(
                permissions_changed, sender=through, dispatch_uid=f"members.permissions:{through}"
            )
        writes = ((post_save, Permission), (post_delete, Permission), (post_delete, Group))
        for signal, model in writes:
            signal.connect(
                permissions_changed, sender=model, dispatch_uid=f"members.permissions:{model}"
            )
        post_migrate.connect(permissions_changed, dispatch_uid="members.permissions:migrate")
