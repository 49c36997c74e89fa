"""The table `make bench` prints, its ratios, and the check of the targets of issue 14.

A ratio is the CPU per request of the reference (the bare view, or the signed-in floor) divided by
the scenario's: 1.0 costs as little as the reference, 0.25 four times as much, higher is better.
CPU per request is the web server's plus PostgreSQL's, so moving work into the database does not
look like a gain (the web server's alone when PostgreSQL's can't be read).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

BARE = "bare"
# The bare view measured again after every page: the ratios take the cheaper of the two windows,
# so that one slow window of the reference cannot make a page look cheap.
BARE_AGAIN = "bare-again"
FLOOR = "floor"


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    per_second: float
    p50_ms: float
    p95_ms: float
    requests: int
    errors: int
    # CPU seconds over the measured window; None when they could not be read.
    web_seconds: float | None
    db_seconds: float | None
    signed_in: bool = False

    def _per_request_ms(self, seconds: float | None) -> float | None:
        if seconds is None or not self.requests:
            return None
        return seconds / self.requests * 1000

    @property
    def web_ms(self) -> float | None:
        return self._per_request_ms(self.web_seconds)

    @property
    def db_ms(self) -> float | None:
        return self._per_request_ms(self.db_seconds)

    @property
    def cpu_ms(self) -> float | None:
        """Web server and database together. Where the database's CPU can't be read (a server on
        another host), it is missing from every row of the run, and the web server's alone
        still compares the pages."""
        if self.web_ms is None:
            return None
        return self.web_ms + (self.db_ms or 0.0)


def ratio(reference: Row | None, row: Row) -> float | None:
    """reference CPU per request / row's CPU per request."""
    if reference is None or reference.cpu_ms is None or not row.cpu_ms:
        return None
    return reference.cpu_ms / row.cpu_ms


def _by_key(rows: list[Row]) -> dict[str, Row]:
    found = {row.key: row for row in rows}
    windows = [
        row for row in (found.get(BARE), found.get(BARE_AGAIN)) if row and row.cpu_ms is not None
    ]
    if windows:
        # Under BARE the reference: the bare view's cheaper window.
        found[BARE] = min(windows, key=lambda row: row.cpu_ms)
    return found


def _figure(value: float | None, width: int, decimals: int) -> str:
    if value is None or math.isnan(value):
        return f"{'n/a':>{width}}"
    return f"{value:>{width}.{decimals}f}"


def table(rows: list[Row]) -> str:
    found = _by_key(rows)
    bare, floor = found.get(BARE), found.get(FLOOR)
    width = max(len("scenario"), *(len(row.name) for row in rows))
    heading = (
        f"{'scenario':<{width}}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'errors':>6}  "
        f"{'CPU ms/request':>14}  {'web':>6}  {'db':>6}  {'vs bare':>7}  {'vs floor':>8}"
    )
    lines = [heading]
    for row in rows:
        # Against the floor only what pays for it: the signed-in pages.
        to_floor = (
            _figure(ratio(floor, row), 8, 3) if row.signed_in or row.key == FLOOR else " " * 8
        )
        lines.append(
            f"{row.name:<{width}}  {row.per_second:>7.1f}  {_figure(row.p50_ms, 7, 1)}  "
            f"{_figure(row.p95_ms, 7, 1)}  {row.errors:>6}  {_figure(row.cpu_ms, 14, 2)}  "
            f"{_figure(row.web_ms, 6, 2)}  {_figure(row.db_ms, 6, 2)}  "
            f"{_figure(ratio(bare, row), 7, 3)}  "
            f"{to_floor}".rstrip()
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Target:
    key: str
    reference: str
    at_least: float
    label: str


# Issue 14, "What it must show".
TARGETS = [
    Target(FLOOR, BARE, 0.30, "signed-in floor"),
    Target("directory", FLOOR, 0.60, "directory, signed in"),
    Target("roster", FLOOR, 0.60, "roster, signed in"),
    Target("event-list", FLOOR, 0.60, "event list, signed in"),
    Target("home-anonymous", BARE, 0.35, "home page, anonymous"),
    Target("event-list-anonymous", BARE, 0.35, "event list, anonymous"),
    Target("library-anonymous", BARE, 0.35, "library landing, anonymous"),
    Target("api-events", BARE, 0.45, "API event list, anonymous"),
    Target("api-events-partner", BARE, 0.45, "API event list, partner key"),
]


def target_lines(rows: list[Row]) -> list[str]:
    """One PASS/FAIL line per target whose scenario ran (n/a when CPU could not be read)."""
    return median_target_lines([rows])


def median_target_lines(rounds: list[list[Row]]) -> list[str]:
    """The targets judged on the median of each ratio over the rounds of one run, each round's
    figure listed: a single round's ratio moves by more than some targets' margins."""
    lines = []
    for target in TARGETS:
        values = []
        ran = False
        for rows in rounds:
            found = _by_key(rows)
            if target.key not in found:
                continue
            ran = True
            value = ratio(found.get(target.reference), found[target.key])
            if value is not None:
                values.append(value)
        if not ran:
            continue
        reference = "bare view" if target.reference == BARE else "signed-in floor"
        goal = f"{target.label}: >= {target.at_least:.2f} of the {reference}"
        if not values:
            lines.append(f"n/a   {goal}: CPU not measured")
            continue
        value = statistics.median(values)
        verdict = "PASS" if value >= target.at_least else "FAIL"
        line = f"{verdict:<5} {goal}: {value:.3f}"
        if len(values) > 1:
            line += f" (median of {', '.join(f'{each:.3f}' for each in values)})"
        lines.append(line)
    return lines
