import datetime

import factory
from django.utils import timezone

from events.enums import EventKind, EventStatus, RegistrationStatus, VideoPlatform
from events.models import Event, Registration, Series, Session
from tests.factories.members import ProfileFactory


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    slug = factory.Sequence(lambda n: f"series-{n}")
    title_en = factory.Sequence(lambda n: f"Remittances seminar {n}")
    title_ru = factory.Sequence(lambda n: f"Семинар о денежных переводах {n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A published video conference ten days from now, as the services would leave it."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"2030-01-01-event-{n}")
    kind = EventKind.VIDEO_CONFERENCE
    status = EventStatus.PUBLISHED
    title_en = factory.Sequence(lambda n: f"Labour migration talk {n}")
    title_ru = factory.Sequence(lambda n: f"Беседа о трудовой миграции {n}")
    description_en = "How bilateral agreements work."
    description_ru = "Как работают двусторонние соглашения."
    countries = factory.LazyFunction(lambda: ["KZ", "KG"])
    languages = factory.LazyFunction(lambda: ["ru", "en"])
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=2))
    time_zone = "Europe/Moscow"
    platform = VideoPlatform.ZOOM
    join_url = factory.Sequence(lambda n: f"https://zoom.example/j/SECRET{n:06d}")
    passcode = factory.Sequence(lambda n: f"pass{n:04d}")
    capacity = None
    published_at = factory.LazyFunction(timezone.now)
    sequence = 1

    @factory.post_generation
    def topics(event, create, extracted, **kwargs):
        if create and extracted:
            event.topics.set(extracted)

    @factory.post_generation
    def speakers(event, create, extracted, **kwargs):
        if create and extracted:
            event.speakers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    title_en = factory.Sequence(lambda n: f"Panel {n}")
    title_ru = factory.Sequence(lambda n: f"Панель {n}")
    starts_at = factory.LazyAttribute(lambda session: session.event.starts_at)
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=1))

    @factory.post_generation
    def speakers(session, create, extracted, **kwargs):
        if create and extracted:
            session.speakers.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.LazyFunction(lambda: ProfileFactory(status="approved").user)
    status = RegistrationStatus.CONFIRMED
    waiting_since = factory.LazyAttribute(
        lambda registration: (
            timezone.now() if registration.status == RegistrationStatus.WAITING else None
        )
    )
