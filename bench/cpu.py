"""CPU time spent by the web server and by PostgreSQL, read from /proc while a scenario runs.

Wall-clock rates on a shared machine depend on whatever else runs there; the CPU seconds that the
server's own processes spend, divided by the requests they answered, do not. Linux only: where
/proc cannot be read (another system, a database on another host) the readers answer None and the
report prints "n/a".
"""

from __future__ import annotations

import os
import platform
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class ProcessTimes:
    """One line of /proc/<pid>/stat, the fields the bench needs; times in seconds."""

    pid: int
    ppid: int
    state: str
    user: float
    system: float
    children_user: float
    children_system: float
    # In clock ticks since boot: with the pid, it names a process even after the pid is reused.
    started: int

    @property
    def own(self) -> float:
        return self.user + self.system

    @property
    def reaped_children(self) -> float:
        """CPU of the children this process has waited for (dead and reaped)."""
        return self.children_user + self.children_system


def parse_stat(pid: int, line: str) -> ProcessTimes:
    # The command name (2nd field) sits in parentheses and may itself contain spaces or ")".
    fields = line[line.rindex(")") + 2 :].split()
    ticks = [int(value) for value in fields[11:15]]
    return ProcessTimes(
        pid=pid,
        ppid=int(fields[1]),
        state=fields[0],
        user=ticks[0] / CLOCK_TICKS,
        system=ticks[1] / CLOCK_TICKS,
        children_user=ticks[2] / CLOCK_TICKS,
        children_system=ticks[3] / CLOCK_TICKS,
        started=int(fields[19]),
    )


def process_times(pid: int) -> ProcessTimes | None:
    """The process's times, or None when it is gone or /proc can't be read."""
    try:
        return parse_stat(pid, (PROC / str(pid) / "stat").read_text())
    except (OSError, ValueError, IndexError):
        return None


def children(pid: int) -> list[int]:
    """Pids of the live children of `pid`."""
    found: set[int] = set()
    try:
        # Kernel with CONFIG_PROC_CHILDREN: one file per thread; the threads' children together.
        for task in (PROC / str(pid) / "task").iterdir():
            found.update(int(child) for child in (task / "children").read_text().split())
        return sorted(found)
    except OSError:
        pass
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            times = process_times(int(entry.name))
            if times is not None and times.ppid == pid:
                found.add(times.pid)
    return sorted(found)


class ServerCpu:
    """A pre-forking server's CPU (gunicorn): the master, its live workers, and the workers that
    have died and been reaped since the master started (its children's times)."""

    def __init__(self, master_pid: int) -> None:
        self.master_pid = master_pid

    def seconds(self) -> float | None:
        master = process_times(self.master_pid)
        if master is None:
            return None
        total = master.own + master.reaped_children
        for pid in children(self.master_pid):
            worker = process_times(pid)
            # A worker that exits between the two reads is counted in the master's children
            # times on the next reading instead.
            if worker is not None:
                total += worker.own
        return total


def database_is_local(url: str) -> bool:
    """Whether the server of a postgres:// URL runs on this machine (loopback or a socket)."""
    parts = urlsplit(url)
    # libpq's ?host= wins over the URL's host; a path there is a Unix socket.
    host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    return host.startswith("/") or host in LOCAL_HOSTS


class DatabaseCpu:
    """CPU of the PostgreSQL backends serving one database, sampled from /proc during a window.

    A backend's CPU is not its postmaster's (which also serves other databases and the other
    users of the machine), so the backends of the database are listed from pg_stat_activity
    every `interval` seconds and their times read from /proc. A backend that appears during the
    window counts from zero (its start-up is part of the cost); one that exits counts up to its
    last sample, so at most `interval` seconds of a closing connection are missed.
    """

    def __init__(self, url: str, *, interval: float = 0.2) -> None:
        self.url = url
        self.interval = interval
        self.reason = ""
        self._connection = None
        self._own_pid = 0
        self._first: dict[tuple[int, int], float] = {}
        self._last: dict[tuple[int, int], float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.closed = 0

    def open(self) -> bool:
        """Connect and check that the backends are processes of this machine; False (with
        `reason`) when they are not."""
        if not PROC.is_dir():
            self.reason = "no /proc"
            return False
        if not database_is_local(self.url):
            self.reason = "database on another host"
            return False
        import psycopg

        self._connection = psycopg.connect(self.url, autocommit=True)
        self._own_pid = self._connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        try:
            comm = (PROC / str(self._own_pid) / "comm").read_text().strip()
        except OSError:
            comm = ""
        # A server in a container has pids of its own namespace.
        if not comm.startswith("postgres") or process_times(self._own_pid) is None:
            self.reason = "the database's processes are not visible in /proc"
            self.close()
            return False
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _backends(self) -> dict[tuple[int, int], float]:
        rows = self._connection.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        seen = {}
        for (pid,) in rows:
            times = process_times(pid)
            if times is not None:
                seen[(pid, times.started)] = times.own
        return seen

    def _sample(self, *, first: bool = False) -> None:
        for key, seconds in self._backends().items():
            if first:
                self._first[key] = seconds
            else:
                self._first.setdefault(key, 0.0)
            self._last[key] = seconds

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> None:
        self._first, self._last = {}, {}
        self._stop.clear()
        self._sample(first=True)
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """CPU seconds the database's backends spent since start(). `closed` tells how many
        backends ended meanwhile: with many (a connection per request), the figure is low."""
        self._stop.set()
        self._thread.join()
        remaining = self._backends()
        for key, seconds in remaining.items():
            self._first.setdefault(key, 0.0)
            self._last[key] = seconds
        self.closed = len(self._last.keys() - remaining.keys())
        return sum(self._last[key] - self._first[key] for key in self._last)


def cpu_model() -> str:
    try:
        for line in (PROC / "cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_description(*, postgres_version: str) -> str:
    return (
        f"machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}"
        f" ({sys.implementation.name}); PostgreSQL {postgres_version}; {platform.system()}"
        f" {platform.release()}"
    )
