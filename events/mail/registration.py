"""Mail to a member about their own place at an event: registered, on the wait list, moved up
from it, cancelled by them or by the secretariat.

events.services calls registration_changes_notify in the transaction of the change, so the mail
goes through the outbox once per change: its key names the member, the change and the moment the
registration changed. These mails answer the member's own action or change their place, so no
mail preference applies (as for account mail) and they carry no unsubscribe link. Each carries
the .ics addressed to the member: a REQUEST (ACCEPTED, or TENTATIVE on the wait list), or a
CANCEL that takes the event out of their calendar.
"""

from __future__ import annotations

import datetime

from events import ical
from events.enums import RegistrationStatus
from events.mail.kinds import KIND_REGISTRATION
from events.mail.rendering import PARTSTATS, event_mail
from events.models import Event, Registration
from mirpal.outbox import Mail, outbox_enqueue

CONFIRMED = "confirmed"
WAITING = "waiting"
PROMOTED = "promoted"
CANCELLED = "cancelled"  # by the member
REMOVED = "removed"  # by the secretariat
# The status each change leaves the registration in.
CHANGE_STATUS = {
    CONFIRMED: RegistrationStatus.CONFIRMED,
    PROMOTED: RegistrationStatus.CONFIRMED,
    WAITING: RegistrationStatus.WAITING,
    CANCELLED: RegistrationStatus.DECLINED,
    REMOVED: RegistrationStatus.DECLINED,
}


def registration_key(registration: Registration, change: str) -> str:
    moment = registration.updated_at.astimezone(datetime.UTC)
    return (
        f"event:{registration.event_id}:registration:{registration.user_id}:{change}:"
        f"{moment:%Y%m%dT%H%M%S.%fZ}"
    )


def registration_mail(
    *,
    event: Event,
    registration: Registration,
    change: str,
    key: str,
    calendars: ical.MailCalendars,
) -> Mail:
    status = CHANGE_STATUS[change]
    return event_mail(
        template="event_registration",
        kind=KIND_REGISTRATION,
        key=key,
        event=event,
        user=registration.user,
        calendars=calendars,
        may_join=status == RegistrationStatus.CONFIRMED,
        partstat=PARTSTATS.get(status, "NEEDS-ACTION"),
        removal=status == RegistrationStatus.DECLINED,
        extra={"change": change},
    )


def registration_changes_notify(*, event: Event, changes: list[tuple[Registration, str]]) -> int:
    """Queue one mail per (registration, change), in the caller's transaction; returns how many.
    A change already mailed (the same key) is not mailed again."""
    calendars = ical.MailCalendars()
    mails = [
        registration_mail(
            event=event,
            registration=registration,
            change=change,
            key=registration_key(registration, change),
            calendars=calendars,
        )
        for registration, change in changes
    ]
    return len(outbox_enqueue(mails))
