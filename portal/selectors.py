"""Reads for the home page: each section in one query (two with its prefetch), whatever the
number of rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from events.enums import EventKind, EventStatus
from events.models import Event
from library.enums import Access
from library.models import Article, Document, Issue
from members.enums import MembershipStatus
from members.models import Expert, Profile
from mirpal.countries import Country
from portal.enums import SupporterKind
from portal.models import Supporter

HOME_EVENTS = 4
HOME_DOCUMENTS = 5
HOME_EXPERTS = 4
# What an expert's card on the home page shows.
HOME_EXPERT_FIELDS = (
    "pk",
    "name_en",
    "name_ru",
    "photo",
    "title_en",
    "title_ru",
    "affiliation_en",
    "affiliation_ru",
    "updated_at",
)


def home_figures() -> dict[str, int]:
    """The network at a glance for the home page: approved members, and how many of the nine
    member countries they come from ("international / other" is not a country of the network)."""
    approved = Q(status=MembershipStatus.APPROVED)
    return Profile.objects.aggregate(
        members=Count("id", filter=approved),
        countries=Count("country", filter=approved & ~Q(country=Country.OTHER), distinct=True),
    )


def _coming(now: datetime.datetime) -> QuerySet[Event]:
    # Published events not yet started: the ones a visitor can still register for.
    return Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now)


def home_events(*, now: datetime.datetime | None = None) -> tuple[Event | None, list[Event]]:
    """The next video conference, and the few events after it of any kind (that one left out),
    soonest first; in one query."""
    now = now or timezone.now()
    events = list(
        _coming(now)
        .annotate(
            is_next_conference=Q(
                pk=_coming(now)
                .filter(kind=EventKind.VIDEO_CONFERENCE)
                .order_by("starts_at", "pk")
                .values("pk")[:1]
            )
        )
        .select_related("series")
        .filter(
            Q(is_next_conference=True)
            | Q(pk__in=_coming(now).order_by("starts_at", "pk").values("pk")[: HOME_EVENTS + 1])
        )
        .order_by("starts_at", "pk")
    )
    conference = next((event for event in events if event.is_next_conference), None)
    others = [event for event in events if event is not conference][:HOME_EVENTS]
    return conference, others


def home_issue() -> Issue | None:
    """The latest Migration 21 issue with its articles in page order."""
    articles = Article.objects.only("pk", "issue_id", "title", "authors_text", "page_start")
    return (
        Issue.objects.prefetch_related(
            Prefetch("articles", queryset=articles.order_by("page_start", "pk"))
        )
        .order_by("-number")
        .first()
    )


def home_documents() -> list[Document]:
    """The newest public documents, by their date (index library_document_recent_idx)."""
    return list(
        Document.objects.filter(access=Access.PUBLIC)
        .only("pk", "kind", "title_en", "title_ru", "published_on", "publisher")
        .order_by("-published_on", "-pk")[:HOME_DOCUMENTS]
    )


def home_experts() -> list[Expert]:
    """A few experts of the public roster: those with a photo first, the latest added first."""
    return list(
        Expert.objects.filter(is_listed=True)
        .only(*HOME_EXPERT_FIELDS)
        .order_by(F("photo").desc(), "-created_at", "-pk")[:HOME_EXPERTS]
    )


def home_supporters() -> dict[str, list[Supporter]]:
    """The partners and the donors shown, each in their order."""
    groups: dict[str, list[Supporter]] = {SupporterKind.PARTNER: [], SupporterKind.DONOR: []}
    for supporter in Supporter.objects.filter(is_shown=True).order_by("position", "name_en", "pk"):
        groups[supporter.kind].append(supporter)
    return groups
