"""The scenarios of `make bench`: each page measured, the data it needs and how it is asked for.

A new page adds an entry to SCENARIOS, with the data it needs loaded by `prepare`; bench.run
measures them in this order, always with the bare view and, for signed-in pages, the floor.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass

from bench import report

MEMBER_EMAIL = "member@mirpal.example"
SECRETARIAT_EMAIL = "secretariat@mirpal.example"
LOGIN_LINK = 'href="/accounts/login/'
LOGOUT_FORM = 'action="/accounts/logout/"'


@dataclass(frozen=True)
class Scenario:
    # Names the scenario in the targets (bench.report.TARGETS).
    key: str
    name: str
    url_name: str
    signed_in: bool = False
    # The answer must contain this, so that a redirect or an error page is never what gets measured.
    marker: str | None = None
    prepare: Callable[[argparse.Namespace], None] | None = None
    available: Callable[[], bool] = lambda: True
    query: str = ""
    # Extra request headers, computed after `prepare` (an API key, say).
    headers: Callable[[], dict[str, str]] | None = None
    # Whom the scenario signs in as.
    email: str = MEMBER_EMAIL
    # For a page whose address depends on the data (an event's slug): computed after `prepare`.
    path: Callable[[], str] | None = None


def _load_members(options: argparse.Namespace) -> None:
    from demo import members as demo
    from members.models import Profile

    demo.load(members=options.members)
    # The mail benches' recipients (bench/fanout.py) stay out of the directory: the directory's
    # scenarios measure the --members members, however many mail benches ran before.
    Profile.objects.filter(
        user__email__startswith="fanout-", user__email__endswith="@example.org"
    ).exclude(listed_in_directory=False).update(listed_in_directory=False)


def _load_experts(options: argparse.Namespace) -> None:
    from demo import roster as roster_demo

    roster_demo.load(experts=options.experts)


def _load_members_and_events(options: argparse.Namespace) -> None:
    from demo import events as events_demo

    _load_members(options)
    events_demo.load(events=options.events)


def _event_page_path() -> str:
    from demo.events import bench_urls

    return bench_urls()["event"]


def _load_exchange(options: argparse.Namespace) -> None:
    from demo import exchange as exchange_demo

    _load_members(options)
    exchange_demo.load(threads=options.threads)


def _exchange_thread_path() -> str:
    from demo.exchange import bench_urls

    return bench_urls()["thread"]


def _exchange_exists() -> bool:
    from django.urls import NoReverseMatch, reverse

    if importlib.util.find_spec("demo.exchange") is None:
        return False
    try:
        reverse("exchange:list")
        reverse("exchange:thread", args=[1])
    except NoReverseMatch:
        return False
    return True


def _roster_exists() -> bool:
    from django.urls import NoReverseMatch, reverse

    if importlib.util.find_spec("demo.roster") is None:
        return False
    try:
        reverse("members:experts")
    except NoReverseMatch:
        return False
    return True


_API_KEY: dict[str, str] = {}


def _api_unthrottled() -> None:
    # The load generator is one address; the API's limits would measure only 429 answers.
    os.environ.setdefault("API_RATE_ANONYMOUS", "1000000000")
    os.environ.setdefault("API_RATE_KEY", "1000000000")


def _partner_key() -> None:
    """One partner key per run, with every read scope."""
    from mirpal.apikeys import api_key_create
    from mirpal.enums import ApiScope
    from mirpal.models import Partner

    if "raw" in _API_KEY:
        return
    partner, _created = Partner.objects.get_or_create(name="Bench partner")
    scopes = [scope for scope in ApiScope.values if scope.startswith("read:")]
    _API_KEY["raw"] = api_key_create(name="bench", scopes=scopes, partner=partner)[1]


def _load_events(options: argparse.Namespace) -> None:
    from demo import events as demo

    _api_unthrottled()
    demo.load(events=options.events)


def _load_events_and_key(options: argparse.Namespace) -> None:
    _load_events(options)
    _partner_key()


def _load_library(options: argparse.Namespace) -> None:
    from demo import library as demo

    demo.load()


def _load_home(options: argparse.Namespace) -> None:
    _load_members_and_events(options)
    _load_library(options)


def _load_library_and_key(options: argparse.Namespace) -> None:
    _api_unthrottled()
    _load_library(options)
    _partner_key()


def _partner_headers() -> dict[str, str]:
    return {"Authorization": f"Api-Key {_API_KEY['raw']}"}


SCENARIOS = [
    Scenario(
        key=report.BARE,
        name="bare Django view (fixed JSON)",
        url_name="bench-bare",
        marker='"status": "ok"',
    ),
    Scenario(
        key=report.FLOOR,
        name="signed-in floor (empty page on base.html)",
        url_name="bench-floor",
        signed_in=True,
        prepare=_load_members,
    ),
    Scenario(
        key="directory",
        name="directory page, {members:,} members",
        url_name="members:directory",
        signed_in=True,
        marker="members found",
        prepare=_load_members,
    ),
    Scenario(
        key="roster",
        name="roster list, {experts:,} experts",
        url_name="members:experts",
        signed_in=True,
        prepare=_load_experts,
        available=_roster_exists,
    ),
    Scenario(
        key="event-list",
        name="event list, {events:,} events",
        url_name="events:list",
        signed_in=True,
        prepare=_load_members_and_events,
    ),
    Scenario(
        key="event",
        name="event page with 300 registrations",
        url_name="events:detail",
        signed_in=True,
        prepare=_load_members_and_events,
        path=_event_page_path,
    ),
    Scenario(
        key="discussion-list",
        name="discussion list, {threads:,} discussions",
        url_name="exchange:list",
        signed_in=True,
        marker='href="/discussions/ask/"',
        prepare=_load_exchange,
        available=_exchange_exists,
    ),
    Scenario(
        key="discussion-thread",
        name="discussion thread with 200 answers",
        url_name="exchange:thread",
        signed_in=True,
        marker="Сезонный набор этого года",
        prepare=_load_exchange,
        available=_exchange_exists,
        path=_exchange_thread_path,
    ),
    Scenario(
        key="secretariat",
        name="secretariat home, {members:,} members and {events:,} events",
        url_name="panel:home",
        signed_in=True,
        marker="Waiting for a decision",
        prepare=_load_members_and_events,
        email=SECRETARIAT_EMAIL,
    ),
    Scenario(
        key="home-anonymous",
        name="home page, anonymous",
        url_name="home",
        marker=LOGIN_LINK,
        prepare=_load_home,
    ),
    Scenario(
        key="event-list-anonymous",
        name="event list, {events:,} events, anonymous",
        url_name="events:list",
        marker=LOGIN_LINK,
        prepare=_load_members_and_events,
    ),
    Scenario(
        key="library-anonymous",
        name="library landing, anonymous",
        url_name="library:index",
        marker=LOGIN_LINK,
        prepare=_load_library,
    ),
    Scenario(
        key="api-events",
        name="API event list, {events:,} events, anonymous",
        url_name="v1:event-list",
        query="?page_size=20&when=all",
        marker='"results"',
        prepare=_load_events,
    ),
    Scenario(
        key="api-events-partner",
        name="API event list, {events:,} events, partner key",
        url_name="v1:event-list",
        query="?page_size=20&when=all",
        marker='"results"',
        prepare=_load_events_and_key,
        headers=_partner_headers,
    ),
    Scenario(
        key="api-search",
        name="API document search, partner key",
        url_name="v1:search-list",
        query="?q=migration",
        marker='"results"',
        prepare=_load_library_and_key,
        headers=_partner_headers,
    ),
    Scenario(
        key=report.BARE_AGAIN,
        name="bare Django view, again (ratios use the cheaper)",
        url_name="bench-bare",
        marker='"status": "ok"',
    ),
]
