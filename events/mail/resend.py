"""Sending one member an event's mail again, from the secretariat's mail page.

The mail is written afresh for today, never copied from the outbox: a stored reminder may carry
a join link its member may no longer see, a stored invitation a time that has changed since. A
mail that no longer applies to the member (a reminder to someone who has cancelled, say) is
refused with a message for the secretariat, and nothing is sent.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import ical
from events.enums import EventStatus, RegistrationStatus
from events.errors import EventError
from events.mail import kinds, notices
from events.mail.invitations import invitation_mail
from events.mail.nudges import nudge_mail
from events.mail.registration import CHANGE_STATUS, registration_mail
from events.mail.reminders import reminder_mail
from events.models import Event, Invitation, Registration
from members.enums import MembershipStatus
from members.models import User
from mirpal.audit import audit_record
from mirpal.models import AuditAction, OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue

REMINDER_HOURS = re.compile(r":reminder-(\d+)h:")


def _original(event: Event, email: str, kind: str) -> OutboxMessage:
    original = (
        OutboxMessage.objects.filter(
            idempotency_key__startswith=kinds.event_mail_prefix(event),
            kind=kind,
            to_email__iexact=email.strip(),
        )
        .exclude(idempotency_key__contains=":resend-")
        .order_by("-id")
        .first()
    )
    if original is None:
        raise EventError(
            _("%(email)s was sent no mail of this kind about this event.") % {"email": email}
        )
    return original


def _open_for_answers(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        raise EventError(_("Nothing was sent: the event is no longer open for answers."))


def _render(*, kind: str, event: Event, user: User, key: str, original: OutboxMessage) -> Mail:
    """The mail of this kind as it reads today, or EventError if it no longer applies."""
    email = user.email
    calendars = ical.MailCalendars()
    registration = Registration.objects.filter(event=event, user=user).first()
    status = registration.status if registration else None
    if kind in (kinds.KIND_INVITATION, kinds.KIND_NUDGE):
        _open_for_answers(event)
        if not Invitation.objects.filter(event=event, user=user).exists():
            raise EventError(_("%(email)s is not invited to this event.") % {"email": email})
        if kind == kinds.KIND_NUDGE:
            return nudge_mail(event=event, user=user, key=key)
        return invitation_mail(event=event, user=user, key=key, calendars=calendars)
    if kind == kinds.KIND_REMINDER:
        if event.status != EventStatus.PUBLISHED or event.has_ended(timezone.now()):
            raise EventError(_("No reminder was sent: the event is cancelled or over."))
        if status != RegistrationStatus.CONFIRMED:
            raise EventError(
                _("%(email)s is no longer registered for this event: no reminder was sent.")
                % {"email": email}
            )
        hours = int(REMINDER_HOURS.search(original.idempotency_key).group(1))
        return reminder_mail(event=event, user=user, hours=hours, key=key, calendars=calendars)
    if kind == kinds.KIND_UPDATE:
        holders = notices.calendar_holders(event)
        if event.status != EventStatus.PUBLISHED or user.pk not in holders:
            raise EventError(
                _(
                    "%(email)s is no longer registered for or invited to this event: nothing "
                    "was sent."
                )
                % {"email": email}
            )
        return notices.update_mail(
            event=event,
            user=user,
            status=holders[user.pk],
            key=key,
            changed=set(),
            calendars=calendars,
        )
    if kind == kinds.KIND_CANCELLATION:
        return notices.cancellation_mail(event=event, user=user, key=key, calendars=calendars)
    # A registration mail: the change it told, if the registration still stands so.
    change = original.idempotency_key.split(":")[4]
    if registration is None or CHANGE_STATUS[change] != status:
        raise EventError(
            _("The registration of %(email)s has changed since this mail: nothing was sent.")
            % {"email": email}
        )
    return registration_mail(
        event=event, registration=registration, change=change, key=key, calendars=calendars
    )


@transaction.atomic(durable=True)
def event_mail_resend(*, event: Event, email: str, kind: str, by: User | None) -> int:
    """Write one member the latest mail of this kind about the event again, as it reads today,
    as a new outbox row keyed `<original key>:resend-<n>` (so it gets its own Message-ID).
    Raises EventError, sending nothing, when the mail no longer applies to the member. The audit
    log records who sent it (`by`) against the event. Returns the new row's id."""
    if kind not in kinds.MAIL_KIND_LABELS:
        raise EventError(_("Choose which mail to send again."))
    original = _original(event, email, kind)
    user = (
        User.objects.select_related("profile")
        .filter(pk=original.recipient_id, profile__status=MembershipStatus.APPROVED)
        .first()
    )
    if user is None:
        raise EventError(
            _("%(email)s is no longer an approved member: nothing was sent.") % {"email": email}
        )
    # The event's row lock orders this after any change or registration under way.
    locked = Event.objects.select_for_update().get(pk=event.pk)
    resends = OutboxMessage.objects.filter(
        idempotency_key__startswith=original.idempotency_key + ":resend-"
    ).count()
    key = f"{original.idempotency_key}:resend-{resends + 1}"
    ids = outbox_enqueue([_render(kind=kind, event=locked, user=user, key=key, original=original)])
    if not ids:
        raise EventError(_("This mail is being sent again already."))
    audit_record(
        actor=by, action=AuditAction.SEND, obj=locked, after={"outbox": ids[0], "key": key}
    )
    return ids[0]
