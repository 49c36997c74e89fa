"""Reads for the good-practice and work-programme endpoints, each with the prefetching that keeps
its query count constant whatever the page size.

Only what anyone may read leaves through the API, whoever asks: published public cases,
published public collections and, of their items, the public targets only; the activities of a
programme year the secretariat has published (Call.programme_published).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from events.enums import EventStatus
from events.models import Event
from exchange.enums import Moderation
from exchange.enums import Visibility as ThreadVisibility
from library.enums import Access
from library.models import Document
from library.search import search_query
from members.models import Expert
from mirpal.models import Topic
from practices.enums import ItemKind, ReviewState, Visibility
from practices.models import Case, Collection, CollectionItem
from programme.models import Activity, Call


def _topics() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.order_by("position", "slug"))


def public_cases() -> QuerySet[Case]:
    return Case.objects.filter(review_state=ReviewState.PUBLISHED, visibility=Visibility.PUBLIC)


def api_cases(
    *, country: str = "", topic: str = "", status: str = "", q: str = ""
) -> QuerySet[Case]:
    """Published public cases, newest first."""
    cases = (
        public_cases()
        .defer("search_vector")
        .prefetch_related(_topics())
        .order_by("-published_at", "-pk")
    )
    if country:
        cases = cases.filter(countries__contains=[country])
    if topic:
        cases = cases.filter(topics__slug=topic)
    if status:
        cases = cases.filter(status=status)
    if q.strip():
        cases = cases.filter(search_vector=search_query(q))
    return cases


def api_case(*, slug: str) -> Case:
    """One published public case with its public documents, events and roster contacts (never
    its contact members: they are members' personal data)."""
    return (
        public_cases()
        .defer("search_vector")
        .prefetch_related(
            _topics(),
            Prefetch(
                "documents",
                queryset=Document.objects.filter(access=Access.PUBLIC)
                .only("pk", "title_en", "title_ru")
                .order_by("-published_on", "-pk"),
            ),
            Prefetch(
                "events",
                queryset=Event.objects.exclude(status=EventStatus.DRAFT)
                .only("pk", "slug", "title_en", "title_ru", "starts_at")
                .order_by("starts_at", "pk"),
            ),
            Prefetch(
                "contact_experts",
                queryset=Expert.objects.filter(is_listed=True)
                .only("pk", "name_en", "name_ru")
                .order_by("name_en", "pk"),
            ),
        )
        .get(slug=slug)
    )


def public_collections() -> QuerySet[Collection]:
    return Collection.objects.filter(is_published=True, visibility=Visibility.PUBLIC)


def api_collections(*, topic: str = "", country: str = "") -> QuerySet[Collection]:
    collections = public_collections().prefetch_related(_topics()).order_by("-published_at", "-pk")
    if topic:
        collections = collections.filter(topics__slug=topic)
    if country:
        collections = collections.filter(countries__contains=[country])
    return collections


# An item is shown when it is a note or its target is something anyone may read.
PUBLIC_ITEM = (
    Q(kind=ItemKind.NOTE)
    | Q(kind=ItemKind.ARTICLE)
    | Q(kind=ItemKind.DOCUMENT, document__access=Access.PUBLIC)
    | Q(
        kind=ItemKind.CASE,
        case__review_state=ReviewState.PUBLISHED,
        case__visibility=Visibility.PUBLIC,
    )
    | (Q(kind=ItemKind.RECORDING) & ~Q(event__status=EventStatus.DRAFT))
    | Q(kind=ItemKind.EXPERT, expert__is_listed=True)
    | Q(
        kind=ItemKind.DISCUSSION,
        thread__visibility=ThreadVisibility.PUBLIC,
        thread__state=Moderation.PUBLISHED,
    )
)
ITEM_FIELDS = (
    "pk",
    "collection",
    "position",
    "kind",
    "note_en",
    "note_ru",
    "article",
    "article__title",
    "article__language",
    "document",
    "document__title_en",
    "document__title_ru",
    "case",
    "case__slug",
    "case__title_en",
    "case__title_ru",
    "event",
    "event__slug",
    "event__title_en",
    "event__title_ru",
    "expert",
    "expert__name_en",
    "expert__name_ru",
    "thread",
    "thread__title",
    "thread__language",
)


def api_collection(*, slug: str) -> Collection:
    """One published public collection with its public items in order, their targets joined in
    the same query."""
    items = (
        CollectionItem.objects.filter(PUBLIC_ITEM)
        .select_related("article", "document", "case", "event", "expert", "thread")
        .only(*ITEM_FIELDS)
        .order_by("position", "pk")
    )
    return (
        public_collections()
        .prefetch_related(_topics(), Prefetch("items", queryset=items, to_attr="public_items"))
        .get(slug=slug)
    )


def published_years() -> QuerySet:
    return Call.objects.filter(programme_published=True).values("year")


def api_activities(
    *,
    year: int | None = None,
    quarter: int | None = None,
    status: str = "",
    kind: str = "",
    country: str = "",
) -> QuerySet[Activity]:
    """Activities of the programme years the secretariat published, by year and quarter."""
    activities = (
        Activity.objects.filter(year__in=published_years())
        .select_related("event", "document", "case")
        .only(
            *(field.name for field in Activity._meta.concrete_fields),
            "event__slug",
            "event__status",
            "event__title_en",
            "event__title_ru",
            "document__title_en",
            "document__title_ru",
            "document__access",
            "case__slug",
            "case__title_en",
            "case__title_ru",
            "case__review_state",
            "case__visibility",
        )
        .prefetch_related(_topics())
        .order_by("year", "quarter", "pk")
    )
    if year:
        activities = activities.filter(year=year)
    if quarter:
        activities = activities.filter(quarter=quarter)
    if status:
        activities = activities.filter(status=status)
    if kind:
        activities = activities.filter(kind=kind)
    if country:
        activities = activities.filter(countries__contains=[country])
    return activities
