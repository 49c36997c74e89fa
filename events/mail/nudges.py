"""Nudges to invitees who have not answered, once, in the last days before registration closes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.enums import EventStatus
from events.mail.invitations import invitation_key
from events.mail.kinds import KIND_NUDGE
from events.mail.rendering import event_mail, keys_unsent, member_zone, recipients
from events.mail.tokens import rsvp_links
from events.models import Event, Invitation
from members.enums import MembershipStatus
from members.models import User
from mirpal.enums import MailKind, OutboxStatus
from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import users_wanting

NUDGE_WAIT = datetime.timedelta(days=2)


def nudge_key(event: Event, user_id: int) -> str:
    return f"event:{event.pk}:nudge:{user_id}:v1"


def nudges_send_due(*, now: datetime.datetime | None = None) -> int:
    """Queue a nudge to invitees who have not answered, once, within the last
    EVENTS_NUDGE_DAYS_BEFORE_CLOSE days before registration closes, to those who have had the
    invitation long enough (NUDGE_WAIT or half their time to answer, and not since today).
    Returns how many."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.EVENTS_NUDGE_DAYS_BEFORE_CLOSE)
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now)
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .annotate(closes=Coalesce("registration_closes_at", "starts_at"))
        .filter(closes__gt=now, closes__lte=now + window)
        .order_by("starts_at", "pk")
    )
    return sum(_nudges_for(event=event, now=now) for event in events)


def _invitations_received(event: Event, invited_at: dict[int, datetime.datetime]) -> dict:
    """When each invitation reached its member: its outbox row's sending time, or its queuing
    time while it waits; the Invitation's own time if the row is gone. An invitation that failed
    or was not sent reached nobody and is left out."""
    keys = {invitation_key(event, user_id): user_id for user_id in invited_at}
    received = dict(invited_at)
    rows = OutboxMessage.objects.filter(idempotency_key__in=list(keys)).values_list(
        "idempotency_key", "status", "sent_at", "created_at"
    )
    for key, status, sent_at, created_at in rows:
        if status in (OutboxStatus.FAILED, OutboxStatus.SKIPPED):
            del received[keys[key]]
        else:
            received[keys[key]] = sent_at or created_at
    return received


def nudge_mail(*, event: Event, user: User, key: str) -> Mail:
    return event_mail(
        template="event_nudge",
        kind=KIND_NUDGE,
        key=key,
        event=event,
        user=user,
        preference_kind=MailKind.INVITATIONS,
        extra={**rsvp_links(event, user), "closes": event.registration_closes()},
    )


@transaction.atomic
def _nudges_for(*, event: Event, now: datetime.datetime) -> int:
    silent = dict(
        Invitation.objects.filter(
            event=event, answer="", user__profile__status=MembershipStatus.APPROVED
        )
        .exclude(user__event_registrations__event=event)
        .values_list("user_id", "invited_at")
    )
    wanting = users_wanting(kind=MailKind.INVITATIONS, user_ids=silent)
    received = _invitations_received(event, {user_id: silent[user_id] for user_id in wanting})
    # Waited long enough: received <= now - min(NUDGE_WAIT, (closes - received) / 2).
    cutoff = max(now - NUDGE_WAIT, now + (now - event.registration_closes()))
    ready = {user_id for user_id, moment in received.items() if moment <= cutoff}
    keys = keys_unsent({user_id: nudge_key(event, user_id) for user_id in ready})
    mails = [
        nudge_mail(event=event, user=user, key=keys[user.pk])
        for user in recipients(keys)
        if now.astimezone(member_zone(user)).date()
        != received[user.pk].astimezone(member_zone(user)).date()
    ]
    return len(outbox_enqueue(mails))
