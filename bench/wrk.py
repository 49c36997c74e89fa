"""Load from wrk (C, event loop): a generator that leaves the two cores to the server.

The Python generator (bench.load) spends about as much CPU as the pages it measures, which flatters
them; wrk needs a fraction of that. A small Lua script, written to a temporary file per scenario,
sets the request headers, counts every answer that is not 2xx as an error and prints one line of
figures that `parse_report` reads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from bench.load import LOOPBACK

REPORT_PREFIX = "MIRPAL-WRK"
PERCENTILES = (50, 90, 95, 99)


@dataclass(frozen=True)
class WrkResult:
    """The same figures as bench.load.LoadResult: `requests` are the 2xx answers."""

    requests: int
    errors: int
    seconds: float
    percentiles_ms: dict[float, float] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        return self.percentiles_ms[share]


def lua_string(value: str) -> str:
    """A Lua string literal: printable ASCII as is, every other byte as a decimal escape."""
    out = []
    for byte in value.encode():
        char = chr(byte)
        out.append(char if 32 <= byte < 127 and char not in '"\\' else f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_script(headers: dict[str, str]) -> str:
    lines = [
        "-- Written by bench/wrk.py for one scenario of `make bench`.",
        'wrk.method = "GET"',
        *(
            f"wrk.headers[{lua_string(name)}] = {lua_string(value)}"
            for name, value in headers.items()
        ),
        "",
        "local threads = {}",
        "",
        "function setup(thread)",
        "  table.insert(threads, thread)",
        "end",
        "",
        "function init(args)",
        "  not_2xx = 0",  # global: done() reads it from each thread with thread:get()
        "end",
        "",
        "function response(status, headers, body)",
        "  if status < 200 or status > 299 then",
        "    not_2xx = not_2xx + 1",
        "  end",
        "end",
        "",
        "function done(summary, latency, requests)",
        "  local not_2xx_total = 0",
        "  for _, thread in ipairs(threads) do",
        '    not_2xx_total = not_2xx_total + thread:get("not_2xx")',
        "  end",
        "  local errors = summary.errors",
        f'  io.write(string.format("{REPORT_PREFIX} requests=%.0f duration_us=%.0f not_2xx=%.0f '
        'connect=%.0f read=%.0f write=%.0f timeout=%.0f",',
        "    summary.requests, summary.duration, not_2xx_total,",
        "    errors.connect, errors.read, errors.write, errors.timeout))",
        *(
            f'  io.write(string.format(" p{share}_us=%.0f", latency:percentile({share})))'
            for share in PERCENTILES
        ),
        '  io.write("\\n")',
        "end",
    ]
    return "\n".join(lines) + "\n"


def parse_report(output: str) -> WrkResult:
    """The figures of the line the script's done() printed; ValueError when there is none."""
    for line in output.splitlines():
        if line.startswith(REPORT_PREFIX + " "):
            values = {key: float(value) for key, value in re.findall(r"(\w+)=([0-9.]+)", line)}
            break
    else:
        raise ValueError(f"wrk printed no {REPORT_PREFIX} line:\n{output}")
    failed = sum(values[key] for key in ("not_2xx", "connect", "read", "write", "timeout"))
    return WrkResult(
        requests=int(values["requests"] - values["not_2xx"]),
        errors=int(failed),
        seconds=values["duration_us"] / 1e6,
        percentiles_ms={share: values[f"p{share}_us"] / 1000 for share in PERCENTILES},
    )


def wrk_binary(*, install: bool = True) -> tuple[str | None, str]:
    """(path of wrk, "") or (None, why not). When wrk is missing and this process may install
    packages (root, apt-get), installs the distribution's package without asking."""
    found = shutil.which("wrk")
    if found:
        return found, ""
    if not install:
        return None, "wrk is not installed"
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return None, "wrk is not installed and this user cannot install it (apt-get as root)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # A fresh container has no package lists: update once if the first try finds nothing.
    for commands in (
        [["apt-get", "install", "-y", "-q", "wrk"]],
        [["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "wrk"]],
    ):
        try:
            for command in commands:
                subprocess.run(
                    command,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                    timeout=600,
                )
        except (OSError, subprocess.SubprocessError):
            continue
        found = shutil.which("wrk")
        if found:
            return found, "installed now with apt-get"
    return None, "wrk is not installed and `apt-get install -y wrk` failed"


def run_wrk(
    *,
    binary: str,
    host: str,
    port: int,
    path: str,
    duration: float,
    headers: dict[str, str] | None = None,
    threads: int = 2,
    connections: int = 8,
    timeout: float = 30,
) -> WrkResult:
    """GET `path` from `connections` connections over `threads` threads for `duration` seconds."""
    if host not in LOOPBACK:
        raise ValueError(f"the load generator runs on loopback only, not {host!r}")
    if not 0 < duration <= 600:
        raise ValueError("duration must be between 0 and 600 seconds")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="mirpal-wrk-") as script:
        script.write(lua_script(headers or {}))
        script.flush()
        completed = subprocess.run(
            [
                binary,
                f"-t{threads}",
                f"-c{max(connections, threads)}",
                f"-d{duration:g}s",
                f"--timeout={timeout:g}s",
                "-s",
                script.name,
                f"http://{host}:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=duration + timeout + 30,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk exited with {completed.returncode}: {completed.stderr.strip()}")
    return parse_report(completed.stdout)
