from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The person's download and account closure ask each app for its part (mirpal's
        # personal_data registry); models can be imported only once the registry is ready.
        from library.personal_data import personal_data_register_library

        personal_data_register_library()
