import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from events import services
from tests.factories.events import EventFactory, RegistrationFactory, in_days
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_event_ics_round_trips_through_an_icalendar_parser():
    event = EventFactory(
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=2),
        time_zone="Asia/Almaty",
        title_en="Remittance corridors",
        sequence=3,
    )
    response = Client().get(reverse("events:ics", args=[event.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = parse(response)
    (vevent,) = vevents(calendar)
    assert calendar["METHOD"] == "PUBLISH"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert b"DTSTART:20300312T100000Z" in response.content
    assert b"DTEND:20300312T120000Z" in response.content
    assert str(vevent["UID"]) == f"event-{event.pk}@127.0.0.1"
    assert vevent["SEQUENCE"] == 3
    assert str(vevent["SUMMARY"]) == "Remittance corridors"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]) == f"http://127.0.0.1:8000{event.get_absolute_url()}"
    (alarm,) = vevent.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -datetime.timedelta(minutes=30)
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert "zoom.example" not in response.content.decode()


def test_a_change_of_time_raises_the_sequence_in_the_ics():
    event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2), sequence=1)
    later = START + datetime.timedelta(days=7)
    services.event_update(
        event=event, by=None, starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )
    (vevent,) = vevents(parse(Client().get(reverse("events:ics", args=[event.slug]))))
    assert vevent["SEQUENCE"] == 2
    assert vevent.decoded("DTSTART") == later
    assert str(vevent["UID"]) == f"event-{event.pk}@127.0.0.1"


def test_a_cancelled_event_is_sent_as_cancelled():
    event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2), sequence=1)
    services.event_cancel(event=event, by=None, reason="The speaker is ill.")
    calendar = parse(Client().get(reverse("events:ics", args=[event.slug])))
    (vevent,) = vevents(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 2
    assert vevent.walk("VALARM") == []
    assert "The speaker is ill." in str(vevent["DESCRIPTION"])


def test_russian_ics_has_the_russian_title():
    event = EventFactory(title_ru="Коридоры денежных переводов")
    client = Client()
    client.cookies["mirpal_language"] = "ru"
    (vevent,) = vevents(parse(client.get(reverse("events:ics", args=[event.slug]))))
    assert str(vevent["SUMMARY"]) == "Коридоры денежных переводов"


def test_personal_feed_lists_the_members_events_and_stops_with_a_new_token():
    member = ProfileFactory(status="approved", mail_language="en").user
    going = EventFactory(title_en="Going", starts_at=in_days(3))
    waiting = EventFactory(title_en="Waiting", starts_at=in_days(4))
    cancelled = EventFactory(title_en="Cancelled", starts_at=in_days(5))
    RegistrationFactory(event=going, user=member)
    RegistrationFactory(event=waiting, user=member, status="waiting")
    RegistrationFactory(event=cancelled, user=member)
    RegistrationFactory(event=EventFactory(title_en="Declined"), user=member, status="declined")
    RegistrationFactory(event=EventFactory(title_en="Someone else's"))
    services.event_cancel(event=cancelled, by=None, reason="")
    token = services.feed_token_get_or_create(user=member)
    response = Client().get(token.get_absolute_url())
    calendar = parse(response)
    assert "METHOD" not in calendar
    found = {str(vevent["SUMMARY"]): str(vevent["STATUS"]) for vevent in vevents(calendar)}
    assert found == {"Going": "CONFIRMED", "Waiting": "TENTATIVE", "Cancelled": "CANCELLED"}
    starts = {str(vevent["SUMMARY"]): vevent.decoded("DTSTART") for vevent in vevents(calendar)}
    assert starts == {
        "Going": going.starts_at,
        "Waiting": waiting.starts_at,
        "Cancelled": cancelled.starts_at,
    }
    assert all(
        line.endswith("Z")
        for line in response.content.decode().split("\r\n")
        if line.startswith(("DTSTART", "DTEND"))
    )
    uids = sorted(str(vevent["UID"]) for vevent in vevents(calendar))
    assert uids == sorted(f"event-{event.pk}@127.0.0.1" for event in (going, waiting, cancelled))

    services.feed_token_regenerate(user=member)
    assert Client().get(token.get_absolute_url()).status_code == 404
    assert Client().get(reverse("events:feed", args=["not-a-token"])).status_code == 404


def test_feed_of_a_suspended_member_is_gone():
    member = ProfileFactory(status="approved").user
    token = services.feed_token_get_or_create(user=member)
    member.profile.status = "suspended"
    member.profile.save()
    assert Client().get(token.get_absolute_url()).status_code == 404
