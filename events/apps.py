from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The person's download and account closure ask each app for its part (mirpal's
        # personal_data registry); models can be imported only once the registry is ready.
        from events.personal_data import personal_data_register_events

        personal_data_register_events()
