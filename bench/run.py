"""`make bench`: what a user feels (requests per second, latency) and what it costs (CPU per
request of the web server and PostgreSQL) for the platform's pages, next to a bare Django view and
an empty signed-in page, in the same run.

Everything runs on this machine: a database of its own (`mirpal_bench`, on the server DATABASE_URL
or the embedded PostgreSQL points at, so development data is never touched), gunicorn configured
as in production, and wrk on loopback (installed from the distribution when missing; the Python
generator bench.load otherwise). The CPU seconds come from /proc (bench.cpu), so the ratios do not
depend on what else the machine is doing. The scenarios, and the data each needs, are in
bench.scenarios.
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

from bench import nodes, report
from bench.cpu import DatabaseCpu, ServerCpu, children, machine_description
from bench.load import run_load
from bench.scenarios import LOGOUT_FORM, SCENARIOS, Scenario
from bench.server import BASE_DIR, HOST, Server, gunicorn_config, production_env, server_start
from bench.wrk import run_wrk, wrk_binary

# Another name keeps two people's bench runs on one server apart.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "mirpal_bench")


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


def check_answer(
    *, port: int, path: str, headers: dict[str, str], markers: list[str]
) -> dict[str, str]:
    """GET the page once; the cookies it sets (the CSRF cookie of a page with a form), which a
    browser sends with every later request."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    missing = [marker for marker in markers if marker not in body]
    if response.status != 200 or missing:
        raise RuntimeError(f"GET {path} answered {response.status} without {missing!r}")
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return {name: morsel.value for name, morsel in cookies.items()}


def with_cookies(headers: dict[str, str], cookies: dict[str, str]) -> dict[str, str]:
    """The headers with these cookies added to the Cookie header (as a browser would)."""
    if not cookies:
        return headers
    pairs = [headers["Cookie"]] if headers.get("Cookie") else []
    pairs += [f"{name}={value}" for name, value in cookies.items()]
    return {**headers, "Cookie": "; ".join(pairs)}


@dataclass(frozen=True)
class Generator:
    """The load generator of this run: wrk, or the Python one when wrk can't be had."""

    wrk: str | None
    note: str
    threads: int
    connections: int

    def describe(self) -> str:
        if self.wrk:
            installed = f", {self.note}" if self.note else ""
            return (
                f"wrk ({self.wrk}{installed}), {self.threads} threads, "
                f"{self.connections} connections"
            )
        return (
            f"Python bench.load, {self.threads} processes x "
            f"{self.connections // self.threads} connections ({self.note})"
        )

    def run(self, *, port: int, path: str, headers: dict[str, str], duration: float):
        if self.wrk:
            return run_wrk(
                binary=self.wrk,
                host=HOST,
                port=port,
                path=path,
                headers=headers,
                duration=duration,
                threads=self.threads,
                connections=self.connections,
            )
        return run_load(
            host=HOST,
            port=port,
            path=path,
            headers=headers,
            duration=duration,
            processes=self.threads,
            connections=self.connections // self.threads,
        )


def generator_choose(options: argparse.Namespace) -> Generator:
    connections = options.clients * options.connections
    if options.generator == "python":
        return Generator(None, "chosen with --generator python", options.clients, connections)
    binary, note = wrk_binary(install=True)
    if binary is None and options.generator == "wrk":
        raise SystemExit(f"make bench: {note}")
    return Generator(binary, note if binary else f"fallback: {note}", options.clients, connections)


