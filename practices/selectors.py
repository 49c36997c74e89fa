"""Reads of good-practice cases for their list, their page, the comparisons and the search, with
the prefetching that keeps each page's query count whatever the number of cases.

Who sees which case is practices.visibility's answer (cases_visible_to, case_readable); what a
case links to (documents, events, discussions) is filtered here by the viewer's own rights in
the library, the events and the exchange.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from events.models import Event
from exchange.selectors import threads_visible_to
from library.search import search_query, visible_documents
from members.models import Expert, User
from members.permissions import is_member
from mirpal.models import Topic
from mirpal.pages import UncountedPage, uncounted_page
from practices.enums import CaseStatus
from practices.models import CASE_COUNTRIES, Case
from practices.visibility import cases_visible_to

# The nine countries in the order of the Country enum: lists and comparisons follow it.
COUNTRY_ORDER = [code for code, _label in CASE_COUNTRIES]

# What a row of the list shows (templates/practices/_list_body.html): the long texts of the
# measure stay in the database, but the summaries in both languages come along.
ROW_FIELDS = (
    "id",
    "slug",
    "title_en",
    "title_ru",
    "summary_en",
    "summary_ru",
    "countries",
    "year_from",
    "year_to",
    "status",
    "visibility",
    "review_state",
    "published_at",
)


def topics_shown() -> QuerySet[Topic]:
    return Topic.objects.only("id", "slug", "name_en", "name_ru").order_by("position", "slug")


def _filtered(
    cases: QuerySet[Case], *, topic: Topic | None, country: str, status: str
) -> QuerySet[Case]:
    if topic is not None:
        cases = cases.filter(topics=topic.pk)
    if country:
        cases = cases.filter(countries__contains=[country])
    if status:
        cases = cases.filter(status=status)
    return cases


def case_list(
    *,
    user,
    topic: Topic | None = None,
    country: str = "",
    status: str = "",
    query: str = "",
    member: bool | None = None,
) -> QuerySet[Case]:
    """The published cases `user` may read, filtered by a topic, a country code, the measure's
    status and words (matched in both languages' stems, the best ranked first; else the newest
    published first), with only the fields a row shows and their topics prefetched: one query
    for the rows, one for their topics."""
    if status and status not in CaseStatus.values:
        raise ValueError(f"unknown status {status!r}")
    cases = _filtered(
        cases_visible_to(user, member=member), topic=topic, country=country, status=status
    )
    cases = cases.only(*ROW_FIELDS).prefetch_related(Prefetch("topics", queryset=topics_shown()))
    words = query.strip()
    if words:
        search = search_query(words)
        return (
            cases.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-published_at", "-id")
        )
    return cases.order_by("-published_at", "-id")


def case_page(cases: QuerySet[Case], *, number: int, per_page: int) -> UncountedPage:
    """One page of the list, read without counting it (mirpal.pages)."""
    return uncounted_page(cases, number=number, per_page=per_page)


def case_detail(*, slug: str, user) -> Case:
    """The case at this address, whatever its state (the view asks case_readable), with what its
    page shows: topics, contact people (members with their profiles, experts), and the
    documents, events and discussions linked to it that `user` may see. Raises
    Case.DoesNotExist. Seven queries."""
    member = is_member(user)
    return (
        Case.objects.select_related("proposed_by")
        .prefetch_related(
            Prefetch("topics", queryset=topics_shown()),
            Prefetch(
                "contact_members",
                queryset=User.objects.filter(is_active=True)
                .select_related("profile")
                .order_by("last_name", "first_name", "pk"),
            ),
            Prefetch(
                "contact_experts",
                queryset=Expert.objects.only(
                    "id", "name_en", "name_ru", "title_en", "title_ru", "is_listed", "user_id"
                ).order_by("name_en", "pk"),
            ),
            Prefetch(
                "documents",
                queryset=visible_documents(member=member)
                .only("id", "title_en", "title_ru", "access")
                .order_by("title_en", "pk"),
            ),
            Prefetch(
                "events",
                queryset=Event.objects.visible_to(user)
                .only("id", "slug", "title_en", "title_ru", "starts_at")
                .order_by("-starts_at", "pk"),
            ),
            Prefetch(
                "threads",
                queryset=threads_visible_to(user)
                .only("id", "title", "kind", "language", "visibility", "answer_count")
                .order_by("-created_at", "-id"),
            ),
        )
        .get(slug=slug)
    )


# --- Comparisons.


def cases_to_compare_with(*, case: Case, user, topics: list[Topic]) -> QuerySet[Case]:
    """Other published cases `user` may read that share a topic or a country with `case`, by
    title: what its page offers to set beside it. One query."""
    near = Q(countries__overlap=case.countries)
    if topics:
        near |= Q(topics__in=[topic.pk for topic in topics])
    first, second = ("title_ru", "title_en")
    if translation.get_language() != "ru":
        first, second = second, first
    title = Coalesce(NullIf(first, Value("")), second)
    return (
        cases_visible_to(user)
        .filter(near)
        .exclude(pk=case.pk)
        .only("id", "slug", "title_en", "title_ru")
        .annotate(title_shown=title)
        .distinct()
        .order_by("title_shown", "id")
    )


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the topic's comparison: one case in one of its countries (a case of several
    countries has a line in each)."""

    country: str
    case: Case


def _title_key(case: Case) -> str:
    return case.title.casefold()


def comparison_rows(
    *, user, topic: Topic, country: str = "", status: str = ""
) -> list[ComparisonRow]:
    """The published cases of `topic` that `user` may read, a line per case and country, in the
    order of the nine countries, then by title in the active language. Two queries (the cases,
    their topics are not shown)."""
    cases = _filtered(cases_visible_to(user), topic=topic, country=country, status=status).only(
        "id",
        "slug",
        "title_en",
        "title_ru",
        "measure_en",
        "measure_ru",
        "results_en",
        "results_ru",
        "countries",
        "status",
        "year_from",
        "year_to",
        "visibility",
    )
    rows = [
        ComparisonRow(country=code, case=case)
        for case in cases
        for code in case.countries
        if code in COUNTRY_ORDER and (not country or code == country)
    ]
    rows.sort(key=lambda row: (COUNTRY_ORDER.index(row.country), _title_key(row.case), row.case.pk))
    return rows


def cases_by_slugs(*, user, slugs: list[str]) -> list[Case]:
    """The cases `user` may read among these addresses, in the order asked (each once), with
    their topics; one query for the cases, one for the topics."""
    found = {
        case.slug: case
        for case in cases_visible_to(user)
        .filter(slug__in=slugs)
        .prefetch_related(Prefetch("topics", queryset=topics_shown()))
    }
    return [found[slug] for slug in dict.fromkeys(slugs) if slug in found]
