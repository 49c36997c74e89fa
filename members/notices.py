"""The secretariat is told what arrives: a new application, a new request for an expert.

Who is told: those who may act on it (mirpal.preferences.SECRETARIAT_NOTICE_KINDS gives each kind
its permission), as their mail preference says: at once, one mail for each arrival, written in
the same transaction as the arrival; or in a daily summary (`notices_summaries_send`, run by the
beat); or not at all. Every mail goes through the outbox with an idempotency key, so none goes
twice.

A later kind (a flagged post) adds its line to SECRETARIAT_NOTICE_KINDS, its at-once templates
(mail/notice_<kind>_*) and a section to SUMMARY_SECTIONS, registered from its own app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.enums import MembershipStatus
from members.models import Profile, User
from members.roster.enums import ExpertRequestStatus
from members.roster.models import ExpertRequest
from mirpal.enums import MailKind
from mirpal.mail import mail_render
from mirpal.models import MailPreference, SecretariatNotices
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import SECRETARIAT_NOTICE_KINDS, unsubscribe_headers

MAIL_KIND = "secretariat_notice"
# A summary lists this many arrivals of each kind and counts the rest.
SUMMARY_ITEMS = 20
# The first summary a manager receives looks back this far.
SUMMARY_FIRST_SPAN = datetime.timedelta(days=1)


def notice_recipients(*, kind: str, frequency: str) -> QuerySet[User]:
    """Active users who may act on this kind of notice and chose this frequency; one query.

    A user without a preference row has the default, a daily summary."""
    app_label, codename = SECRETARIAT_NOTICE_KINDS[kind][0].split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holds = (
        Q(is_superuser=True)
        | Exists(
            User.groups.through.objects.filter(
                user=OuterRef("pk"), group__permissions__in=permission
            )
        )
        | Exists(
            User.user_permissions.through.objects.filter(
                user=OuterRef("pk"), permission__in=permission
            )
        )
    )
    chose = Q(mail_preference__secretariat_notices=frequency)
    if frequency == SecretariatNotices.DAILY:
        chose |= Q(mail_preference__isnull=True)
    return (
        User.objects.filter(holds, chose, is_active=True).select_related("profile").order_by("pk")
    )


def _language(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.mail_language if profile is not None else settings.LANGUAGE_CODE


def _notice_mails(*, kind: str, obj, context: dict, exclude_user_id: int | None) -> list[Mail]:
    mails = []
    for user in notice_recipients(kind=kind, frequency=SecretariatNotices.AT_ONCE):
        if user.pk == exclude_user_id:
            continue
        language = _language(user)
        mails.append(
            mail_render(
                template=f"notice_{kind}",
                context={
                    **context,
                    "name": user.get_full_name() or user.email,
                    "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
                    "LANGUAGE_CODE": language,  # the HTML part's lang attribute
                },
                language=language,
                key=f"notice:{kind}:{obj.pk}:{user.pk}",
                kind=MAIL_KIND,
                to_email=user.email,
                recipient_id=user.pk,
                headers=unsubscribe_headers(user_id=user.pk, kind=MailKind.SECRETARIAT_NOTICES),
            )
        )
    return mails


def notices_send(*, kind: str, obj, context: dict, exclude_user_id: int | None = None) -> list[int]:
    """Mail each person who may act on this kind of notice and wants it at once (the templates
    mail/notice_<kind>_*, keyed by `obj`). For the kinds an app above members registers (a
    flagged post): call it inside the transaction of the arrival."""
    return outbox_enqueue(
        _notice_mails(kind=kind, obj=obj, context=context, exclude_user_id=exclude_user_id)
    )


def notices_application_received(*, profile: Profile) -> list[int]:
    """Mail each manager who wants it at once that this person applied. Call it inside the
    transaction that creates the application: the mails commit with it, once each."""
    applicant = profile.user
    return outbox_enqueue(
        _notice_mails(
            kind="application",
            obj=profile,
            context={
                "applicant": applicant.get_full_name() or applicant.email,
                "profile": profile,
                "queue_url": settings.SITE_URL + reverse("members:applications"),
            },
            exclude_user_id=applicant.pk,
        )
    )


def notices_expert_request_received(*, request: ExpertRequest) -> list[int]:
    """Mail each handler of requests who wants it at once that this request arrived (not its
    requester, should a handler ask for an expert). Inside the request's transaction."""
    requester = request.requester
    return outbox_enqueue(
        _notice_mails(
            kind="expert_request",
            obj=request,
            context={
                "request": request,
                "requester": requester.get_full_name() or requester.email,
                "request_url": settings.SITE_URL + request.get_absolute_url(),
                "queue_url": settings.SITE_URL
                + reverse("members:expert_request_queue")
                + f"?status={ExpertRequestStatus.NEW}",
            },
            exclude_user_id=requester.pk,
        )
    )


# --- The daily summary.


@dataclass(frozen=True)
class SummaryItem:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SummarySection:
    kind: str
    title: str | Promise
    queue_url: str
    items: list[SummaryItem]
    more: int


