"""Reminders to the confirmed registrants of an event, queued by the beat task when their moment
has passed (settings.EVENTS_REMINDER_OFFSETS_HOURS before the start), once per offset each."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events import ical
from events.enums import EventStatus, RegistrationStatus
from events.mail.kinds import KIND_REMINDER
from events.mail.rendering import event_mail, recipients
from events.models import Event, Registration
from members.enums import MembershipStatus
from members.models import User
from mirpal.enums import MailKind
from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import users_wanting


def reminder_key(event: Event, hours: int, user_id: int) -> str:
    """One reminder per offset and registrant, whatever changes after it: a change is told by
    its own update notice, not by a second "starting soon"."""
    return f"event:{event.pk}:reminder-{hours}h:{user_id}"


def _reminded(event: Event, hours: int) -> set[int]:
    """Members who had this reminder already, under this key or the earlier one that named the
    calendar revision (…:v<sequence>) or a resend of either."""
    prefix = f"event:{event.pk}:reminder-{hours}h:"
    keys = OutboxMessage.objects.filter(
        kind=KIND_REMINDER, idempotency_key__startswith=prefix
    ).values_list("idempotency_key", flat=True)
    return {int(key[len(prefix) :].split(":")[0]) for key in keys}


def _due_offset(event: Event, now: datetime.datetime) -> int | None:
    """The reminder due now: the nearest offset whose moment has passed (an earlier one missed
    while the scheduler was down is not sent as well)."""
    due = [
        hours
        for hours in settings.EVENTS_REMINDER_OFFSETS_HOURS
        if event.starts_at - datetime.timedelta(hours=hours) <= now
    ]
    return min(due) if due else None


def reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """Queue every reminder whose moment has passed, for events that have not started.

    A reminder missed because the scheduler was down still goes on the next run, as long as the
    event has not started; its key (event, offset, member) makes a second run, or a run after
    the event changed, queue nothing. Confirmed registrants who accept reminders get it; it
    carries the join link only when written within the join-link window.
    Returns how many reminders were queued.
    """
    now = now or timezone.now()
    offsets = settings.EVENTS_REMINDER_OFFSETS_HOURS
    if not offsets:
        return 0
    horizon = now + datetime.timedelta(hours=max(offsets))
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=horizon
    ).order_by("starts_at", "pk")
    queued = 0
    for event in events:
        hours = _due_offset(event, now)
        if hours is not None:
            queued += _reminders_for(event=event, hours=hours, now=now)
    return queued


def reminder_mail(
    *, event: Event, user: User, hours: int, key: str, calendars: ical.MailCalendars, now=None
) -> Mail:
    return event_mail(
        template="event_reminder",
        kind=KIND_REMINDER,
        key=key,
        event=event,
        user=user,
        calendars=calendars,
        preference_kind=MailKind.REMINDERS,
        may_join=True,
        partstat="ACCEPTED",
        now=now,
        extra={"hours": hours},
    )


@transaction.atomic
def _reminders_for(*, event: Event, hours: int, now: datetime.datetime) -> int:
    confirmed = Registration.objects.filter(
        event=event,
        status=RegistrationStatus.CONFIRMED,
        user__profile__status=MembershipStatus.APPROVED,
    ).values_list("user_id", flat=True)
    wanting = users_wanting(kind=MailKind.REMINDERS, user_ids=confirmed) - _reminded(event, hours)
    calendars = ical.MailCalendars(now)
    mails = [
        reminder_mail(
            event=event,
            user=user,
            hours=hours,
            key=reminder_key(event, hours, user.pk),
            calendars=calendars,
            now=now,
        )
        for user in recipients(wanting)
    ]
    return len(outbox_enqueue(mails))


# An invitee is nudged after this long, or after half the time the invitation left them to answer
# when that is shorter, and never on the day it came.
