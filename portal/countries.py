"""Reads for the country pages: what the network holds about one of its nine countries.

Each list of a country page is one query, whatever its length: the rows shown (the latest few)
and, by a window over the same query, how many there are in all, for the link to the full list.
What a viewer may read is decided by the apps' own rules (the directory's, the library's access,
practices.visibility, exchange.selectors); every one of them depends on whether the viewer is an
approved member and nothing else, so a page serves every member alike and every other visitor
alike (the fragment's variant in portal.views).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet, Window
from django.utils import timezone

from events.selectors import EventFilters, event_list_past, event_list_upcoming
from exchange.selectors import threads_visible_to
from library.search import visible_documents
from members.enums import MembershipStatus, OrganisationType
from members.models import Expert, Profile
from members.roster.selectors import RosterFilters, roster_experts
from members.selectors import DirectoryFilters, directory_profiles
from mirpal.countries import Country
from portal.models import CountryFigure
from practices.visibility import cases_visible_to

# The nine countries of the network: "international / other" has no page.
COUNTRY_CODES = tuple(code for code in Country.values if code != Country.OTHER)

LIST_SHOWN = 6
MEMBER_NAMES_SHOWN = 30
FIGURES_ON_LIST = 2

EXPERT_FIELDS = (
    "pk",
    "name_en",
    "name_ru",
    "title_en",
    "title_ru",
    "affiliation_en",
    "affiliation_ru",
)
DOCUMENT_FIELDS = ("pk", "kind", "title_en", "title_ru", "published_on", "publisher", "access")
CASE_FIELDS = ("pk", "slug", "title_en", "title_ru", "countries", "visibility", "published_at")
THREAD_FIELDS = ("pk", "kind", "title", "visibility", "answer_count", "last_activity_at")


def country_code_from_path(code: str) -> str | None:
    """The country of a page's address (lower case: /countries/kg/), or None if it has no page."""
    upper = code.upper()
    return upper if upper in COUNTRY_CODES else None


@dataclass
class Shown:
    """The first rows of a list and how many it has in all."""

    rows: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def _shown(queryset: QuerySet, limit: int = LIST_SHOWN) -> Shown:
    # The window counts the rows before LIMIT: the total comes with the rows, in one query.
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return Shown(rows=rows, total=rows[0].total_rows if rows else 0)


@dataclass
class MemberCounts:
    total: int
    by_type: list[tuple[str, int]]  # (type's label, count), in the vocabulary's order


@dataclass
class CountryPage:
    code: str
    members: MemberCounts
    # The members' names, for viewers who are members; None for the others.
    member_names: Shown | None
    experts: Shown
    events_coming: Shown
    events_past: Shown
    documents: Shown
    cases: Shown
    threads: Shown
    figures: list[CountryFigure]
    # When the coming events' list next changes by the clock alone (one of them ends).
    next_event_end: datetime.datetime | None = field(default=None)


def country_member_counts(*, code: str) -> MemberCounts:
    """Approved members from the country by type of organisation, listed in the directory or
    not (a count names nobody); applicants and others not counted."""
    counted = dict(
        Profile.objects.filter(status=MembershipStatus.APPROVED, country=code)
        .order_by()
        .values_list("organisation_type")
        .annotate(count=Count("pk"))
    )
    by_type = [
        (str(label), counted[value])
        for value, label in OrganisationType.choices
        if counted.get(value)
    ]
    return MemberCounts(total=sum(counted.values()), by_type=by_type)


def country_member_names(*, code: str) -> Shown:
    """Members of the country as the directory lists them (approved, listed, in its order)."""
    profiles = directory_profiles(filters=DirectoryFilters(country=code)).prefetch_related(None)
    return _shown(profiles, MEMBER_NAMES_SHOWN)


def country_experts(*, code: str) -> Shown:
    """Experts of the public roster with experience of the country."""
    experts = (
        roster_experts(filters=RosterFilters(country=code))
        .prefetch_related(None)
        .only(*EXPERT_FIELDS)
    )
    return _shown(experts)


def _about(code: str) -> Q:
    return Q(venue_country=code) | Q(countries__contains=[code])


