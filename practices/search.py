"""Good-practice cases found by the library's search box: their own group on the search page.

The library sits below practices and cannot import it; practices.apps registers
`cases_search_group` with library.search.search_group_register. The words are parsed as the
library parses them (library.search.search_query), and matched against the case's vector, which
holds its title, summary, measure, problem and results stemmed in both English and Russian: a
Russian word form finds the Russian text, an English word the English one.

Only published cases the viewer may read (practices.visibility.cases_visible_to); the result is
cached per members-or-not, which is all it depends on of the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.db.models import F, Q
from django.urls import reverse
from django.utils.http import urlencode

from library.search import SearchFilters, search_query
from practices.models import Case
from practices.visibility import cases_visible_to

CASES_SHOWN = 5
RESULT_FIELDS = (
    "id", "slug", "title_en", "title_ru", "summary_en", "summary_ru", "countries", "status",
    "visibility", "published_at",
)  # fmt: skip


@dataclass(frozen=True)
class CaseMatches:
    cases: list[Case]
    more: bool


def _filtered(cases, filters: SearchFilters):
    """The library's filters that mean something for a case; None when one excludes every case
    (a kind of document). A case is written in both languages, so the language filter keeps it."""
    if filters.kind:
        return None
    if filters.topic:
        cases = cases.filter(topics__slug=filters.topic)
    if filters.country:
        cases = cases.filter(countries__contains=[filters.country])
    if filters.year:
        cases = cases.filter(
            Q(year_from__isnull=True) | Q(year_from__lte=filters.year),
            Q(year_to__isnull=True) | Q(year_to__gte=filters.year),
        )
    return cases


def cases_search(*, filters: SearchFilters, user, limit: int = CASES_SHOWN) -> CaseMatches | None:
    """The best `limit` published cases `user` may read whose texts hold the words, best ranked
    first (a title before a summary before the measure); `more` when others match. None when
    there are no words or the filters leave no case. One query."""
    text = filters.query.strip()
    if not text:
        return None
    visible = _filtered(cases_visible_to(user), filters)
    if visible is None:
        return None
    query = search_query(text)
    found = list(
        visible.filter(search_vector=query)
        .only(*RESULT_FIELDS)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "-id")[: limit + 1]
    )
    return CaseMatches(cases=found[:limit], more=len(found) > limit)


def cases_search_group(*, filters: SearchFilters, user) -> dict | None:
    """The search page's group of cases (library.search.search_group_register): the context of
    templates/practices/_search_group.html, or None to show no group."""
    matches = cases_search(filters=filters, user=user)
    if matches is None or not matches.cases:
        return None
    kept = {"q": filters.query, "topic": filters.topic, "country": filters.country}
    query = urlencode({name: value for name, value in kept.items() if value})
    return {"matches": matches, "more_url": reverse("practices:list") + f"?{query}"}
