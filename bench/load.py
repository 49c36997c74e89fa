"""A small HTTP load generator for loopback, in plain Python so a fresh machine needs nothing else.

`make bench` uses it only when wrk (bench.wrk) can't be had: on two cores it spends about as much
CPU as the server it loads, so its rates flatter slow pages. The CPU per request of the report
(bench.cpu) does not depend on the generator.

A few processes (so the client is not held by one GIL), each with a few threads, each thread with
its own http.client connection (kept alive when the server allows it), send GET requests for a
fixed time. Every process starts at the same instant and stops after the same duration, so the
rate is the completed requests divided by that duration. Bounded in time and, per connection, in
count; loopback only.
"""

from __future__ import annotations

import http.client
import math
import multiprocessing
import threading
import time
from array import array
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: array

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the successful requests' latencies, in milliseconds."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        rank = max(math.ceil(share / 100 * len(ordered)), 1)
        return ordered[rank - 1]


def _connection_loop(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    start: float,
    stop: float,
    max_requests: int,
    expect_status: int,
    out: dict,
) -> None:
    latencies = array("d")
    errors = 0
    connection = http.client.HTTPConnection(host, port, timeout=30)
    time.sleep(max(start - time.time(), 0))
    try:
        while time.time() < stop and len(latencies) + errors < max_requests:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                errors += 1
                continue
            # Only requests answered inside the window count, so the rate is not inflated.
            if time.time() > stop:
                break
            if response.status == expect_status:
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors += 1
    finally:
        connection.close()
    out["latencies"], out["errors"] = latencies, errors


def _process(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    start: float,
    duration: float,
    connections: int,
    max_requests: int,
    expect_status: int,
) -> tuple[int, bytes]:
    # A process that spawned late still runs the full duration, so the rate stays exact.
    start = max(start, time.time() + 0.05)
    outputs = [{} for _ in range(connections)]
    threads = [
        threading.Thread(
            target=_connection_loop,
            args=(
                host,
                port,
                path,
                headers,
                start,
                start + duration,
                max_requests,
                expect_status,
                out,
            ),
        )
        for out in outputs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = array("d")
    for out in outputs:
        latencies.extend(out["latencies"])
    return sum(out["errors"] for out in outputs), latencies.tobytes()


def run_load(
    *,
    host: str,
    port: int,
    path: str,
    duration: float,
    headers: dict[str, str] | None = None,
    processes: int = 2,
    connections: int = 2,
    max_requests: int = 1_000_000,
    expect_status: int = 200,
) -> LoadResult:
    """GET `path` from `processes` x `connections` connections for `duration` seconds.

    A request whose status is not `expect_status`, or that fails, counts as an error, not as a
    request. Each connection stops after `max_requests` as well, whichever comes first.
    """
    if host not in LOOPBACK:
        raise ValueError(f"the load generator runs on loopback only, not {host!r}")
    if not 0 < duration <= 600:
        raise ValueError("duration must be between 0 and 600 seconds")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        # Spawning takes a moment; every process waits for the same start instant.
        start = time.time() + 0.5 + 0.1 * processes
        futures = [
            pool.submit(
                _process,
                host,
                port,
                path,
                headers or {},
                start,
                duration,
                connections,
                max_requests,
                expect_status,
            )
            for _ in range(processes)
        ]
        results = [future.result() for future in futures]
    latencies = array("d")
    for _errors, raw in results:
        chunk = array("d")
        chunk.frombytes(raw)
        latencies.extend(chunk)
    return LoadResult(
        requests=len(latencies),
        errors=sum(errors for errors, _raw in results),
        seconds=duration,
        latencies_ms=latencies,
    )
