"""What every event mail shares: one member's mail about an event (event_mail) in their language
and time zone with the .ics addressed to them, and the helpers the mail modules build on."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import replace

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from events import ical
from events.display import event_times
from events.enums import EventStatus, RegistrationStatus
from events.models import Event
from events.selectors import join_link_lead
from members.models import User
from mirpal.mail import mail_render
from mirpal.models import OutboxMessage
from mirpal.outbox import Mail
from mirpal.preferences import unsubscribe_headers, unsubscribe_url

# A registrant's PARTSTAT in the .ics; an invitee who has not answered is NEEDS-ACTION.
PARTSTATS = {RegistrationStatus.CONFIRMED: "ACCEPTED", RegistrationStatus.WAITING: "TENTATIVE"}


def member_zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def recipients(user_ids) -> list[User]:
    return list(User.objects.filter(pk__in=list(user_ids)).select_related("profile").order_by("pk"))


def keys_unsent(keys_by_user: dict[int, str]) -> dict[int, str]:
    """Drop users whose key is in the outbox already, so a repeated run renders nothing."""
    taken = set(
        OutboxMessage.objects.filter(idempotency_key__in=list(keys_by_user.values())).values_list(
            "idempotency_key", flat=True
        )
    )
    return {user_id: key for user_id, key in keys_by_user.items() if key not in taken}


def _join_link_due(event: Event, now: datetime.datetime) -> bool:
    """Whether a mail sent now may carry the join link to someone entitled to it: the window of
    the event page (events.selectors.join_link_access), not earlier."""
    return (
        bool(event.join_url or event.passcode)
        and event.status == EventStatus.PUBLISHED
        and event.starts_at - join_link_lead() <= now
        and not event.has_ended(now)
    )


def event_mail(
    *,
    template: str,
    kind: str,
    key: str,
    event: Event,
    user: User,
    calendars: ical.MailCalendars | None = None,
    preference_kind: str | None = None,
    may_join: bool = False,
    partstat: str = "NEEDS-ACTION",
    removal: bool = False,
    now: datetime.datetime | None = None,
    extra: dict | None = None,
) -> Mail:
    """One member's mail about an event, in their language and time zone.

    `may_join`: the member may see the join link (a confirmed place). The mail carries the link
    and passcode only when written within the join-link window; before it, the event page and
    when the link appears there. `calendars` (the .ics of every mail of one run) attaches the
    .ics addressed to the member: a REQUEST with their PARTSTAT, or a CANCEL when the event is
    cancelled or `removal` takes their place.
    """
    now = now or timezone.now()
    language = user.profile.mail_language
    zone = member_zone(user)
    headers = {}
    if preference_kind:
        headers = unsubscribe_headers(user_id=user.pk, kind=preference_kind)
    join_due = may_join and _join_link_due(event, now)
    with translation.override(language), timezone.override(zone):
        context = {
            "name": user.get_full_name() or user.email,
            "event": event,
            "times": event_times(
                event.starts_at, event.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "join_url": event.join_url if join_due else "",
            "passcode": event.passcode if join_due else "",
            "join_later": may_join
            and not join_due
            and bool(event.join_url or event.passcode)
            and now < event.starts_at - join_link_lead(),
            "join_lead_minutes": int(join_link_lead().total_seconds() // 60),
            "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
            "unsubscribe_url": (
                unsubscribe_url(user_id=user.pk, kind=preference_kind) if preference_kind else ""
            ),
            **(extra or {}),
        }
        mail = mail_render(
            template=template,
            context=context,
            language=language,
            key=key,
            kind=kind,
            to_email=user.email,
            recipient_id=user.pk,
            headers=headers,
        )
    attachments = []
    if calendars:
        method = ical.mail_method(event, removal=removal)
        attendee = ical.Attendee(
            email=user.email,
            name=user.get_full_name(),
            partstat=partstat if method == "REQUEST" else None,
        )
        content = calendars.ics(event, language=language, attendee=attendee, removal=removal)
        attachments.append(
            {
                "filename": "event.ics",
                "content": content.decode(),
                # RFC 6047 2.4: the part names the iTIP method, as calendar clients look for it.
                "mimetype": f"text/calendar; method={method}",
            }
        )
    return replace(mail, attachments=attachments, members_only=True)
