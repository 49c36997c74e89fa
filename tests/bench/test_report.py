"""The table of `make bench`: CPU per request, and ratios to the bare view and the signed-in floor
(reference CPU / scenario CPU: higher is better), with the issue's targets checked."""

import pytest

from bench.report import Row, median_target_lines, ratio, table, target_lines


def _row(key, *, web, db, requests=100, signed_in=False, name=None):
    return Row(
        key=key,
        name=name or key,
        per_second=requests / 10,
        p50_ms=5.0,
        p95_ms=9.0,
        requests=requests,
        errors=0,
        web_seconds=web,
        db_seconds=db,
        signed_in=signed_in,
    )


BARE = _row("bare", web=0.2, db=0.0, requests=200)  # 1.0 ms a request
FLOOR = _row("floor", web=0.25, db=0.05, requests=100, signed_in=True)  # 3.0 ms
DIRECTORY = _row("directory", web=0.35, db=0.15, requests=100, signed_in=True)  # 5.0 ms
HOME = _row("home-anonymous", web=0.5, db=0.1, requests=200)  # 3.0 ms
API = _row("api-events", web=None, db=0.1, requests=200)  # web not readable
REMOTE = _row("api-events-partner", web=0.4, db=None, requests=200)  # database elsewhere


def test_cpu_per_request_adds_web_server_and_database():
    assert (FLOOR.web_ms, FLOOR.db_ms, FLOOR.cpu_ms) == pytest.approx((2.5, 0.5, 3.0))
    assert API.cpu_ms is None
    assert REMOTE.cpu_ms == pytest.approx(2.0)  # the web server's alone
    assert _row("x", web=0.1, db=0.1, requests=0).cpu_ms is None


def test_ratio_is_reference_cpu_over_scenario_cpu():
    assert ratio(BARE, FLOOR) == pytest.approx(1 / 3)
    assert ratio(FLOOR, DIRECTORY) == pytest.approx(0.6)
    assert ratio(BARE, BARE) == 1.0
    assert ratio(BARE, API) is None
    assert ratio(BARE, REMOTE) == pytest.approx(0.5)
    assert ratio(None, FLOOR) is None


def test_table_prints_both_ratios_and_na():
    lines = table([BARE, FLOOR, DIRECTORY, HOME, API, REMOTE]).splitlines()

    assert lines[0].split() == [
        "scenario", "req/s", "p50", "ms", "p95", "ms", "errors", "CPU", "ms/request",
        "web", "db", "vs", "bare", "vs", "floor",
    ]  # fmt: skip
    by_key = {line.split()[0]: line.split() for line in lines[1:]}
    assert by_key["bare"][-1] == "1.000"  # no floor column for the anonymous view
    assert by_key["floor"][-2:] == ["0.333", "1.000"]
    assert by_key["directory"][-5:] == ["5.00", "3.50", "1.50", "0.200", "0.600"]
    assert by_key["home-anonymous"][-4:] == ["3.00", "2.50", "0.50", "0.333"]
    assert by_key["api-events"][-4:] == ["n/a", "n/a", "0.50", "n/a"]
    assert by_key["api-events-partner"][-4:] == ["2.00", "2.00", "n/a", "0.500"]


def test_targets_pass_fail_and_na():
    lines = target_lines([BARE, FLOOR, DIRECTORY, HOME, API])

    assert lines == [
        "PASS  signed-in floor: >= 0.30 of the bare view: 0.333",
        "PASS  directory, signed in: >= 0.60 of the signed-in floor: 0.600",
        "FAIL  home page, anonymous: >= 0.35 of the bare view: 0.333",
        "n/a   API event list, anonymous: >= 0.45 of the bare view: CPU not measured",
    ]


def test_the_cheaper_of_the_two_bare_windows_is_the_reference():
    slow_first = _row("bare", web=0.4, db=0.0, requests=200)  # 2.0 ms: a slow window
    again = _row("bare-again", web=0.2, db=0.0, requests=200)  # 1.0 ms
    rows = [slow_first, FLOOR, HOME, again]

    # Against the slow window the home page (3.0 ms) would pass at 0.667; against 1.0 ms, 0.333.
    assert "FAIL  home page, anonymous: >= 0.35 of the bare view: 0.333" in target_lines(rows)
    assert "FAIL  signed-in floor: >= 0.30 of the bare view: 0.333" not in target_lines(rows)
    lines = table(rows).splitlines()
    assert lines[1].split()[-1] == "0.500"  # the slow window itself, against the cheaper
    assert lines[-1].split()[-1] == "1.000"
    # Either order: the first window may be the cheaper one.
    assert "PASS  signed-in floor: >= 0.30 of the bare view: 0.333" in target_lines(
        [again, FLOOR, slow_first]
    )


def test_targets_over_rounds_are_judged_on_each_ratios_median():
    fast_home = _row("home-anonymous", web=0.5, db=0.0, requests=200)  # 2.5 ms: 0.400
    slow_home = _row("home-anonymous", web=0.7, db=0.1, requests=200)  # 4.0 ms: 0.250
    rounds = [[BARE, HOME], [BARE, fast_home], [BARE, slow_home]]

    assert median_target_lines(rounds) == [
        "FAIL  home page, anonymous: >= 0.35 of the bare view: 0.333 "
        "(median of 0.333, 0.400, 0.250)"
    ]
    rounds[2] = [BARE, fast_home]
    assert median_target_lines(rounds) == [
        "PASS  home page, anonymous: >= 0.35 of the bare view: 0.400 "
        "(median of 0.333, 0.400, 0.400)"
    ]
    # One round: the figure alone, as target_lines prints it.
    assert median_target_lines([[BARE, HOME]]) == target_lines([BARE, HOME])
