import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, Registration
from tests.factories.events import EventFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def _errors(event: Event) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return caught.value.message_dict


def test_end_before_start_is_refused_by_clean_and_by_the_database():
    event = EventFactory.build(
        starts_at=in_days(5), ends_at=in_days(5) - datetime.timedelta(hours=1)
    )
    assert _errors(event)["ends_at"] == ["The event must end after it starts."]
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    assert Event.objects.count() == 0


def test_join_link_must_be_http_or_https_in_clean_and_database():
    event = EventFactory.build(join_url="javascript:alert(1)")
    assert _errors(event)["join_url"] == [
        "Enter a web address that starts with http:// or https://."
    ]
    ftp = EventFactory.build(join_url="ftp://files.example/meeting")
    assert _errors(ftp)["join_url"] == ["Enter a web address that starts with http:// or https://."]
    with pytest.raises(IntegrityError), transaction.atomic():
        ftp.save()


def test_unknown_time_zone_is_refused():
    event = EventFactory.build(time_zone="Mars/Olympus_Mons")
    assert _errors(event)["time_zone"] == ["“Mars/Olympus_Mons” is not a known time zone."]


def test_negative_capacity_is_refused_by_the_database():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(capacity=-1)


def test_in_person_event_needs_a_venue_and_video_conference_a_platform():
    conference = EventFactory.build(kind="annual_conference", platform="", venue_city="")
    assert _errors(conference)["venue_city"] == [
        "An event held in person needs the city and the country of its venue."
    ]
    online = EventFactory.build(platform="")
    assert _errors(online)["platform"] == ["A video conference needs its video platform."]


def test_reserved_slug_is_refused():
    event = EventFactory.build(slug="calendar")
    assert _errors(event)["slug"] == ["“calendar” is the address of another page; choose another."]


def test_one_registration_per_member_and_event():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=registration.event, user=registration.user, status="declined"
        )


def test_speakers_appear_on_the_expert_as_events_spoken():
    from tests.factories.roster import ExpertFactory

    expert = ExpertFactory()
    published = EventFactory(speakers=[expert])
    EventFactory(speakers=[expert], status="draft")
    assert list(expert.events_spoken.visible_to(None)) == [published]
