import datetime

import pytest
from django.utils import timezone

from events import services
from events.enums import EventStatus, RegistrationStatus
from events.models import Event, EventFeedToken, Registration
from mirpal.models import Topic
from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory, in_days
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db


def members(count: int) -> list:
    return [ProfileFactory(status="approved").user for _ in range(count)]


def statuses(event: Event) -> list[tuple[str, str]]:
    return list(
        Registration.objects.filter(event=event).order_by("pk").values_list("user__email", "status")
    )


def test_registration_confirms_until_full_then_wait_lists():
    event = EventFactory(capacity=2)
    first, second, third = members(3)
    for user in (first, second, third):
        services.registration_respond(event=event, user=user, going=True)
    assert statuses(event) == [
        (first.email, "confirmed"),
        (second.email, "confirmed"),
        (third.email, "waiting"),
    ]


def test_answering_going_twice_keeps_one_registration():
    event = EventFactory(capacity=1)
    (user,) = members(1)
    services.registration_respond(event=event, user=user, going=True)
    services.registration_respond(event=event, user=user, going=True)
    assert statuses(event) == [(user.email, "confirmed")]


def test_cancelling_a_place_promotes_the_first_person_waiting():
    event = EventFactory(capacity=1)
    holder, early, late = members(3)
    services.registration_respond(event=event, user=holder, going=True)
    services.registration_respond(event=event, user=early, going=True)
    services.registration_respond(event=event, user=late, going=True)
    result = services.registration_cancel(event=event, user=holder)
    assert [registration.user for registration in result.promoted] == [early]
    assert statuses(event) == [
        (holder.email, "declined"),
        (early.email, "confirmed"),
        (late.email, "waiting"),
    ]
    assert Registration.objects.get(event=event, user=early).waiting_since is None


def test_leaving_the_wait_list_promotes_no_one():
    event = EventFactory(capacity=1)
    holder, waiting = members(2)
    services.registration_respond(event=event, user=holder, going=True)
    services.registration_respond(event=event, user=waiting, going=True)
    result = services.registration_cancel(event=event, user=waiting)
    assert result.promoted == []
    assert statuses(event) == [(holder.email, "confirmed"), (waiting.email, "declined")]


def test_raising_the_capacity_promotes_from_the_wait_list_in_order():
    event = EventFactory(capacity=1)
    users = members(4)
    for user in users:
        services.registration_respond(event=event, user=user, going=True)
    changed = services.event_update(event=event, by=None, capacity=3)
    assert changed == set()
    assert [status for _email, status in statuses(event)] == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waiting",
    ]


def test_capacity_below_confirmed_is_refused_and_nothing_is_saved():
    event = EventFactory(capacity=3, title_en="Before")
    for user in members(3):
        services.registration_respond(event=event, user=user, going=True)
    with pytest.raises(services.EventError) as caught:
        services.event_update(event=event, by=None, capacity=2, title_en="After")
    assert caught.value.message == ("The capacity cannot be 2: 3 members are already confirmed.")
    assert Event.objects.values_list("capacity", "title_en").get(pk=event.pk) == (3, "Before")


def test_update_refuses_end_before_start_and_saves_nothing():
    event = EventFactory()
    original = (event.starts_at, event.ends_at, event.sequence)
    with pytest.raises(services.EventError) as caught:
        services.event_update(
            event=event, by=None, ends_at=event.starts_at - datetime.timedelta(hours=1)
        )
    assert caught.value.message == "The event must end after it starts."
    assert (
        Event.objects.values_list("starts_at", "ends_at", "sequence").get(pk=event.pk) == original
    )


def test_update_refuses_unknown_time_zone_and_non_http_link():
    event = EventFactory()
    with pytest.raises(services.EventError) as zone:
        services.event_update(event=event, by=None, time_zone="Europe/Atlantis")
    assert zone.value.message == "“Europe/Atlantis” is not a known time zone."
    with pytest.raises(services.EventError) as link:
        services.event_update(event=event, by=None, join_url="file:///etc/passwd")
    assert link.value.message == "Enter a web address that starts with http:// or https://."
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Moscow"


def test_significant_changes_raise_the_sequence_and_are_returned():
    event = EventFactory(sequence=1)
    later = event.starts_at + datetime.timedelta(days=1)
    changed = services.event_update(
        event=event,
        by=None,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
        title_en="New title",
    )
    assert changed == {"starts_at", "ends_at"}
    assert Event.objects.get(pk=event.pk).sequence == 2
    assert event.sequence == 2
    assert services.event_update(event=event, by=None, description_en="Longer text") == set()
    assert services.event_update(event=event, by=None, join_url="https://meet.example/new") == {
        "join_url"
    }
    assert Event.objects.get(pk=event.pk).sequence == 3


def test_status_moves_only_through_publish_and_cancel():
    event = EventFactory()
    with pytest.raises(services.EventError):
        services.event_update(event=event, by=None, status="cancelled")


def test_publish_a_draft_then_not_again():
    event = EventFactory(status=EventStatus.DRAFT, sequence=0, published_at=None)
    services.event_publish(event=event, by=None)
    stored = Event.objects.get(pk=event.pk)
    assert (stored.status, stored.sequence, stored.published_at is not None) == (
        "published",
        1,
        True,
    )
    with pytest.raises(services.EventError) as caught:
        services.event_publish(event=event, by=None)
    assert caught.value.message == "Only a draft can be published; this event is published."


