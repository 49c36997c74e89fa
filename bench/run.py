"""`make bench`: requests per second and latency of the platform's pages next to a bare Django view.

Everything runs on this machine: a database of its own (`mirpal_bench`, on the server DATABASE_URL
or the embedded PostgreSQL points at, so development data is never touched), gunicorn configured
as in production, and a Python load generator on loopback (bench.load). Each scenario is one
entry of SCENARIOS; a new page adds an entry, with the data it needs loaded by `prepare`.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import importlib.util
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench.load import LoadResult, run_load
from bench.server import BASE_DIR, HOST, Server, production_env, server_start

# Another name keeps two people's bench runs on one server apart.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "mirpal_bench")
MEMBER_EMAIL = "member@mirpal.example"
SECRETARIAT_EMAIL = "secretariat@mirpal.example"


@dataclass(frozen=True)
class Scenario:
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

    demo.load(members=options.members)


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


def _load_events(options: argparse.Namespace) -> None:
    from demo import events as demo

    _api_unthrottled()
    demo.load(events=2000)


def _load_library_and_key(options: argparse.Namespace) -> None:
    from demo import library as demo
    from mirpal.apikeys import api_key_create
    from mirpal.models import Partner

    _api_unthrottled()
    demo.load()
    partner, _created = Partner.objects.get_or_create(name="Bench partner")
    _API_KEY["raw"] = api_key_create(name="bench", scopes=["read:library"], partner=partner)[1]


def _partner_headers() -> dict[str, str]:
    return {"Authorization": f"Api-Key {_API_KEY['raw']}"}


SCENARIOS = [
    Scenario(name="bare Django view (fixed JSON)", url_name="bench-bare", marker='"status": "ok"'),
    Scenario(
        name="directory page, {members:,} members",
        url_name="members:directory",
        signed_in=True,
        marker="members found",
        prepare=_load_members,
    ),
    Scenario(
        name="roster list, {experts:,} experts",
        url_name="members:experts",
        signed_in=True,
        prepare=_load_experts,
        available=_roster_exists,
    ),
    Scenario(
        name="event list, {events:,} events",
        url_name="events:list",
        signed_in=True,
        prepare=_load_members_and_events,
    ),
    Scenario(
        name="event page with 300 registrations",
        url_name="events:detail",
        signed_in=True,
        prepare=_load_members_and_events,
        path=_event_page_path,
    ),
    Scenario(
        name="secretariat home, {members:,} members and {events:,} events",
        url_name="panel:home",
        signed_in=True,
        marker="Waiting for a decision",
        prepare=_load_members_and_events,
        email=SECRETARIAT_EMAIL,
    ),
    Scenario(
        name="API event list, 20 per page, 2,000 events",
        url_name="v1:event-list",
        query="?page_size=20&when=all",
        marker='"results"',
        prepare=_load_events,
    ),
    Scenario(
        name="API document search, partner key",
        url_name="v1:search-list",
        query="?q=migration",
        marker='"results"',
        prepare=_load_library_and_key,
        headers=_partner_headers,
    ),
]


def database_url_for_bench() -> tuple[str, str]:
    """(URL of the configured database, URL of the bench database on the same server)."""
    from mirpal import embedded

    configured = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    return configured, urlunsplit(urlsplit(configured)._replace(path=f"/{BENCH_DATABASE}"))


def database_create(*, server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def session_cookie(*, port: int, email: str, password: str) -> str:
    """Sign in through the login page, as a browser would; returns the Cookie header."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in cookies:
        raise RuntimeError("the login page carries no CSRF token")
    connection.request(
        "POST",
        "/accounts/login/",
        body=urlencode(
            {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {email} failed (HTTP {response.status})")
    if (response.headers.get("Location") or "").endswith("/accounts/2fa/authenticate/"):
        _second_factor(port=port, cookies=cookies)
    return f"sessionid={cookies['sessionid'].value}"


def _second_factor(*, port: int, cookies: SimpleCookie) -> None:
    """Staff are asked for their authenticator code: the demo staff's, from the demo secret."""
    # After django.setup(), as everything of the project's here.
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from demo.members import DEMO_TOTP_SECRET

    def cookie_header() -> str:
        return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())

    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", "/accounts/2fa/authenticate/", headers={"Cookie": cookie_header()})
    page = connection.getresponse().read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("the second-factor page carries no CSRF token")
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    connection.request(
        "POST",
        "/accounts/2fa/authenticate/",
        body=urlencode({"code": code, "csrfmiddlewaretoken": token.group(1)}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(),
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 302:
        raise RuntimeError(f"the demo authenticator code was refused (HTTP {response.status})")


def check_answer(*, port: int, path: str, headers: dict[str, str], marker: str | None) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    if response.status != 200 or (marker and marker not in body):
        raise RuntimeError(f"GET {path} answered {response.status} without {marker!r}")


def _table(rows: list[tuple[str, LoadResult]]) -> str:
    bare = rows[0][1].per_second
    width = max(len(name) for name, _ in rows)
    lines = [
        f"{'scenario':<{width}}  {'req/s':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'errors':>6}  "
        f"{'vs bare':>7}",
    ]
    for name, result in rows:
        ratio = result.per_second / bare if bare else float("nan")
        lines.append(
            f"{name:<{width}}  {result.per_second:>8.1f}  {result.percentile(50):>7.1f}  "
            f"{result.percentile(95):>7.1f}  {result.errors:>6}  {ratio:>7.3f}"
        )
    return "\n".join(lines)


def _options(argv: list[str] | None) -> argparse.Namespace:
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load first")
    parser.add_argument("--workers", type=int, default=2 * cpus + 1, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=2, help="load generator processes")
    parser.add_argument("--connections", type=int, default=4, help="connections per process")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--experts", type=int, default=2_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument(
        "--publish",
        type=int,
        default=20_000,
        help="members an event is published to from the admin (scenario 'publish')",
    )
    parser.add_argument("--only", default="", help="run only scenarios whose name contains this")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    started = time.monotonic()
    server_url, bench_url = database_url_for_bench()
    database_create(server_url=server_url, name=BENCH_DATABASE)
    os.environ["DATABASE_URL"] = bench_url
    # This process and gunicorn share one configuration, the production one.
    os.environ.update(production_env())
    os.environ.pop("MIRPAL_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mirpal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    from demo.members import DEMO_PASSWORD

    print(f"bench database: {BENCH_DATABASE} (migrating and loading demo data as needed)")
    call_command("migrate", "--noinput", verbosity=0)
    scenarios = [
        scenario
        for scenario in SCENARIOS
        if scenario.available()
        and (not options.only or options.only in scenario.name or scenario.url_name == "bench-bare")
    ]
    skipped = [scenario.name for scenario in SCENARIOS if not scenario.available()]
    for scenario in scenarios:
        if scenario.prepare:
            began = time.monotonic()
            scenario.prepare(options)
            print(
                f"  data for {scenario.name.format(**vars(options))}: "
                f"{time.monotonic() - began:.1f} s"
            )
    _print_counts()

    log = BASE_DIR / ".local" / "bench" / "gunicorn.log"
    server: Server = server_start(workers=options.workers, log=log)
    rows: list[tuple[str, LoadResult]] = []
    try:
        cookies = {
            email: session_cookie(port=server.port, email=email, password=DEMO_PASSWORD)
            for email in {scenario.email for scenario in scenarios if scenario.signed_in}
        }
        print(
            f"gunicorn: {options.workers} sync workers on {HOST}:{server.port}, DEBUG off; "
            f"load: {options.clients} processes x {options.connections} connections, "
            f"{options.warmup:g} s warm-up + {options.duration:g} s per scenario; "
            f"{os.cpu_count()} CPUs shared by server, database and load generator\n"
        )
        for scenario in scenarios:
            path = (
                scenario.path() if scenario.path else reverse(scenario.url_name)
            ) + scenario.query
            headers = {"Accept-Language": "en", **(scenario.headers() if scenario.headers else {})}
            if scenario.signed_in:
                headers["Cookie"] = cookies[scenario.email]
            check_answer(port=server.port, path=path, headers=headers, marker=scenario.marker)
            load = {
                "host": HOST,
                "port": server.port,
                "path": path,
                "headers": headers,
                "processes": options.clients,
                "connections": options.connections,
            }
            if options.warmup > 0:
                run_load(duration=options.warmup, **load)
            rows.append(
                (scenario.name.format(**vars(options)), run_load(duration=options.duration, **load))
            )
    finally:
        server.stop()
    print(_table(rows))
    for name in skipped:
        print(f"(not measured: {name.format(**vars(options))}; its code is not there yet)")
    print(f"\nmake bench took {time.monotonic() - started:.0f} s")
    if any(result.errors for _name, result in rows):
        print(f"some requests failed; see {log}", file=sys.stderr)
        return 1
    if "fan-out" in options.only or not options.only:
        print()
        if importlib.import_module("bench.fanout").main():
            return 1
    if "publish" in options.only or not options.only:
        print()
        if importlib.import_module("bench.fanout").publish_main(members=options.publish):
            return 1
    if options.only and "library" not in options.only:
        return 0
    if importlib.util.find_spec("bench.library_search") is not None:
        library_search = importlib.import_module("bench.library_search")
        if hasattr(library_search, "main"):
            print()
            return library_search.main() or 0
    return 0


def _print_counts() -> None:
    from members.enums import MembershipStatus
    from members.models import Profile

    listed = Profile.objects.filter(
        status=MembershipStatus.APPROVED, listed_in_directory=True
    ).count()
    total = Profile.objects.count()
    print(f"  {total:,} profiles, {listed:,} of them approved and listed in the directory")


if __name__ == "__main__":
    sys.exit(main())
