"""The /proc readers behind "CPU ms per request": a pre-forking server's workers, live and dead,
and the PostgreSQL backends of one database."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from bench.cpu import (
    DatabaseCpu,
    ServerCpu,
    children,
    database_is_local,
    parse_stat,
    process_times,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

# A parent that forks like gunicorn's master: one child burns CPU and dies (reaped), another
# burns CPU and stays alive until the parent's stdin closes.
_FORKING_PARENT = textwrap.dedent(
    """
    import os, sys, time

    def burn(seconds):
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    dead = os.fork()
    if dead == 0:
        burn(0.3)
        os._exit(0)
    os.waitpid(dead, 0)
    reader, writer = os.pipe()
    live = os.fork()
    if live == 0:
        os.close(reader)
        burn(0.3)
        os.write(writer, b"x")
        sys.stdin.read()
        os._exit(0)
    os.close(writer)
    os.read(reader, 1)
    print("ready", flush=True)
    sys.stdin.read()
    os.waitpid(live, 0)
    """
)


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_own_times_follow_the_process_cpu_clock():
    before, clock_before = process_times(os.getpid()), time.process_time()
    _burn(0.2)
    after, clock_after = process_times(os.getpid()), time.process_time()

    assert after.own - before.own == pytest.approx(clock_after - clock_before, abs=0.03)
    assert after.pid == os.getpid()
    assert after.ppid == os.getppid()


def test_server_cpu_adds_live_workers_and_reaped_ones():
    with subprocess.Popen(
        [sys.executable, "-c", _FORKING_PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as parent:
        assert parent.stdout.readline() == "ready\n"
        (live,) = children(parent.pid)
        master, worker = process_times(parent.pid), process_times(live)

        seconds = ServerCpu(parent.pid).seconds()

        # Closing stdin ends both processes (the with block closes it too if an assert fails).
        parent.stdin.close()
        assert master.reaped_children >= 0.29  # the dead child
        assert worker.own >= 0.29  # the live one
        assert seconds == pytest.approx(master.own + master.reaped_children + worker.own, abs=0.02)
        assert seconds >= 0.58
    assert ServerCpu(parent.pid).seconds() is None  # gone: "n/a"


def test_stat_line_with_a_command_name_in_parentheses():
    fields = ["S", "7", *["0"] * 9, "150", "50", "30", "20", *["0"] * 4, "4242", "0", "0"]
    times = parse_stat(99, "99 (post (gres)) " + " ".join(fields))

    ticks = os.sysconf("SC_CLK_TCK")
    assert (times.ppid, times.state, times.started) == (7, "S", 4242)
    assert times.own == pytest.approx(200 / ticks)
    assert times.reaped_children == pytest.approx(50 / ticks)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("postgres://postgres@127.0.0.1:5432/mirpal", True),
        ("postgres://postgres@localhost/mirpal", True),
        ("postgresql://postgres:@/mirpal?host=/work/main/.local/postgres", True),
        ("postgres://mirpal@db.example.org:5432/mirpal", False),
        ("postgres://mirpal@127.0.0.1/mirpal?host=db.example.org", False),
    ],
)
def test_database_is_local(url, local):
    assert database_is_local(url) is local


def _test_database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _wait_until_gone(pid: int) -> None:
    """A backend exits a moment after its client closes the connection."""
    deadline = time.monotonic() + 10
    while process_times(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)


_BURN_QUERY = "SELECT count(*) FROM generate_series(1, %s) AS g WHERE g %% 7 = 3"


@pytest.mark.django_db
def test_database_cpu_counts_the_backends_of_its_database_even_one_that_closed():
    url = _test_database_url()
    reader = DatabaseCpu(url, interval=0.1)
    if not reader.open():
        pytest.skip(f"database CPU not readable here: {reader.reason}")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
            django_before = process_times(backend).own
            reader.start()
            cursor.execute(_BURN_QUERY, [3_000_000])
            django_spent = process_times(backend).own - django_before
        # A connection that opens, works and closes inside the window.
        with psycopg.connect(url) as short_lived:
            short_pid = short_lived.execute("SELECT pg_backend_pid()").fetchone()[0]
            short_lived.execute(_BURN_QUERY, [3_000_000])
            time.sleep(0.3)  # idle: the sampler has seen its last figure
            short_spent = process_times(short_pid).own
        _wait_until_gone(short_pid)
        seconds = reader.stop()
    finally:
        reader.close()

    assert django_spent > 0.05
    assert short_spent > 0.05
    assert seconds >= django_spent + short_spent - 0.03
    # At least the short-lived one (a connection left over by an earlier test may close too).
    assert reader.closed >= 1
    # Its own sampling connection is left out; nothing else runs on the test database.
    assert seconds <= django_spent + short_spent + 0.2
