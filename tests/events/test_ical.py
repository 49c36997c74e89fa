import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from events import services
from mirpal.outbox import outbox_send_pending
from tests.events import rfc5545
from tests.events.admin_forms import change_event
from tests.events.mailbox import ics_of, invite_everyone
from tests.factories.events import EventFactory, RegistrationFactory, in_days
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)
ORGANIZER = "mailto:secretariat@mirpal.example"


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


def test_the_public_ics_is_a_publish_with_its_organizer_and_no_attendee():
    event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2), sequence=3)
    response = Client().get(reverse("events:ics", args=[event.slug]))
    calendar, strict = parse(response), rfc5545.parse(response.content)
    (vevent,) = vevents(calendar)
    (strict_vevent,) = strict.walk("VEVENT")
    assert (calendar["METHOD"], strict.one("METHOD").value) == ("PUBLISH", "PUBLISH")
    # RFC 5546 3.2.1: a PUBLISH names its organizer and no attendees.
    assert str(vevent["ORGANIZER"]) == ORGANIZER
    assert vevent["ORGANIZER"].params["CN"] == "MIRPAL"
    assert "ATTENDEE" not in vevent
    assert strict_vevent.one("ORGANIZER").value == ORGANIZER
    assert strict_vevent.one("ORGANIZER").params == {"CN": ["MIRPAL"]}
    assert strict_vevent.names() == {
        "UID",
        "SEQUENCE",
        "DTSTAMP",
        "LAST-MODIFIED",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
        "URL",
        "LOCATION",
        "ORGANIZER",
        "STATUS",
    }
    assert strict_vevent.one("UID").value == f"event-{event.pk}@127.0.0.1"
    assert strict_vevent.one("SEQUENCE").value == "3"
    assert strict_vevent.one("DTSTART").value == "20300312T100000Z"


def test_a_cancelled_event_downloads_as_a_cancelled_publish():
    """A CANCEL must name the attendees it removes (RFC 5546 3.2.5); a public download has none,
    so the page's file says PUBLISH with STATUS:CANCELLED. The mails carry the CANCEL."""
    event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2), sequence=1)
    services.event_cancel(event=event, by=None, reason="The speaker is ill.")
    response = Client().get(reverse("events:ics", args=[event.slug]))
    calendar, strict = parse(response), rfc5545.parse(response.content)
    (vevent,) = vevents(calendar)
    (strict_vevent,) = strict.walk("VEVENT")
    assert (calendar["METHOD"], strict.one("METHOD").value) == ("PUBLISH", "PUBLISH")
    assert (str(vevent["STATUS"]), strict_vevent.one("STATUS").value) == ("CANCELLED", "CANCELLED")
    assert (vevent["SEQUENCE"], strict_vevent.one("SEQUENCE").value) == (2, "2")
    assert vevent.walk("VALARM") == []
    assert strict_vevent.children == []
    assert "ATTENDEE" not in strict_vevent.names()
    assert strict_vevent.one("ORGANIZER").value == ORGANIZER
    assert "The speaker is ill." in str(vevent["DESCRIPTION"])
    assert "The speaker is ill." in strict_vevent.one("DESCRIPTION").text()


def test_mailed_calendars_invite_update_and_cancel_the_member_by_uid_and_sequence(
    smtp_sink, secretariat
):
    """What Outlook, Google and Apple Calendar need to add, move and remove the event: a REQUEST
    then a CANCEL (and the mail part's method=), the same UID, a growing SEQUENCE, a DTSTAMP,
    the secretariat as ORGANIZER and the member as ATTENDEE."""
    member = ProfileFactory(user__first_name="Aida", user__last_name="Bekova").user
    event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=2), sequence=1)
    invite_everyone(event)
    admin = Client()
    admin.force_login(secretariat)
    later = START + datetime.timedelta(days=1)
    change_event(admin, event, starts_at=later, ends_at=later + datetime.timedelta(hours=2))
    response = admin.post(
        reverse("admin:events_event_changelist"),
        {
            "action": "cancel_events",
            "_selected_action": [event.pk],
            "apply": "1",
            "reason": "The speaker is ill.",
        },
    )
    assert response.status_code == 302
    outbox_send_pending()
    invitation, update, cancellation = (ics_of(m) for m in smtp_sink.to(member.email))

    expected = [("REQUEST", 1, "NEEDS-ACTION"), ("REQUEST", 2, "NEEDS-ACTION"), ("CANCEL", 3, None)]
    for ics, (method, sequence, partstat) in zip(
        (invitation, update, cancellation), expected, strict=True
    ):
        vevent, strict = ics.vevent, ics.strict_vevent
        assert (ics.content_type, ics.method_param) == ("text/calendar", method)
        assert (str(ics.lib["METHOD"]), ics.strict.one("METHOD").value) == (method, method)
        assert str(vevent["UID"]) == strict.one("UID").value == f"event-{event.pk}@127.0.0.1"
        assert (vevent["SEQUENCE"], strict.one("SEQUENCE").value) == (sequence, str(sequence))
        assert vevent.decoded("DTSTAMP").tzinfo is not None
        assert strict.one("DTSTAMP").value.endswith("Z")
        assert str(vevent["ORGANIZER"]) == strict.one("ORGANIZER").value == ORGANIZER
        assert str(vevent["ATTENDEE"]) == strict.one("ATTENDEE").value == f"mailto:{member.email}"
        assert strict.one("ATTENDEE").params["CN"] == ["Aida Bekova"]
        if partstat:
            assert strict.one("ATTENDEE").params["PARTSTAT"] == [partstat]
            assert strict.one("ATTENDEE").params["RSVP"] == ["FALSE"]
            assert strict.one("STATUS").value == "CONFIRMED"
        assert event.join_url not in ics.raw.decode()
    assert invitation.vevent.decoded("DTSTART") == START
    assert update.vevent.decoded("DTSTART") == later
    assert cancellation.strict_vevent.one("STATUS").value == "CANCELLED"
    assert cancellation.strict_vevent.children == []  # no VALARM in a CANCEL


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
    strict = rfc5545.parse(response.content)
    assert strict.all("METHOD") == []
    assert [vevent.all("ATTENDEE") for vevent in strict.walk("VEVENT")] == [[], [], []]
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


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", "the last line does not end with CRLF"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:" + b"x" * 70 + b"\r\nEND:VCALENDAR\r\n", "more than 75"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY\r\nEND:VCALENDAR\r\n", "no ':'"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", "does not close"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nBEGIN:VALARM\r\nEND:VALARM\r\nUID:1\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "UID after a sub-component",
        ),
    ],
)
def test_the_strict_reader_refuses_what_rfc_5545_does_not_allow(raw, message):
    with pytest.raises(rfc5545.Invalid, match=message):
        rfc5545.parse(raw)


def test_the_strict_reader_unfolds_and_splits_parameters():
    raw = (
        b'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN="Bekova, Aida";PARTSTAT=ACCEPTED:mai\r\n'
        b" lto:a@example.org\r\nDESCRIPTION:One\\, two\\;\\nthree\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (vevent,) = rfc5545.parse(raw).walk("VEVENT")
    attendee = vevent.one("ATTENDEE")
    assert (attendee.value, attendee.params) == (
        "mailto:a@example.org",
        {"CN": ["Bekova, Aida"], "PARTSTAT": ["ACCEPTED"]},
    )
    assert vevent.one("DESCRIPTION").text() == "One, two;\nthree"