def test_publish_refuses_an_incomplete_draft():
    event = EventFactory(status=EventStatus.DRAFT, platform="")
    with pytest.raises(services.EventError) as caught:
        services.event_publish(event=event, by=None)
    assert caught.value.message == "A video conference needs its video platform."
    assert Event.objects.get(pk=event.pk).status == "draft"


def test_cancel_keeps_registrations_raises_sequence_and_stores_the_reason():
    event = EventFactory(sequence=4)
    RegistrationFactory(event=event)
    services.event_cancel(event=event, by=None, reason="  The speaker is ill.  ")
    stored = Event.objects.get(pk=event.pk)
    assert (stored.status, stored.sequence, stored.cancellation_reason) == (
        "cancelled",
        5,
        "The speaker is ill.",
    )
    assert stored.registrations.count() == 1
    with pytest.raises(services.EventError):
        services.event_cancel(event=event, by=None, reason="")


def test_complete_only_after_the_end():
    event = EventFactory()
    with pytest.raises(services.EventError):
        services.event_complete(event=event, by=None)
    past = EventFactory(starts_at=in_days(-3), ends_at=in_days(-3) + datetime.timedelta(hours=1))
    services.event_complete(event=past, by=None)
    assert Event.objects.get(pk=past.pk).status == "completed"


def test_registration_refused_for_applicants_drafts_cancelled_and_started_events(applicant):
    (user,) = members(1)
    with pytest.raises(services.EventError) as not_member:
        services.registration_respond(event=EventFactory(), user=applicant, going=True)
    assert not_member.value.message == "Only members of the network can register for events."
    with pytest.raises(services.EventError) as draft:
        services.registration_respond(event=EventFactory(status="draft"), user=user, going=True)
    assert draft.value.message == "Registration is possible only for published events."
    with pytest.raises(services.EventError):
        services.registration_respond(event=EventFactory(status="cancelled"), user=user, going=True)
    started = EventFactory(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(services.EventError) as late:
        services.registration_respond(event=started, user=user, going=True)
    assert late.value.message == "This event has already started."
    assert Registration.objects.count() == 0


def test_registration_window_is_enforced():
    (user,) = members(1)
    not_yet = EventFactory(registration_opens_at=in_days(2))
    with pytest.raises(services.EventError) as early:
        services.registration_respond(event=not_yet, user=user, going=True)
    assert early.value.message == "Registration for this event is closed."
    closed = EventFactory(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(services.EventError):
        services.registration_respond(event=closed, user=user, going=True)
    # Saying "not going" stays possible after registration closes.
    services.registration_respond(event=closed, user=user, going=False)
    assert statuses(closed) == [(user.email, "declined")]


def test_create_makes_a_draft_with_a_dated_unique_slug(secretariat):
    starts = datetime.datetime(2031, 5, 14, 9, tzinfo=datetime.UTC)
    first = services.event_create(
        event=Event(
            kind="video_conference",
            title_en="Diaspora bonds",
            title_ru="Облигации диаспоры",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            platform="zoom",
            status="published",
        ),
        by=secretariat,
    )
    second = services.event_create(
        event=Event(
            kind="video_conference",
            title_en="Diaspora bonds",
            title_ru="Облигации диаспоры",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            platform="zoom",
        ),
        by=secretariat,
    )
    assert (first.slug, first.status, first.created_by) == (
        "2031-05-14-diaspora-bonds",
        "draft",
        secretariat,
    )
    assert second.slug == "2031-05-14-diaspora-bonds-2"


def test_duplicate_copies_agenda_topics_and_speakers_but_not_registrations(secretariat):
    expert = ExpertFactory()
    topic = Topic.objects.get(slug="remittances")
    event = EventFactory(topics=[topic], speakers=[expert], capacity=5)
    SessionFactory(event=event, title_en="Opening", speakers=[expert])
    RegistrationFactory(event=event)
    copy = services.event_duplicate(event=event, by=secretariat)
    assert (copy.status, copy.sequence, copy.capacity, copy.created_by) == (
        "draft",
        0,
        5,
        secretariat,
    )
    assert copy.slug != event.slug
    assert list(copy.topics.all()) == [topic]
    assert list(copy.speakers.all()) == [expert]
    assert [(s.title_en, list(s.speakers.all())) for s in copy.sessions.all()] == [
        ("Opening", [expert])
    ]
    assert copy.registrations.count() == 0
    assert event.sessions.count() == 1


def test_feed_token_regenerates_and_the_old_one_is_gone():
    (user,) = members(1)
    first = services.feed_token_get_or_create(user=user).token
    assert services.feed_token_get_or_create(user=user).token == first
    second = services.feed_token_regenerate(user=user).token
    assert second != first
    assert list(EventFeedToken.objects.values_list("token", flat=True)) == [second]


def test_waiting_registration_keeps_its_status_when_answering_going_again():
    event = EventFactory(capacity=1)
    holder, waiting = members(2)
    services.registration_respond(event=event, user=holder, going=True)
    services.registration_respond(event=event, user=waiting, going=True)
    result = services.registration_respond(event=event, user=waiting, going=True)
    assert result.registration.status == RegistrationStatus.WAITING
