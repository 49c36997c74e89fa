"""Reminders, nudges, change notices and cancellation notices."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from events.mail import reminders, tokens
from mirpal.models import MailPreference, OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.events.admin_forms import change_event
from tests.events.mailbox import html_of, ics_of, invite_everyone
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory, UserFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def keys() -> list[str]:
    return sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True))


def test_the_day_before_reminder_goes_even_if_the_scheduler_missed_its_moment(smtp_sink):
    now = timezone.now()
    # The reminder was due 24 h before the start; the scheduler was down then and runs 5 h late.
    event = EventFactory(starts_at=now + 19 * HOUR, ends_at=now + 21 * HOUR)
    registration = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="declined")
    RegistrationFactory(event=event, status="waiting")

    assert reminders.reminders_send_due(now=now) == 1
    assert reminders.reminders_send_due(now=now) == 0  # the next beat run: nothing new
    assert reminders.reminders_send_due(now=now + 10 * HOUR) == 0
    assert keys() == [f"event:{event.pk}:reminder-24h:{registration.user_id}"]
    outbox_send_pending()
    [message] = smtp_sink.messages
    assert message["To"] == registration.user.email
    text = SmtpSink.text(message)
    # A day before, the mail points to the event page: the link is not out yet.
    assert event.join_url not in text
    assert event.passcode not in text
    assert event.join_url not in html_of(message)
    assert f"Event page: http://127.0.0.1:8000{event.get_absolute_url()}" in text
    assert (
        "The join link and passcode will appear on the event page 60 minutes before the start."
        in text
    )
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")


def test_the_hour_before_reminder_carries_the_link_then_nothing_after_the_start(smtp_sink):
    now = timezone.now()
    event = EventFactory(
        starts_at=now + 50 * 60 * datetime.timedelta(seconds=1), ends_at=now + 3 * HOUR
    )
    registration = RegistrationFactory(event=event)
    # Both moments have passed: only the nearer (1 h) reminder goes, not two at once.
    assert reminders.reminders_send_due(now=now) == 1
    assert keys() == [f"event:{event.pk}:reminder-1h:{registration.user_id}"]
    assert reminders.reminders_send_due(now=now) == 0
    outbox_send_pending()
    [message] = smtp_sink.to(registration.user.email)
    assert f"Join link: {event.join_url}" in SmtpSink.text(message)
    assert f"Passcode: {event.passcode}" in SmtpSink.text(message)
    assert event.join_url in html_of(message)
    OutboxMessage.objects.all().delete()
    assert reminders.reminders_send_due(now=now + HOUR) == 0  # started: too late for anything
    assert keys() == []


def test_no_reminder_before_its_moment_and_none_for_those_who_opted_out():
    now = timezone.now()
    event = EventFactory(starts_at=now + 30 * HOUR, ends_at=now + 32 * HOUR)
    wants = RegistrationFactory(event=event)
    opted_out = RegistrationFactory(event=event)
    MailPreference.objects.create(user=opted_out.user, reminders=False)
    suspended = RegistrationFactory(event=event)
    suspended.user.profile.status = "suspended"
    suspended.user.profile.save()
    assert reminders.reminders_send_due(now=now) == 0
    assert reminders.reminders_send_due(now=now + 7 * HOUR) == 1
    assert keys() == [f"event:{event.pk}:reminder-24h:{wants.user_id}"]


def test_reminder_offsets_come_from_settings(settings):
    settings.EVENTS_REMINDER_OFFSETS_HOURS = [48]
    now = timezone.now()
    event = EventFactory(starts_at=now + 40 * HOUR, ends_at=now + 41 * HOUR)
    registration = RegistrationFactory(event=event)
    assert reminders.reminders_send_due(now=now) == 1
    assert keys() == [f"event:{event.pk}:reminder-48h:{registration.user_id}"]


def test_a_change_of_time_mails_the_registrants_once_with_the_new_sequence(smtp_sink):
    event = EventFactory(sequence=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waiting")
    RegistrationFactory(event=event, status="declined")

    services.event_update(event=event, by=None, title_en="A new title")  # not significant
    assert keys() == []
    later = event.starts_at + HOUR
    services.event_update(event=event, by=None, starts_at=later, ends_at=later + 2 * HOUR)
    assert keys() == sorted(
        [
            f"event:{event.pk}:update:{confirmed.user_id}:v2",
            f"event:{event.pk}:update:{waiting.user_id}:v2",
        ]
    )
    services.event_update(event=event, by=None, join_url="https://zoom.example/j/NEW")
    assert OutboxMessage.objects.filter(idempotency_key__endswith=":v3").count() == 2
    outbox_send_pending()
    confirmed_mail = smtp_sink.to(confirmed.user.email)
    assert len(confirmed_mail) == 2
    # Days before the event even the confirmed get the event page, not the new link.
    assert "https://zoom.example/j/NEW" not in SmtpSink.text(confirmed_mail[1])
    assert "https://zoom.example/j/NEW" not in html_of(confirmed_mail[1])
    assert "https://zoom.example/j/NEW" not in SmtpSink.text(smtp_sink.to(waiting.user.email)[1])
    assert "The connection details of an event you registered for have changed." in SmtpSink.text(
        confirmed_mail[1]
    )
    assert ics_of(confirmed_mail[1]).vevent["SEQUENCE"] == 3


def test_cancelling_mails_a_cancelling_ics_to_registrants_and_invitees(smtp_sink):
    event = EventFactory()
    invited = ProfileFactory().user
    declined_invitee = ProfileFactory().user
    confirmed = RegistrationFactory(event=event)
    invite_everyone(event)
    services.rsvp_answer(
        token=tokens.rsvp_token(event=event, user_id=declined_invitee.pk, answer="not_going")
    )
    OutboxMessage.objects.all().delete()

    services.event_cancel(event=event, by=None, reason="The speaker is ill.")
    assert keys() == sorted(
        f"event:{event.pk}:cancellation:{user.pk}:v2" for user in (invited, confirmed.user)
    )
    outbox_send_pending()
    [message] = smtp_sink.to(invited.email)
    assert SmtpSink.subject(message).startswith("[MIRPAL] Cancelled:")
    calendar = ics_of(message)
    assert str(calendar.lib["METHOD"]) == "CANCEL"
    assert str(calendar.vevent["STATUS"]) == "CANCELLED"
    assert "The speaker is ill." in SmtpSink.text(message)


def test_cancelling_a_draft_mails_nobody():
    event = EventFactory(status="draft")
    RegistrationFactory(event=event)
    services.event_cancel(event=event, by=None, reason="")
    assert keys() == []


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def soon_event(minutes: int = 50):
    """An event starting within the join-link lead, on a whole minute as the admin form has it."""
    start = (timezone.now() + datetime.timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return EventFactory(starts_at=start, ends_at=start + 2 * HOUR)


def test_a_change_within_the_hour_carries_the_new_link_to_the_confirmed_only(
    smtp_sink, secretariat
):
    event = soon_event()
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waiting")
    change_event(signed_in(secretariat), event, join_url="https://zoom.example/j/NEW")
    outbox_send_pending()
    [to_confirmed] = smtp_sink.to(confirmed.user.email)
    [to_waiting] = smtp_sink.to(waiting.user.email)
    assert "Join link: https://zoom.example/j/NEW" in SmtpSink.text(to_confirmed)
    assert "zoom.example" not in SmtpSink.text(to_waiting)
    assert "zoom.example" not in html_of(to_waiting)


def test_a_change_after_the_reminder_goes_out_as_the_update_notice_alone(smtp_sink, secretariat):
    event = soon_event()
    registration = RegistrationFactory(event=event)
    assert reminders.reminders_send_due() == 1
    change_event(signed_in(secretariat), event, join_url="https://zoom.example/j/NEW")
    assert reminders.reminders_send_due() == 0
    later = event.starts_at + datetime.timedelta(minutes=10)
    change_event(signed_in(secretariat), event, starts_at=later, ends_at=later + HOUR)
    assert reminders.reminders_send_due() == 0
    outbox_send_pending()
    subjects = [SmtpSink.subject(message) for message in smtp_sink.to(registration.user.email)]
    assert subjects == [
        f"[MIRPAL] Starting soon: {event.title_en}",
        f"[MIRPAL] Changed: {event.title_en}",
        f"[MIRPAL] Changed: {event.title_en}",
    ]
    assert keys() == sorted(
        [
            f"event:{event.pk}:reminder-1h:{registration.user_id}",
            f"event:{event.pk}:update:{registration.user_id}:v2",
            f"event:{event.pk}:update:{registration.user_id}:v3",
        ]
    )


def test_a_change_reaches_every_invitee_who_holds_the_ics_and_has_not_declined(
    smtp_sink, secretariat, client
):
    event = EventFactory(sequence=1, title_en="Return migration")
    silent, declined, going = (ProfileFactory().user for _ in range(3))
    bounced = ProfileFactory(user=UserFactory(email="gone@bounce.example")).user
    invite_everyone(event)
    for user, answer in ((declined, "not_going"), (going, "going")):
        token = tokens.rsvp_token(event=event, user_id=user.pk, answer=answer)
        assert client.post(reverse("events:rsvp", args=[token])).status_code == 200
    outbox_send_pending()  # the invitation to the bounced address fails for good
    smtp_sink.clear()

    later = event.starts_at + 2 * HOUR
    change_event(signed_in(secretariat), event, starts_at=later, ends_at=later + HOUR)
    # The secretariat was invited too (an approved member in the audience "all").
    assert sorted(
        OutboxMessage.objects.filter(kind="event_update").values_list("idempotency_key", flat=True)
    ) == sorted(f"event:{event.pk}:update:{user.pk}:v2" for user in (silent, going, secretariat))
    outbox_send_pending()
    [to_silent] = smtp_sink.to(silent.email)
    text = SmtpSink.text(to_silent)
    assert "The time of an event you were invited to has changed." in text
    assert text.count("/events/answer/") == 2
    calendar = ics_of(to_silent)
    assert (str(calendar.lib["METHOD"]), calendar.vevent["SEQUENCE"]) == ("REQUEST", 2)
    assert calendar.vevent.decoded("DTSTART") == later
    assert calendar.vevent["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    [to_going] = smtp_sink.to(going.email)
    assert "The time of an event you registered for has changed." in SmtpSink.text(to_going)
    assert "/events/answer/" not in SmtpSink.text(to_going)
    assert smtp_sink.to(declined.email) == []
    assert smtp_sink.to(bounced.email) == []
