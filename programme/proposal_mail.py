"""What the proposals part mails, through the outbox: a merge to the authors and supporters of
the proposal merged, and the call's closing reminder to the members. Once each (keyed), in the
recipient's mail language; members-only, so nothing goes to someone whose membership ended
before the mail left. (The official answers' mail is programme.answers'.)"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation

from members.enums import MembershipStatus
from members.models import User
from mirpal.enums import MailKind
from mirpal.mail import mail_render
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import unsubscribe_headers, unsubscribe_url, users_wanting
from programme.enums import PollState
from programme.models import Call, Support

KIND_MERGED = "programme_merged"
KIND_CALL_REMINDER = "programme_call_reminder"
KIND_POLL = "programme_poll"


def merged_key(source_id: int, user_id: int) -> str:
    return f"programme:merged:{source_id}:{user_id}"


def poll_invitation_key(poll_id: int, user_id: int) -> str:
    return f"programme:poll:{poll_id}:{user_id}"


def call_reminder_key(call_id: int, user_id: int) -> str:
    return f"programme:call-reminder:{call_id}:{user_id}"


def _language(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.mail_language if profile else settings.LANGUAGE_CODE


def _render(*, template: str, kind: str, key: str, user, context: dict, headers=None) -> Mail:
    language = _language(user)
    with translation.override(language):
        mail = mail_render(
            template=template,
            context={
                **context,
                "name": user.get_full_name() or user.email,
                "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
                "LANGUAGE_CODE": language,
            },
            language=language,
            key=key,
            kind=kind,
            to_email=user.email,
            recipient_id=user.pk,
            headers=headers,
        )
    return replace(mail, members_only=True)


def proposal_merged_notify(*, source, target, user_ids) -> int:
    """Tell the author and supporters of `source` that it was merged into `target`: one mail
    each (keyed by source and person), in their mail language. Called inside the merge's
    transaction; returns how many mails were queued."""
    users = User.objects.filter(pk__in=set(user_ids), is_active=True).select_related("profile")
    target_url = settings.SITE_URL + target.get_absolute_url()
    mails = [
        _render(
            template="programme_merged",
            kind=KIND_MERGED,
            key=merged_key(source.pk, user.pk),
            user=user,
            context={
                "source": source,
                "target": target,
                "target_url": target_url,
                "note": source.answer,
                "is_author": user.pk == source.author_id,
            },
        )
        for user in users.order_by("pk")
    ]
    return len(outbox_enqueue(mails))


# --- The call's closing reminder.


def _zone(user):
    """The member's time zone, for the closing time in their mail; the site's when unknown."""
    profile = getattr(user, "profile", None)
    try:
        return zoneinfo.ZoneInfo(profile.time_zone) if profile and profile.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def call_reminder_mail(*, call: Call, user, used: int) -> Mail:
    limit = settings.PROGRAMME_SUPPORTS_PER_YEAR
    language = _language(user)
    with translation.override(language):
        title = call.title
    zone = _zone(user) or timezone.get_default_timezone()
    with timezone.override(zone):
        return _render(
            template="programme_call_reminder",
            kind=KIND_CALL_REMINDER,
            key=call_reminder_key(call.pk, user.pk),
            user=user,
            context={
                "call": call,
                "call_title": title,
                "closes_at": call.closes_at,
                "proposals_url": settings.SITE_URL
                + reverse("programme:proposals")
                + f"?year={call.year}",
                "propose_url": settings.SITE_URL + reverse("programme:propose"),
                "used": used,
                "left": max(limit - used, 0),
                "limit": limit,
                "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=MailKind.NEWS),
            },
            headers=unsubscribe_headers(user_id=user.pk, kind=MailKind.NEWS),
        )


def call_reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """For each open call closing within PROGRAMME_CALL_REMINDER_DAYS whose reminder has not
    gone, mail every approved, active member who accepts news and calls from the secretariat
    (MailKind.NEWS), once, and note the call's reminder_sent_at. Each call in its own
    transaction, under a lock on its row: a second run, or two at once, queue nothing more
    (and the outbox keys are unique besides). Returns how many mails were queued."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.PROGRAMME_CALL_REMINDER_DAYS)
    due = Call.objects.filter(
        opens_at__lte=now, closes_at__gt=now, closes_at__lte=horizon, reminder_sent_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(_call_reminder_send(call_id=call_id, now=now) for call_id in list(due))


@transaction.atomic
def _call_reminder_send(*, call_id: int, now: datetime.datetime) -> int:
    call = (
        Call.objects.select_for_update(skip_locked=True)
        .filter(pk=call_id, reminder_sent_at__isnull=True)
        .first()
    )
    if call is None:
        return 0
    members = User.objects.filter(is_active=True, profile__status=MembershipStatus.APPROVED)
    wanting = users_wanting(kind=MailKind.NEWS, user_ids=members.values_list("pk", flat=True))
    used = dict(
        Support.objects.filter(call=call, user_id__in=wanting)
        .values_list("user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    mails = [
        call_reminder_mail(call=call, user=user, used=used.get(user.pk, 0))
        for user in User.objects.filter(pk__in=wanting).select_related("profile").order_by("pk")
    ]
    queued = len(outbox_enqueue(mails))
    call.reminder_sent_at = now
    call.save(update_fields=["reminder_sent_at"])
    return queued


def poll_invitations_send(*, poll) -> int:
    """Ask each invited member to answer the scheduling poll: one mail each (keyed by poll and
    person, so a member added later is asked once and nobody twice), in their mail language,
    while the poll is open. Returns how many mails were queued."""
    if poll.state != PollState.OPEN:
        return 0
    poll_url = settings.SITE_URL + reverse("programme:poll", kwargs={"pk": poll.pk})
    invitees = poll.invitees.filter(
        is_active=True, profile__status=MembershipStatus.APPROVED
    ).select_related("profile")
    slots = poll.slots.count()
    mails = [
        _render(
            template="programme_poll",
            kind=KIND_POLL,
            key=poll_invitation_key(poll.pk, user.pk),
            user=user,
            context={"poll": poll, "poll_url": poll_url, "slots": slots},
        )
        for user in invitees
    ]
    with transaction.atomic():
        return len(outbox_enqueue(mails))
