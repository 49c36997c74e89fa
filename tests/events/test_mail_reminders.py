"""Reminders, nudges, change notices and cancellation notices."""

import datetime

import pytest
from django.utils import timezone

from events import mailings, services
from events.models import Invitation, Registration
from mirpal.models import MailPreference, OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory
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

    assert mailings.reminders_send_due(now=now) == 1
    assert mailings.reminders_send_due(now=now) == 0  # the next beat run: nothing new
    assert mailings.reminders_send_due(now=now + 10 * HOUR) == 0
    assert keys() == [f"event:{event.pk}:reminder-24h:{registration.user_id}:v1"]
    outbox_send_pending()
    [message] = smtp_sink.messages
    assert message["To"] == registration.user.email
    assert event.join_url in SmtpSink.text(message)
    assert event.passcode in SmtpSink.text(message)
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")


def test_the_hour_before_reminder_then_nothing_after_the_start():
    now = timezone.now()
    event = EventFactory(
        starts_at=now + 50 * 60 * datetime.timedelta(seconds=1), ends_at=now + 3 * HOUR
    )
    registration = RegistrationFactory(event=event)
    # Both moments have passed: only the nearer (1 h) reminder goes, not two at once.
    assert mailings.reminders_send_due(now=now) == 1
    assert keys() == [f"event:{event.pk}:reminder-1h:{registration.user_id}:v1"]
    assert mailings.reminders_send_due(now=now) == 0
    OutboxMessage.objects.all().delete()
    assert mailings.reminders_send_due(now=now + HOUR) == 0  # started: too late for anything
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
    assert mailings.reminders_send_due(now=now) == 0
    assert mailings.reminders_send_due(now=now + 7 * HOUR) == 1
    assert keys() == [f"event:{event.pk}:reminder-24h:{wants.user_id}:v1"]


def test_reminder_offsets_come_from_settings(settings):
    settings.EVENTS_REMINDER_OFFSETS_HOURS = [48]
    now = timezone.now()
    event = EventFactory(starts_at=now + 40 * HOUR, ends_at=now + 41 * HOUR)
    registration = RegistrationFactory(event=event)
    assert mailings.reminders_send_due(now=now) == 1
    assert keys() == [f"event:{event.pk}:reminder-48h:{registration.user_id}:v1"]


def test_a_nudge_goes_once_to_invitees_who_have_not_answered(settings, smtp_sink):
    settings.EVENTS_NUDGE_DAYS_BEFORE_CLOSE = 3
    now = timezone.now()
    event = EventFactory(
        starts_at=now + datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=5, hours=2),
        registration_closes_at=now + datetime.timedelta(days=2),
    )
    silent, answered, registered = (ProfileFactory().user for _ in range(3))
    mailings.event_invite(event=event, audience=mailings.Audience(kind="all"), by=None)
    Invitation.objects.filter(user=answered).update(answer="not_going", answered_at=now)
    Registration.objects.create(event=event, user=registered, status="confirmed")
    OutboxMessage.objects.all().delete()

    assert mailings.nudges_send_due(now=now - datetime.timedelta(days=2)) == 0  # too early
    assert mailings.nudges_send_due(now=now) == 1
    assert mailings.nudges_send_due(now=now) == 0
    assert keys() == [f"event:{event.pk}:nudge:{silent.pk}:v1"]
    outbox_send_pending()
    assert "/events/answer/" in SmtpSink.text(smtp_sink.to(silent.email)[0])


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
    assert "https://zoom.example/j/NEW" in SmtpSink.text(confirmed_mail[1])
    assert "https://zoom.example/j/NEW" not in SmtpSink.text(smtp_sink.to(waiting.user.email)[1])
    assert "SEQUENCE:3" in confirmed_mail[1].get_payload()[1].get_content()


def test_cancelling_mails_a_cancelling_ics_to_registrants_and_invitees(smtp_sink):
    event = EventFactory()
    invited = ProfileFactory().user
    declined_invitee = ProfileFactory().user
    confirmed = RegistrationFactory(event=event)
    mailings.event_invite(event=event, audience=mailings.Audience(kind="all"), by=None)
    mailings.rsvp_answer(
        token=mailings.rsvp_token(event=event, user_id=declined_invitee.pk, answer="not_going")
    )
    OutboxMessage.objects.all().delete()

    services.event_cancel(event=event, by=None, reason="The speaker is ill.")
    assert keys() == sorted(
        f"event:{event.pk}:cancellation:{user.pk}:v2" for user in (invited, confirmed.user)
    )
    outbox_send_pending()
    [message] = smtp_sink.to(invited.email)
    assert SmtpSink.subject(message).startswith("[MIRPAL] Cancelled:")
    calendar = next(iter(message.iter_attachments())).get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "METHOD:CANCEL" in calendar
    assert "STATUS:CANCELLED" in calendar
    assert "The speaker is ill." in SmtpSink.text(message)


def test_cancelling_a_draft_mails_nobody():
    event = EventFactory(status="draft")
    RegistrationFactory(event=event)
    services.event_cancel(event=event, by=None, reason="")
    assert keys() == []
