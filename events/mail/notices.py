"""Telling everyone who holds an event's .ics that it changed or is cancelled.

events.services calls event_changed_notify and event_cancelled_notify in the transaction of the
change. Who holds the .ics (calendar_holders): the registered and the wait list, and the invitees
who have not declined and whose invitation reached them; each gets the .ics addressed to them
(REQUEST with their PARTSTAT, or CANCEL), keyed by the calendar revision, so each change mails
each of them once. A change after a reminder goes out as this notice alone
(events.mail.reminders.reminder_key).
"""

from __future__ import annotations

from django.utils import timezone

from events import ical
from events.enums import EventStatus, InvitationAnswer, RegistrationStatus
from events.mail.invitations import invitation_key
from events.mail.kinds import KIND_CANCELLATION, KIND_UPDATE
from events.mail.rendering import PARTSTATS, event_mail, keys_unsent, recipients
from events.mail.tokens import rsvp_links
from events.models import Event, Invitation, Registration
from members.enums import MembershipStatus
from members.models import User
from mirpal.enums import OutboxStatus
from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue

# A change of these is worth a mail to the people registered; the time zone alone moves nothing.
NOTIFY_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "join_url",
        "passcode",
        "platform",
        "venue_city",
        "venue_country",
        "venue_address",
    }
)


def calendar_holders(event: Event) -> dict[int, str]:
    """Approved members who hold the event's .ics from its mail, with their registration status:
    the registered and the wait list, and ("") the invitees who have not declined and whose
    invitation reached them (not failed, not skipped)."""
    statuses = dict(
        Registration.objects.filter(
            event=event, user__profile__status=MembershipStatus.APPROVED
        ).values_list("user_id", "status")
    )
    holders = {
        user_id: status
        for user_id, status in statuses.items()
        if status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    }
    invited = (
        Invitation.objects.filter(event=event, user__profile__status=MembershipStatus.APPROVED)
        .exclude(answer=InvitationAnswer.NOT_GOING)
        .values_list("user_id", flat=True)
    )
    # A declined registration is an answer too, given on the event page.
    invitees = {user_id for user_id in invited if user_id not in statuses}
    unreached = OutboxMessage.objects.filter(
        idempotency_key__in=[invitation_key(event, user_id) for user_id in invitees],
        status__in=[OutboxStatus.FAILED, OutboxStatus.SKIPPED],
    ).values_list("recipient_id", flat=True)
    holders.update(dict.fromkeys(invitees - set(unreached), ""))
    return holders


def update_key(event: Event, user_id: int) -> str:
    return f"event:{event.pk}:update:{user_id}:v{event.sequence}"


def update_mail(
    *,
    event: Event,
    user: User,
    status: str,
    key: str,
    changed: set[str],
    calendars: ical.MailCalendars,
) -> Mail:
    """The change notice to a registrant (`status` theirs) or an invitee who has not answered
    (""), who also gets the one-click answers. An empty `changed` says only that details changed."""
    extra = {
        "registered": bool(status),
        "time_changed": bool(changed & {"starts_at", "ends_at"}),
        "link_changed": bool(changed & {"join_url", "passcode", "platform"}),
        "place_changed": bool(changed & {"venue_city", "venue_country", "venue_address"}),
    }
    if not status:
        extra.update(rsvp_links(event, user))
    return event_mail(
        template="event_update",
        kind=KIND_UPDATE,
        key=key,
        event=event,
        user=user,
        calendars=calendars,
        may_join=status == RegistrationStatus.CONFIRMED,
        partstat=PARTSTATS.get(status, "NEEDS-ACTION"),
        extra=extra,
    )


def event_changed_notify(*, event: Event, changed: set[str]) -> int:
    """Mail everyone who holds the event's .ics (calendar_holders) that the time, place or link
    changed, with the updated .ics; keyed by the new calendar revision, so each change mails
    once."""
    if (
        event.status != EventStatus.PUBLISHED
        or not changed & NOTIFY_FIELDS
        or event.has_ended(timezone.now())
    ):
        return 0
    holders = calendar_holders(event)
    keys = keys_unsent({user_id: update_key(event, user_id) for user_id in holders})
    calendars = ical.MailCalendars()
    mails = [
        update_mail(
            event=event,
            user=user,
            status=holders[user.pk],
            key=keys[user.pk],
            changed=changed,
            calendars=calendars,
        )
        for user in recipients(keys)
    ]
    return len(outbox_enqueue(mails))


def cancellation_mail(*, event: Event, user: User, key: str, calendars: ical.MailCalendars) -> Mail:
    return event_mail(
        template="event_cancellation",
        kind=KIND_CANCELLATION,
        key=key,
        event=event,
        user=user,
        calendars=calendars,
    )


def event_cancelled_notify(*, event: Event) -> int:
    """Mail everyone who holds the event's .ics (calendar_holders) that the event is cancelled,
    with a cancelling .ics (METHOD:CANCEL) that removes it from their calendars."""
    if event.has_ended(timezone.now()):
        return 0
    keys = keys_unsent(
        {
            user_id: f"event:{event.pk}:cancellation:{user_id}:v{event.sequence}"
            for user_id in calendar_holders(event)
        }
    )
    calendars = ical.MailCalendars()
    mails = [
        cancellation_mail(event=event, user=user, key=keys[user.pk], calendars=calendars)
        for user in recipients(keys)
    ]
    return len(outbox_enqueue(mails))
