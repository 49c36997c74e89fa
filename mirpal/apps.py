from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from mirpal.roles import roles_sync
    from mirpal.sites import site_sync
    from mirpal.topics import topics_sync

    # Also after a test's flush, which re-runs post_migrate but not the data migrations.
    topics_sync()
    roles_sync()
    site_sync()


class MirpalConfig(AppConfig):
    name = "mirpal"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from mirpal.csrf_mask import csrf_mask_install

        csrf_mask_install()
        # Permissions exist only after migrate has created them, so the group follows migrate.
        post_migrate.connect(_sync_roles, dispatch_uid="mirpal.roles_sync")
        # allauth's signals and models are importable only once the registry is ready.
        from mirpal.security_receivers import security_receivers_connect

        security_receivers_connect()
        from mirpal.personal_data import personal_data_register_ground

        personal_data_register_ground()
