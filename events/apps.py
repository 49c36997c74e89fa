from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The person's download and account closure ask each app for its part (mirpal's
        # personal_data registry); models can be imported only once the registry is ready.
        from events.models import Event, Series
        from events.personal_data import personal_data_register_events
        from mirpal.fragments import data_changed_on_write
        from mirpal.models import Topic

        personal_data_register_events()
        # The cached event lists show events (with their topics, through Event's many-to-many)
        # and the titles of series and topics. Registrations are left out: the cards do not
        # count places, and each viewer's own answer is added outside the cache.
        data_changed_on_write("events", Event, Series, Topic)
        from django.db.models.signals import post_delete, post_save

        from events.models import Registration
        from events.selectors import viewer_registrations_forget

        def registrations_changed(sender, instance, **kwargs):
            viewer_registrations_forget(instance.user_id)

        for signal in (post_save, post_delete):
            signal.connect(
                registrations_changed,
                sender=Registration,
                weak=False,
                dispatch_uid=f"events:viewer-registrations:{signal}",
            )
