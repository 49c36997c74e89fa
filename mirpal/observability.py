"""Request ids, the request log, structured (JSON) log lines and Sentry.

Every request gets an id: the proxy's X-Request-ID when a proxy is configured (PROXY_COUNT) and the
header is short and plain, otherwise a new one. It lives in a context variable for the request,
goes back as the X-Request-ID header, is on every log record (RequestIdFilter) and on every Sentry
event (a tag), and travels with each Celery task the request queues (a message header), so that the
worker's lines for that task carry it too (mirpal/celery.py connects the signals below).

Imported by mirpal/celery.py, that is before the settings are read: nothing here touches them or
the app registry at import time.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.utils.functional import LazyObject, empty

from mirpal import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is taken only when it is this plain: it ends up in log lines, tags and headers.
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
# Task message headers: the id of the request (or task) that queued it, and when it was queued.
TASK_REQUEST_ID_HEADER = "mirpal_request_id"
TASK_PUBLISHED_AT_HEADER = "mirpal_published_at"
PATH_MAX_LENGTH = 400

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("mirpal_request_id", default="")

request_logger = logging.getLogger("mirpal.request")


def request_id_accepted(value: str | None) -> str | None:
    return value if value and _ACCEPTED_REQUEST_ID.match(value) else None


class RequestIdMiddleware:
    """First in MIDDLEWARE: the request's id, its line in the request log and its metrics, so
    that answers given by the middleware below (redirects, static files, errors) count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a proxy in front, the header comes from the client itself: ignored, so nobody
        # can make their requests look like someone else's in the logs.
        incoming = request.headers.get(REQUEST_ID_HEADER) if settings.PROXY_COUNT > 0 else None
        request_id = request_id_accepted(incoming) or uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request_id
            view = _view_name(request)
            metrics.request_observe(
                method=request.method, view=view, status=response.status_code, seconds=duration
            )
            if request_logger.isEnabledFor(logging.INFO):
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path[:PATH_MAX_LENGTH],
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path[:PATH_MAX_LENGTH],
                        "view": view,
                        "status": response.status_code,
                        "duration_ms": round(duration * 1000, 1),
                        "user_id": _signed_in_user_id(request),
                    },
                )
            return response
        finally:
            _request_id.reset(token)


def _view_name(request) -> str:
    """The URL pattern's name (namespaced: "v1:event-list"), a bounded set of labels; static
    files answered by whitenoise before any URL is resolved are "static"."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    return "static" if request.path.startswith(settings.STATIC_URL) else ""


def _signed_in_user_id(request) -> int | None:
    """The user's id when the request already read who is signed in; never a query of its own
    (a static file or a health check asks nobody)."""
    user = getattr(request, "user", None)
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    if user is None or not user.is_authenticated:
        return None
    return user.pk


# --- Log records.


class RequestIdFilter(logging.Filter):
    """Puts request_id (empty outside a request or task) on every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line (LOG_FORMAT=json): what a log collector indexes without parsing."""

    # What the request log adds (see RequestIdMiddleware); nothing that names a person.
    FIELDS = ("method", "path", "view", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery: the id and the publish time travel as message headers (signals in mirpal/celery.py).


def task_publish_annotate(headers=None, **kwargs) -> None:
    """before_task_publish, in whichever process queues the task (web, worker, beat)."""
    if headers is None:
        return
    headers[TASK_PUBLISHED_AT_HEADER] = time.time()
    request_id = _request_id.get()
    if request_id:
        headers[TASK_REQUEST_ID_HEADER] = request_id


def task_started(task_id=None, task=None, **kwargs) -> None:
    """task_prerun, in the worker process that runs the task: its lines carry the id of the
    request that queued it; the time it waited in the queue is observed."""
    request = task.request
    _request_id.set(request_id_accepted(getattr(request, TASK_REQUEST_ID_HEADER, None)) or "")
    metrics.task_started(
        task_id=task_id,
        task_name=task.name,
        published_at=getattr(request, TASK_PUBLISHED_AT_HEADER, None),
        eta=getattr(request, "eta", None),
    )


def task_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    """task_postrun: the run time is observed; the next task starts without an id."""
    metrics.task_finished(task_id=task_id, task_name=task.name if task else "", state=state)
    _request_id.set("")


def celery_logging_configure(**kwargs) -> None:
    """setup_logging, in a worker or beat with LOG_FORMAT=json: our LOGGING instead of Celery's
    own handler on the root logger, so that its lines are JSON like the web's."""
    import logging.config

    logging.config.dictConfig(settings.LOGGING)


# --- Sentry.


def _sentry_request_id_tag(event, hint):
    request_id = _request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Errors (and, when sampled, timings) of the web and the workers to Sentry, without personal
    data: no user, address, cookies or bodies (send_default_pii off)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_sentry_request_id_tag,
        before_send_transaction=_sentry_request_id_tag,
    )
