"""“Will you join us?” nudges: only to invitees who have had the invitation for a sensible time."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from events.mail import invitations, nudges
from events.models import Invitation, Registration
from mirpal.models import OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.events.mailbox import invite_everyone
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def invite_and_send(event) -> None:
    """Invite everyone through the service and let the outbox deliver the invitations."""
    invite_everyone(event)
    outbox_send_pending()


def invitation_sent_at(event, user, moment: datetime.datetime) -> None:
    """Say when the invitation reached this member (as the outbox recorded its sending)."""
    key = invitations.invitation_key(event, user.pk)
    assert OutboxMessage.objects.filter(idempotency_key=key).update(sent_at=moment) == 1


def nudge_keys() -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(kind="event_nudge").values_list("idempotency_key", flat=True)
    )


def test_no_nudge_minutes_after_the_invitation_even_when_registration_closes_soon(smtp_sink):
    now = timezone.now()
    event = EventFactory(
        starts_at=now + 4 * DAY,
        ends_at=now + 4 * DAY + datetime.timedelta(hours=2),
        registration_closes_at=now + 2 * DAY,
    )
    member = ProfileFactory().user
    invite_and_send(event)
    smtp_sink.clear()

    assert nudges.nudges_send_due(now=now + 5 * MINUTE) == 0
    assert nudges.nudges_send_due(now=now + 20 * 60 * MINUTE) == 0
    # Two days were left when it came: after half of them (one day) a nudge is sensible.
    assert nudges.nudges_send_due(now=now + DAY + MINUTE) == 1
    assert nudges.nudges_send_due(now=now + DAY + 2 * MINUTE) == 0
    assert nudge_keys() == [f"event:{event.pk}:nudge:{member.pk}:v1"]
    outbox_send_pending()
    [nudge] = smtp_sink.to(member.email)
    assert SmtpSink.text(nudge).count("/events/answer/") == 2


def test_a_nudge_waits_two_days_when_plenty_of_time_is_left(settings, smtp_sink):
    settings.EVENTS_NUDGE_DAYS_BEFORE_CLOSE = 3
    now = timezone.now()
    event = EventFactory(
        starts_at=now + 10 * DAY,
        ends_at=now + 10 * DAY + datetime.timedelta(hours=2),
        registration_closes_at=now + 8 * DAY,
    )
    early, late = ProfileFactory().user, ProfileFactory().user
    invite_and_send(event)
    invitation_sent_at(event, early, now)
    invitation_sent_at(event, late, now + 6 * DAY)

    assert nudges.nudges_send_due(now=now + 4 * DAY) == 0  # not yet three days to the close
    # Three days before the close the early invitee has had it five days: nudged. The late one,
    # invited two days before the close, is nudged after half of those two days.
    assert nudges.nudges_send_due(now=now + 5 * DAY + MINUTE) == 1
    assert nudges.nudges_send_due(now=now + 7 * DAY - MINUTE) == 0
    assert nudges.nudges_send_due(now=now + 7 * DAY + MINUTE) == 1
    assert nudge_keys() == sorted(f"event:{event.pk}:nudge:{user.pk}:v1" for user in (early, late))


def test_never_on_the_day_the_invitation_came(smtp_sink):
    """Invited at 08:00 (the member's time) to register by 20:00 that day: half the time has
    passed at 14:00, but a nudge the same day is no use; a member invited the evening before is
    nudged."""
    day = (timezone.now() + 2 * DAY).astimezone(ALMATY).date()

    def at(hour: int, minute: int = 0, days: int = 0) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ALMATY)
        return moment + days * DAY

    event = EventFactory(
        starts_at=at(10, days=1), ends_at=at(12, days=1), registration_closes_at=at(20)
    )
    same_day = ProfileFactory(time_zone="Asia/Almaty").user
    evening_before = ProfileFactory(time_zone="Asia/Almaty").user
    invite_and_send(event)
    invitation_sent_at(event, same_day, at(8))
    invitation_sent_at(event, evening_before, at(22, days=-1))

    assert nudges.nudges_send_due(now=at(14, 30)) == 1
    assert nudges.nudges_send_due(now=at(19, 30)) == 0
    assert nudge_keys() == [f"event:{event.pk}:nudge:{evening_before.pk}:v1"]


def test_an_invitation_still_waiting_in_the_outbox_counts_from_when_it_was_queued(smtp_sink):
    now = timezone.now()
    event = EventFactory(
        starts_at=now + 4 * DAY,
        ends_at=now + 4 * DAY + datetime.timedelta(hours=2),
        registration_closes_at=now + 2 * DAY,
    )
    member = ProfileFactory().user
    invite_everyone(event)
    assert OutboxMessage.objects.get(kind="event_invitation").sent_at is None

    assert nudges.nudges_send_due(now=now + 5 * MINUTE) == 0
    assert nudges.nudges_send_due(now=now + DAY + MINUTE) == 1
    assert nudge_keys() == [f"event:{event.pk}:nudge:{member.pk}:v1"]


def test_no_nudge_to_those_who_answered_or_registered(smtp_sink):
    now = timezone.now()
    event = EventFactory(
        starts_at=now + 5 * DAY,
        ends_at=now + 5 * DAY + datetime.timedelta(hours=2),
        registration_closes_at=now + 2 * DAY,
    )
    silent, answered, registered = (ProfileFactory().user for _ in range(3))
    invite_and_send(event)
    Invitation.objects.filter(user=answered).update(answer="not_going", answered_at=now)
    Registration.objects.create(event=event, user=registered, status="confirmed")

    assert nudges.nudges_send_due(now=now + DAY + MINUTE) == 1
    assert nudge_keys() == [f"event:{event.pk}:nudge:{silent.pk}:v1"]
