"""The members' weekly or monthly digest: new events, library documents and articles matching the
topics and countries each member follows, and the sections the apps above register
(`digest_section_register`: the peer exchange's new questions and replies)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from events.display import event_times
from events.enums import EventStatus
from events.mail.kinds import KIND_DIGEST
from events.mail.rendering import keys_unsent, member_zone
from events.models import Event
from library.models import Article, Document
from members.enums import MembershipStatus
from members.models import User
from mirpal.enums import DigestFrequency, MailKind
from mirpal.mail import mail_render
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import unsubscribe_headers, unsubscribe_url


def digest_period(
    *, frequency: str, now: datetime.datetime
) -> tuple[str, datetime.datetime, datetime.datetime]:
    """The last full week (Monday to Monday, UTC) or month before now, and its label."""
    today = now.astimezone(datetime.UTC).date()
    if frequency == DigestFrequency.WEEKLY:
        end = today - datetime.timedelta(days=today.weekday())
        start = end - datetime.timedelta(days=7)
        year, week, _day = start.isocalendar()
        label = f"{year}-W{week:02d}"
    elif frequency == DigestFrequency.MONTHLY:
        end = today.replace(day=1)
        start = (end - datetime.timedelta(days=1)).replace(day=1)
        label = f"{start:%Y-%m}"
    else:
        raise ValueError(frequency)

    def moment(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)

    return label, moment(start), moment(end)


@dataclass(frozen=True)
class DigestItem:
    kind: str  # "event", "document" or "article"
    obj: object
    url: str
    topic_ids: frozenset[int]
    countries: frozenset[str]


@dataclass(frozen=True)
class DigestEntry:
    title: str
    url: str
    note: str | Promise = ""


@dataclass(frozen=True)
class DigestSection:
    """A part of the digest an app above events writes: a heading and its lines, each line
    linking to the page (lazy strings are rendered in the reader's language)."""

    title: str | Promise
    entries: list[DigestEntry]


# A provider gets the members about to receive a digest (profile and mail_preference loaded) and
# the period, and returns the sections for those it has something for: {user id: [sections]}.
# It answers for all of them at once, in a fixed number of queries.
DigestSectionProvider = Callable[..., dict[int, list[DigestSection]]]
_section_providers: list[DigestSectionProvider] = []


def digest_section_register(provider: DigestSectionProvider) -> None:
    """Add a section to every digest (from an AppConfig.ready(): events imports no app above
    it). A member with only such sections gets a digest too. Registering again changes nothing."""
    if all(provider is not registered for registered in _section_providers):
        _section_providers.append(provider)


def _digest_sections(*, users, start, end) -> dict[int, list[DigestSection]]:
    sections: dict[int, list[DigestSection]] = {}
    for provider in _section_providers:
        for user_id, found in provider(users=users, start=start, end=end).items():
            sections.setdefault(user_id, []).extend(section for section in found if section.entries)
    return sections


def _digest_items(*, start, end, now) -> list[DigestItem]:
    events = (
        Event.objects.filter(
            status=EventStatus.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
            starts_at__gt=now,
        )
        .prefetch_related("topics")
        .order_by("starts_at", "pk")
    )
    items = [
        DigestItem(
            "event",
            event,
            settings.SITE_URL + event.get_absolute_url(),
            frozenset(topic.pk for topic in event.topics.all()),
            frozenset(event.countries),
        )
        for event in events
    ]
    for document in (
        Document.objects.filter(created_at__gte=start, created_at__lt=end)
        .prefetch_related("topics")
        .order_by("-published_on", "pk")
    ):
        items.append(
            DigestItem(
                "document",
                document,
                settings.SITE_URL + reverse("library:document", args=[document.pk]),
                frozenset(topic.pk for topic in document.topics.all()),
                frozenset(document.countries),
            )
        )
    for article in (
        Article.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("issue")
        .prefetch_related("topics")
        .order_by("issue__number", "page_start", "pk")
    ):
        items.append(
            DigestItem(
                "article",
                article,
                settings.SITE_URL + reverse("library:article", args=[article.pk]),
                frozenset(topic.pk for topic in article.topics.all()),
                frozenset(article.countries),
            )
        )
    return items


def digests_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Queue the digest of the last week or month to each approved member on that frequency who
    follows a topic (their interests) or a country matching something new: events published and
    still to come, library documents and articles added, and the registered sections (the
    discussions they follow, when they chose to hear of them here). Members with nothing matching
    and no section get no mail. Keyed f"digest:{frequency}:{period}:{user}", so a repeated run
    sends nothing new."""
    now = now or timezone.now()
    period, start, end = digest_period(frequency=frequency, now=now)
    items = _digest_items(start=start, end=end, now=now)
    if not items and not _section_providers:
        return 0
    users = User.objects.filter(is_active=True, profile__status=MembershipStatus.APPROVED)
    if frequency == DigestFrequency.WEEKLY:
        # No preference row means the defaults, which include the weekly digest.
        users = users.exclude(
            mail_preference__digest__in=[DigestFrequency.MONTHLY, DigestFrequency.NEVER]
        )
    else:
        users = users.filter(mail_preference__digest=frequency)
    users = list(
        users.select_related("profile", "mail_preference").prefetch_related("profile__interests")
    )
    keys = {user.pk: f"digest:{frequency}:{period}:{user.pk}" for user in users}
    keys = keys_unsent(keys)
    sections = _digest_sections(
        users=[user for user in users if user.pk in keys], start=start, end=end
    )
    queued = 0
    batch: list[Mail] = []
    for user in users:
        if user.pk not in keys:
            continue
        topics = {topic.pk for topic in user.profile.interests.all()}
        preference = getattr(user, "mail_preference", None)
        countries = set(preference.followed_countries) if preference else set()
        matching = [item for item in items if item.topic_ids & topics or item.countries & countries]
        extra = sections.get(user.pk, [])
        if not matching and not extra:
            continue
        batch.append(
            _digest_mail(
                user=user, key=keys[user.pk], items=matching, period=period, sections=extra
            )
        )
        if len(batch) >= 500:
            queued += _enqueue_now(batch)
            batch = []
    return queued + _enqueue_now(batch)


def _enqueue_now(mails: list[Mail]) -> int:
    with transaction.atomic():
        return len(outbox_enqueue(mails))


def _digest_mail(
    *,
    user: User,
    key: str,
    items: list[DigestItem],
    period: str,
    sections: list[DigestSection] | None = None,
) -> Mail:
    language = user.profile.mail_language
    zone = member_zone(user)
    with translation.override(language), timezone.override(zone):
        events = [
            {
                "item": item,
                "times": event_times(
                    item.obj.starts_at,
                    item.obj.ends_at,
                    event_zone=item.obj.time_zone,
                    viewer_zone=zone,
                ),
            }
            for item in items
            if item.kind == "event"
        ]
        mail = mail_render(
            template="event_digest",
            context={
                "name": user.get_full_name() or user.email,
                "period": period,
                "events": events,
                "library": [item for item in items if item.kind != "event"],
                "sections": sections or [],
                "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
                "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=MailKind.DIGEST),
            },
            language=language,
            key=key,
            kind=KIND_DIGEST,
            to_email=user.email,
            recipient_id=user.pk,
            headers=unsubscribe_headers(user_id=user.pk, kind=MailKind.DIGEST),
        )
    return replace(mail, members_only=True)
