"""Reads for the API, each with the prefetching that keeps an endpoint's query count constant
whatever the page size. Visibility is decided here: no drafts, no members-only documents unless
`member` is true."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from events.enums import EventStatus
from events.models import Event, Session
from events.selectors import EventFilters, _filtered, _topics_prefetch
from library.models import Article, Document, Issue
from library.search import visible_documents
from members.models import Expert, ExpertLink
from members.roster.selectors import RosterFilters, roster_experts
from mirpal.models import Topic

PUBLIC_SPEAKER_FIELDS = (
    "pk",
    "name_en",
    "name_ru",
    "title_en",
    "title_ru",
    "affiliation_en",
    "affiliation_ru",
)


def api_events(
    *,
    filters: EventFilters,
    when: str = "upcoming",
    starts_after: datetime.date | None = None,
    starts_before: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Published, cancelled and completed events (never drafts) matching the filters: upcoming
    soonest first, past latest first, or all by start."""
    now = now or timezone.now()
    events = (
        Event.objects.exclude(status=EventStatus.DRAFT)
        .select_related("series")
        .prefetch_related(_topics_prefetch())
    )
    events = _filtered(events, filters)
    if starts_after:
        events = events.filter(starts_at__date__gte=starts_after)
    if starts_before:
        events = events.filter(starts_at__date__lte=starts_before)
    if when == "upcoming":
        return events.filter(ends_at__gt=now).order_by("starts_at", "pk")
    if when == "past":
        return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return events.order_by("starts_at", "pk")


def api_event(*, slug: str) -> Event:
    speakers = Expert.objects.only(*PUBLIC_SPEAKER_FIELDS).order_by("name_en", "pk")
    return (
        Event.objects.exclude(status=EventStatus.DRAFT)
        .select_related("series")
        .prefetch_related(
            _topics_prefetch(),
            Prefetch("speakers", queryset=speakers),
            Prefetch(
                "sessions",
                queryset=Session.objects.order_by("starts_at", "pk").prefetch_related(
                    Prefetch("speakers", queryset=speakers)
                ),
            ),
        )
        .get(slug=slug)
    )


def api_experts(*, filters: RosterFilters) -> QuerySet[Expert]:
    return roster_experts(filters=filters).prefetch_related(
        Prefetch("links", queryset=ExpertLink.objects.order_by("position", "pk"))
    )


def api_topics() -> QuerySet[Topic]:
    return Topic.objects.order_by("position", "slug")


def api_issues() -> QuerySet[Issue]:
    return Issue.objects.order_by("-number")


def api_issue(*, number: int) -> Issue:
    return Issue.objects.prefetch_related(
        Prefetch("articles", queryset=Article.objects.order_by("page_start", "pk"))
    ).get(number=number)


def api_articles(*, issue: int | None = None, topic: str = "") -> QuerySet[Article]:
    articles = (
        Article.objects.select_related("issue")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "slug")))
        .order_by("-issue__number", "page_start", "pk")
    )
    if issue:
        articles = articles.filter(issue__number=issue)
    if topic:
        articles = articles.filter(topics__slug=topic)
    return articles


def api_documents(
    *,
    member: bool,
    kind: str = "",
    topic: str = "",
    country: str = "",
    language: str = "",
    year: int | None = None,
) -> QuerySet[Document]:
    documents = (
        visible_documents(member=member)
        .defer("text", "search_vector")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "slug")))
        .order_by("-published_on", "-pk")
    )
    if kind:
        documents = documents.filter(kind=kind)
    if topic:
        documents = documents.filter(topics__slug=topic)
    if country:
        documents = documents.filter(countries__contains=[country])
    if language:
        documents = documents.filter(language=language)
    if year:
        documents = documents.filter(published_on__year=year)
    return documents