@dataclass(frozen=True)
class SectionSource:
    """One kind's part of the summary: `collect(since, until)` returns what arrived in that span
    and still waits, at most SUMMARY_ITEMS of it, and how many in all."""

    title: str | Promise
    queue_url: Callable[[], str]
    collect: Callable[[datetime.datetime, datetime.datetime], tuple[list[SummaryItem], int]]


def _applications(since, until) -> tuple[list[SummaryItem], int]:
    arrived = Profile.objects.filter(
        status=MembershipStatus.PENDING, applied_at__gt=since, applied_at__lte=until
    )
    rows = list(arrived.select_related("user").order_by("applied_at", "pk")[:SUMMARY_ITEMS])
    total = len(rows) if len(rows) < SUMMARY_ITEMS else arrived.count()
    queue = settings.SITE_URL + reverse("members:applications")
    return [
        SummaryItem(
            title=profile.user.get_full_name() or profile.user.email,
            detail=", ".join(
                part for part in (profile.organisation, str(profile.get_country_display())) if part
            ),
            url=queue,
        )
        for profile in rows
    ], total


def _expert_requests(since, until) -> tuple[list[SummaryItem], int]:
    arrived = ExpertRequest.objects.filter(
        status=ExpertRequestStatus.NEW, created_at__gt=since, created_at__lte=until
    )
    rows = list(
        arrived.select_related("topic", "requester").order_by("created_at", "pk")[:SUMMARY_ITEMS]
    )
    total = len(rows) if len(rows) < SUMMARY_ITEMS else arrived.count()
    return [
        SummaryItem(
            title=f"#{request.pk} {request.topic.name}",
            detail=request.requester.get_full_name() or request.requester.email,
            url=settings.SITE_URL + request.get_absolute_url(),
        )
        for request in rows
    ], total


SUMMARY_SECTIONS: dict[str, SectionSource] = {
    "application": SectionSource(
        title=_("New applications for membership"),
        queue_url=lambda: settings.SITE_URL + reverse("members:applications"),
        collect=_applications,
    ),
    "expert_request": SectionSource(
        title=_("New requests for an expert"),
        queue_url=lambda: (
            settings.SITE_URL
            + reverse("members:expert_request_queue")
            + f"?status={ExpertRequestStatus.NEW}"
        ),
        collect=_expert_requests,
    ),
}


def notices_summary_send(
    *, user: User, kinds: list[str], now: datetime.datetime | None = None
) -> int | None:
    """Mail this manager one summary of what arrived, of these kinds, since their last one and
    still waits; nothing when nothing did. Returns the outbox row's id, or None.

    At most one a day: the key holds the date, and a second run that day writes nothing (what
    arrived between the runs goes into the next day's). One transaction, under a lock on the
    manager's preference row, so two runs at once cannot both read the same span.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        preference, _created = MailPreference.objects.select_for_update().get_or_create(user=user)
        since = preference.notices_summarised_until or now - SUMMARY_FIRST_SPAN
        sections = []
        language = _language(user)
        for kind in kinds:
            source = SUMMARY_SECTIONS[kind]
            with translation.override(language):  # countries and topics named for the reader
                items, total = source.collect(since, now)
            if items:
                sections.append(
                    SummarySection(
                        kind=kind,
                        title=source.title,
                        queue_url=source.queue_url(),
                        items=items,
                        more=total - len(items),
                    )
                )
        written = []
        if sections:
            written = outbox_enqueue(
                [
                    mail_render(
                        template="notice_summary",
                        context={
                            "name": user.get_full_name() or user.email,
                            "sections": sections,
                            "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
                            "LANGUAGE_CODE": language,
                        },
                        language=language,
                        key=f"notice:summary:{user.pk}:{timezone.localdate(now).isoformat()}",
                        kind=MAIL_KIND,
                        to_email=user.email,
                        recipient_id=user.pk,
                        headers=unsubscribe_headers(
                            user_id=user.pk, kind=MailKind.SECRETARIAT_NOTICES
                        ),
                    )
                ]
            )
        if written or not sections:
            MailPreference.objects.filter(pk=preference.pk).update(notices_summarised_until=now)
    return written[0] if written else None


def notices_summaries_send(*, now: datetime.datetime | None = None) -> int:
    """Send the daily summary to every manager who chose it; returns how many were written.
    Safe to run twice: a manager's second summary of the day is never written."""
    now = now or timezone.now()
    kinds_of: dict[int, list[str]] = {}
    users: dict[int, User] = {}
    for kind in SECRETARIAT_NOTICE_KINDS:
        if kind not in SUMMARY_SECTIONS:
            continue
        for user in notice_recipients(kind=kind, frequency=SecretariatNotices.DAILY):
            users.setdefault(user.pk, user)
            kinds_of.setdefault(user.pk, []).append(kind)
    return sum(
        notices_summary_send(user=users[pk], kinds=kinds_of[pk], now=now) is not None
        for pk in sorted(users)
    )
