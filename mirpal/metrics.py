"""Prometheus metrics: requests, Celery tasks, and the outbox, at GET /metrics.

Counters add up across processes through prometheus_client's multiprocess mode: each process
(gunicorn worker, Celery pool process) writes its own values to a memory-mapped file in
PROMETHEUS_MULTIPROC_DIR, and a scrape sums the files. We chose it over keeping the counters in
Redis: a request pays a few memory writes rather than a round trip to Redis, and the figures do
not vanish when Redis is flushed or down. A process that finds PROMETHEUS_MULTIPROC_DIR unset
makes a temporary directory and sets it, before forking, so gunicorn's workers (preloaded) and a
Celery worker's pool share their master's; to add the web's and the worker's figures together on
one machine, give both the same PROMETHEUS_MULTIPROC_DIR (`make run` starts them from one process,
which makes it for all three). prometheus_client reads the variable when it is imported, so this
module sets it first and is the only one that imports prometheus_client (gunicorn_conf aside).

The outbox figures are read from the database at scrape time (OutboxCollector), one query, so they
are right whichever process answers the scrape.
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import os
import shutil
import tempfile
import time
from datetime import datetime
from functools import cache


def _multiprocess_directory() -> str:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        os.makedirs(path, exist_ok=True)
        return path
    path = tempfile.mkdtemp(prefix="mirpal-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    owner = os.getpid()

    def remove() -> None:
        # Forked children (gunicorn workers) run the parent's atexit handlers too: only the
        # process that made the directory removes it.
        if os.getpid() == owner:
            shutil.rmtree(path, ignore_errors=True)

    atexit.register(remove)
    return path


MULTIPROCESS_DIRECTORY = _multiprocess_directory()

from django.conf import settings  # noqa: E402
from django.http import Http404, HttpResponse  # noqa: E402
from django.views.decorators.cache import never_cache  # noqa: E402
from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

http_requests = Counter(
    "mirpal_http_requests",
    "HTTP requests answered, by method, view (the URL pattern's name) and status class.",
    ["method", "view", "status"],
)
http_request_duration = Histogram(
    "mirpal_http_request_duration_seconds",
    "Time from the first middleware to the answer, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
task_queue_wait = Histogram(
    "mirpal_celery_task_queue_wait_seconds",
    "Time from a task's publishing (or its ETA) to its start in a worker, by task.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600),
)
task_run = Histogram(
    "mirpal_celery_task_run_seconds",
    "Time a task ran in a worker, by task.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300),
)
tasks_finished = Counter(
    "mirpal_celery_tasks",
    "Tasks a worker finished, by task and state (SUCCESS, FAILURE, RETRY…).",
    ["task", "state"],
)


def request_observe(*, method: str, view: str, status: int, seconds: float) -> None:
    # Labels from a bounded set only: a view's name, never the path (every id would be a series).
    view = view or "unresolved"
    http_requests.labels(
        method if method in _METHODS else "other", view, f"{status // 100}xx"
    ).inc()
    http_request_duration.labels(view).observe(seconds)


# task id → monotonic start, in the pool process running it (prerun and postrun run there).
_task_starts: dict[str, float] = {}


def task_started(
    *, task_id: str, task_name: str, published_at: float | None, eta: str | None
) -> None:
    _task_starts[task_id] = time.monotonic()
    if not published_at:
        return
    ready_at = float(published_at)
    if eta:  # a countdown or ETA task was not meant to start before then
        with contextlib.suppress(TypeError, ValueError):
            ready_at = max(ready_at, datetime.fromisoformat(eta).timestamp())
    task_queue_wait.labels(task_name).observe(max(time.time() - ready_at, 0.0))


def task_finished(*, task_id: str, task_name: str, state: str | None) -> None:
    started = _task_starts.pop(task_id, None)
    if started is not None:
        task_run.labels(task_name).observe(time.monotonic() - started)
    tasks_finished.labels(task_name, state or "UNKNOWN").inc()


class OutboxCollector:
    """Mail not sent yet (pending, or claimed by a worker right now) and the age of the oldest,
    read at scrape time in one query (the partial index outbox_due_idx covers those rows)."""

    def collect(self):
        from django.db.models import Count, Min
        from django.utils import timezone

        from mirpal.enums import OutboxStatus
        from mirpal.models import OutboxMessage

        figures = OutboxMessage.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
        ).aggregate(count=Count("id"), oldest=Min("created_at"))
        depth = GaugeMetricFamily(
            "mirpal_outbox_pending_messages",
            "Mail in the outbox not sent yet (pending, or being sent).",
        )
        depth.add_metric([], figures["count"])
        yield depth
        oldest = GaugeMetricFamily(
            "mirpal_outbox_oldest_pending_age_seconds",
            "Age of the oldest mail not sent yet; 0 when none waits.",
        )
        age = (timezone.now() - figures["oldest"]).total_seconds() if figures["oldest"] else 0
        oldest.add_metric([], max(age, 0.0))
        yield oldest


# --- The endpoint.


@cache
def _allowed_networks(networks: tuple[str, ...]):
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def metrics_allowed(request) -> bool:
    """From an address in METRICS_ALLOWED_NETWORKS (as the rate limits read it, so behind a proxy
    the client's), or a signed-in staff account."""
    from mirpal.security_events import client_ip

    ip = client_ip(request)
    if ip is not None:
        address = ipaddress.ip_address(ip)
        if any(
            address in network
            for network in _allowed_networks(tuple(settings.METRICS_ALLOWED_NETWORKS))
        ):
            return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@never_cache
def metrics_view(request):
    """Prometheus's text format; 404 for anyone else, as if there were no such page."""
    if not metrics_allowed(request) or request.method not in ("GET", "HEAD"):
        raise Http404
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(OutboxCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