def wait_until_idle(server_cpu: ServerCpu, *, quiet: float = 0.3, limit: float = 20) -> None:
    """Let the requests a generator left in flight finish, so that a measured window does not
    pay for the warm-up's: until the server's CPU stands still for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last = server_cpu.seconds()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = server_cpu.seconds()
        if now is None or now == last:
            return
        last = now


def measure(
    *,
    scenario: Scenario,
    name: str,
    generator: Generator,
    port: int,
    path: str,
    headers: dict[str, str],
    duration: float,
    server_cpu: ServerCpu,
    database_cpu: DatabaseCpu | None,
) -> report.Row:
    """One measured window: the load, and the CPU the server and the database spent meanwhile.

    Requests still in flight when the generator stops are served after the window closes; on
    average half their CPU falls inside it, which costs the slowest pages a request or two.
    """
    web_before = server_cpu.seconds()
    if database_cpu is not None:
        database_cpu.start()
    result = generator.run(port=port, path=path, headers=headers, duration=duration)
    web_after = server_cpu.seconds()
    db_seconds = database_cpu.stop() if database_cpu is not None else None
    # Persistent connections close now and then (CONN_MAX_AGE); more than one per worker is
    # a connection per request, whose backends mostly live between two samples.
    if database_cpu is not None and database_cpu.closed > len(children(server_cpu.master_pid)):
        print(
            f"({name}: {database_cpu.closed} database connections closed in the window; up to "
            f"{database_cpu.interval:g} s of CPU each is missing from its db figure)"
        )
    nan = float("nan")
    return report.Row(
        key=scenario.key,
        name=name,
        per_second=result.per_second,
        p50_ms=result.percentile(50) if result.requests else nan,
        p95_ms=result.percentile(95) if result.requests else nan,
        requests=result.requests,
        errors=result.errors,
        web_seconds=(
            web_after - web_before if web_before is not None and web_after is not None else None
        ),
        db_seconds=db_seconds,
        signed_in=scenario.signed_in,
    )


def _options(argv: list[str] | None) -> argparse.Namespace:
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load first")
    parser.add_argument("--workers", type=int, default=2 * cpus + 1, help="gunicorn sync workers")
    parser.add_argument(
        "--generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk (installed with apt-get when missing and allowed), falling "
        "back to the Python one (auto); or only one of them",
    )
    parser.add_argument(
        "--clients", type=int, default=2, help="wrk threads (Python generator: processes)"
    )
    parser.add_argument("--connections", type=int, default=4, help="connections per client")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--experts", type=int, default=2_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument(
        "--threads",
        type=int,
        default=2_000,
        help="discussions (scenario 'discussion list'; one of them has 200 answers)",
    )
    parser.add_argument(
        "--publish",
        type=int,
        default=20_000,
        help="members an event is published to from the admin (scenario 'publish')",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="times the table of pages is measured; the targets are judged on each ratio's median",
    )
    parser.add_argument("--only", default="", help="run only scenarios whose name contains this")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="only the table of pages: no mail fan-out, publish or library search after it",
    )
    return parser.parse_args(argv)


def scenarios_select(only: str) -> list[Scenario]:
    """The scenarios to run: those whose name contains `only` (all without it), always with the
    bare view (first and again last) and, when a signed-in page runs, the signed-in floor: the
    ratios' references."""
    chosen = [
        scenario
        for scenario in SCENARIOS
        if scenario.available() and (not only or only in scenario.name)
    ]
    signed_in = any(scenario.signed_in for scenario in chosen)
    return [
        scenario
        for scenario in SCENARIOS
        if scenario in chosen
        or scenario.key in (report.BARE, report.BARE_AGAIN)
        or (scenario.key == report.FLOOR and signed_in)
    ]


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
    from django.db import connection
    from django.urls import reverse

    from demo.members import DEMO_PASSWORD

    print(f"bench database: {BENCH_DATABASE} (migrating and loading demo data as needed)")
    call_command("migrate", "--noinput", verbosity=0)
    scenarios = scenarios_select(options.only)
    skipped = [scenario.name for scenario in SCENARIOS if not scenario.available()]
    prepared: set[Callable] = set()
    for scenario in scenarios:
        if scenario.prepare and scenario.prepare not in prepared:
            prepared.add(scenario.prepare)
            began = time.monotonic()
            scenario.prepare(options)
            print(
                f"  data for {scenario.name.format(**vars(options))}: "
                f"{time.monotonic() - began:.1f} s"
            )
    _print_counts()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres_version = cursor.fetchone()[0]
    generator = generator_choose(options)

    # One log per bench database: two runs side by side don't write over each other's.
    log = BASE_DIR / ".local" / "bench" / f"gunicorn-{BENCH_DATABASE}.log"
    database_reader = DatabaseCpu(bench_url)
    database_cpu = database_reader if database_reader.open() else None
    server: Server = server_start(workers=options.workers, log=log)
    server_cpu = ServerCpu(server.process.pid)
    rounds: list[list[report.Row]] = []
    try:
        cookies = {
            email: session_cookie(port=server.port, email=email, password=DEMO_PASSWORD)
            for email in {scenario.email for scenario in scenarios if scenario.signed_in}
        }
        config = gunicorn_config()
        print(
            f"gunicorn: {options.workers} sync workers on {HOST}:{server.port}, DEBUG off, "
            f"{f'--config python:{config}' if config else 'no config module'}; "
            f"load: {generator.describe()}; {options.warmup:g} s warm-up + "
            f"{options.duration:g} s per scenario, {options.rounds} round(s); "
            f"{os.cpu_count()} CPUs shared by server, database and load generator\n"
        )
        requests = {}
        for scenario in scenarios:
            path = (
                scenario.path() if scenario.path else reverse(scenario.url_name)
            ) + scenario.query
            headers = {"Accept-Language": "en", **(scenario.headers() if scenario.headers else {})}
            markers = [scenario.marker] if scenario.marker else []
            if scenario.signed_in:
                headers["Cookie"] = cookies[scenario.email]
                markers.append(LOGOUT_FORM)
            # Measured as a browser's second visit: with the cookies the first one set.
            headers = with_cookies(
                headers,
                check_answer(port=server.port, path=path, headers=headers, markers=markers),
            )
            requests[scenario.key] = (path, headers)
        for number in range(1, max(options.rounds, 1) + 1):
            rows: list[report.Row] = []
            for scenario in scenarios:
                path, headers = requests[scenario.key]
                if options.warmup > 0:
                    generator.run(
                        port=server.port, path=path, headers=headers, duration=options.warmup
                    )
                wait_until_idle(server_cpu)
                rows.append(
                    measure(
                        scenario=scenario,
                        name=scenario.name.format(**vars(options)),
                        generator=generator,
                        port=server.port,
                        path=path,
                        headers=headers,
                        duration=options.duration,
                        server_cpu=server_cpu,
                        database_cpu=database_cpu,
                    )
                )
            rounds.append(rows)
            if options.rounds > 1:
                print(f"round {number} of {options.rounds}:")
            print(report.table(rows) + "\n")
        proxied = nodes.measure_behind_nginx(
            options=options,
            first=server,
            requests=requests,
            scenarios=scenarios,
            measure=measure,
            generator=generator,
            database_cpu=database_cpu,
        )
        if proxied:
            # Beside the same pages served straight by one node, and the bare view.
            direct = [
                row
                for row in rounds[-1]
                if row.key in (report.BARE, report.BARE_AGAIN, *nodes.BEHIND_NGINX)
            ]
            print("one node and two nodes behind nginx (deploy/nginx), last round's direct rows:")
            print(report.table(direct + proxied) + "\n")
    finally:
        if database_cpu is not None:
            database_cpu.close()
        server.stop()
    for name in skipped:
        print(f"(not measured: {name.format(**vars(options))}; its code is not there yet)")
    print(
        "\nCPU ms/request: web = gunicorn master and workers (live, and reaped during the run), "
        "db = "
        + (
            f"the PostgreSQL backends of {BENCH_DATABASE} (sampled every "
            f"{database_cpu.interval:g} s)"
            if database_cpu is not None
            else f"n/a ({database_reader.reason}; CPU ms/request and ratios are the web "
            "server's alone)"
        )
        + ", from /proc over each measured window; vs bare / vs floor = that CPU of the bare "
        "view / of the signed-in floor divided by the scenario's (1.0 = as cheap, higher is "
        "better)"
    )
    print(f"load generator: {generator.describe()}")
    print(machine_description(postgres_version=postgres_version))
    lines = report.median_target_lines(rounds)
    if lines:
        print(
            "\ntargets of issue 14 (CPU per request, same run"
            + (f", median of {len(rounds)} rounds" if len(rounds) > 1 else "")
            + "):"
        )
        print("\n".join(lines))
    print(f"\nmake bench took {time.monotonic() - started:.0f} s")
    if any(row.errors for rows in rounds for row in rows):
        print(f"some requests failed; see {log}", file=sys.stderr)
        return 1
    if options.pages:
        return 0
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