def country_events(
    *, code: str, now: datetime.datetime | None = None
) -> tuple[Shown, Shown, datetime.datetime | None]:
    """Events held in the country or about it, as the events lists show them to everyone but the
    secretariat (no drafts): the coming ones soonest first, the past ones latest first; and when
    the first coming one ends (it then moves to the past ones)."""
    now = now or timezone.now()
    coming_rows = list(
        event_list_upcoming(viewer=None, filters=EventFilters(), now=now)
        .filter(_about(code))
        .prefetch_related(None)
        .annotate(total_rows=Window(Count("pk")), first_end=Window(Min("ends_at")))[:LIST_SHOWN]
    )
    coming = Shown(rows=coming_rows, total=coming_rows[0].total_rows if coming_rows else 0)
    next_end = coming_rows[0].first_end if coming_rows else None
    past = _shown(
        event_list_past(viewer=None, filters=EventFilters(), now=now)
        .filter(_about(code))
        .prefetch_related(None)
    )
    return coming, past, next_end


def country_documents(*, code: str, member: bool) -> Shown:
    documents = (
        visible_documents(member=member)
        .filter(countries__contains=[code])
        .only(*DOCUMENT_FIELDS)
        .order_by("-published_on", "-pk")
    )
    return _shown(documents)


def country_cases(*, code: str, viewer, member: bool) -> Shown:
    cases = (
        cases_visible_to(viewer, member=member)
        .filter(countries__contains=[code])
        .only(*CASE_FIELDS)
        .order_by("-published_at", "-pk")
    )
    return _shown(cases)


def country_threads(*, code: str, viewer) -> Shown:
    threads = (
        threads_visible_to(viewer)
        .filter(countries__contains=[code])
        .only(*THREAD_FIELDS)
        .order_by("-last_activity_at", "-pk")
    )
    return _shown(threads)


def country_figures(*, code: str) -> list[CountryFigure]:
    return list(CountryFigure.objects.filter(country=code).order_by("position", "pk"))


def country_page(*, code: str, viewer, member: bool) -> CountryPage:
    """Everything a country page shows to this viewer: nine queries for a member, eight for
    anyone else, whatever the number of rows."""
    coming, past, next_end = country_events(code=code)
    return CountryPage(
        code=code,
        members=country_member_counts(code=code),
        member_names=country_member_names(code=code) if member else None,
        experts=country_experts(code=code),
        events_coming=coming,
        events_past=past,
        documents=country_documents(code=code, member=member),
        cases=country_cases(code=code, viewer=viewer, member=member),
        threads=country_threads(code=code, viewer=viewer),
        figures=country_figures(code=code),
        next_event_end=next_end,
    )


@dataclass
class CountrySummary:
    code: str
    label: str
    members: int
    experts: int
    events_coming: int
    figures: list[CountryFigure]


def country_summaries(*, now: datetime.datetime | None = None) -> list[CountrySummary]:
    """The nine countries with their approved members, listed experts, coming events (held
    there or about them) and first figures: four queries, whatever the numbers."""
    now = now or timezone.now()
    members = dict(
        Profile.objects.filter(status=MembershipStatus.APPROVED, country__in=COUNTRY_CODES)
        .order_by()
        .values_list("country")
        .annotate(count=Count("pk"))
    )
    experts = Expert.objects.filter(is_listed=True).aggregate(
        **{code: Count("pk", filter=Q(countries__contains=code)) for code in COUNTRY_CODES}
    )
    events = (
        event_list_upcoming(viewer=None, filters=EventFilters(), now=now)
        .order_by()
        .aggregate(**{code: Count("pk", filter=_about(code)) for code in COUNTRY_CODES})
    )
    figures: dict[str, list[CountryFigure]] = {code: [] for code in COUNTRY_CODES}
    for figure in CountryFigure.objects.order_by("country", "position", "pk"):
        if len(figures[figure.country]) < FIGURES_ON_LIST:
            figures[figure.country].append(figure)
    labels = dict(Country.choices)
    return [
        CountrySummary(
            code=code,
            label=str(labels[code]),
            members=members.get(code, 0),
            experts=experts[code],
            events_coming=events[code],
            figures=figures[code],
        )
        for code in COUNTRY_CODES
    ]
