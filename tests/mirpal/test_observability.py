"""Request ids, the JSON request log and GET /metrics through the test client (mirpal.observability,
mirpal.metrics); real processes (gunicorn, a Celery worker, Sentry) in the _processes module."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from mirpal.models import OutboxMessage
from mirpal.observability import JsonFormatter, RequestIdFilter

PUBLIC_ADDRESS = "203.0.113.7"


def metric_samples(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a Prometheus text page."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get(reverse("metrics"), **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return metric_samples(response.content.decode())


# --- Request ids.


@pytest.mark.django_db
def test_each_answer_gets_a_new_request_id_and_a_client_cannot_choose_it(client, settings):
    settings.PROXY_COUNT = 0
    first = client.get(reverse("healthz_live"))
    second = client.get(reverse("healthz_live"), headers={"X-Request-ID": "chosen-by-client"})
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_behind_a_configured_proxy_its_request_id_is_kept_when_short_and_plain(client, settings):
    settings.PROXY_COUNT = 1
    kept = client.get(reverse("home"), headers={"X-Request-ID": "edge-7f3a.9_b-01"})
    assert kept.status_code == 200
    assert kept["X-Request-ID"] == "edge-7f3a.9_b-01"
    for refused in ("a" * 65, "id with spaces", "<script>", "ид-запроса", "-leading-dash"):
        answer = client.get(reverse("healthz_live"), headers={"X-Request-ID": refused})
        assert re.fullmatch(r"[0-9a-f]{32}", answer["X-Request-ID"]), refused


@pytest.fixture
def request_log():
    """The request log as LOG_FORMAT=json writes it: a real handler with the real formatter and
    filter, on the mirpal.request logger (quiet in the tests' plain-text configuration)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mirpal.request")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_signed_in_request_is_one_json_line_with_its_id_and_no_personal_data(
    client, member, request_log
):
    client.force_login(member)
    response = client.get(reverse("mail_preferences") + "?email=someone@example.org")
    assert response.status_code == 200
    [line] = request_log()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line.pop("time"))
    assert line.pop("duration_ms") > 0
    assert line == {
        "level": "INFO",
        "logger": "mirpal.request",
        "message": "GET /mail/preferences/ 200",
        "request_id": response["X-Request-ID"],
        "method": "GET",
        "path": "/mail/preferences/",
        "view": "mail_preferences",
        "status": 200,
        "user_id": member.pk,
    }
    assert member.email not in json.dumps(line)


def test_a_json_line_holds_the_exception_and_stays_one_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("a failure\non two lines")
    except ValueError:
        record = logging.LogRecord(
            "mirpal.test", logging.ERROR, __file__, 1, "failed: %s", ("x",), sys.exc_info()
        )
    RequestIdFilter().filter(record)
    text = formatter.format(record)
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["message"] == "failed: x"
    assert entry["request_id"] == ""  # outside a request
    assert entry["exception"].startswith("Traceback")
    assert "ValueError: a failure\non two lines" in entry["exception"]


# --- /metrics: who may read it.


@pytest.mark.django_db
def test_metrics_are_not_found_from_a_public_address_unless_staff(client_for, member):
    anonymous = client_for("anonymous")
    assert anonymous.get(reverse("metrics"), REMOTE_ADDR=PUBLIC_ADDRESS).status_code == 404
    assert client_for("member").get(reverse("metrics"), REMOTE_ADDR=PUBLIC_ADDRESS).status_code == (
        404
    )
    staff = client_for("secretariat")
    assert staff.get(reverse("metrics"), REMOTE_ADDR=PUBLIC_ADDRESS).status_code == 200


@pytest.mark.django_db
def test_metrics_answer_the_allowed_networks_as_the_project_reads_the_address(client, settings):
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="::1").status_code == 200
    # Without a proxy a forwarded address is the client's own claim: not believed.
    spoofed = client.get(
        reverse("metrics"), REMOTE_ADDR=PUBLIC_ADDRESS, headers={"X-Forwarded-For": "127.0.0.1"}
    )
    assert spoofed.status_code == 404
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 404
    # Behind one proxy, the address it forwards is the client's.
    settings.PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    behind = client.get(
        reverse("metrics"), REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "10.20.9.9"}
    )
    assert behind.status_code == 200
    outside = client.get(
        reverse("metrics"), REMOTE_ADDR="10.20.3.4", headers={"X-Forwarded-For": PUBLIC_ADDRESS}
    )
    assert outside.status_code == 404


# --- /metrics: what it says.


@pytest.mark.django_db
def test_the_request_counter_goes_up_by_view_and_status_class(client):
    ok = (
        "mirpal_http_requests_total",
        (("method", "GET"), ("status", "2xx"), ("view", "healthz_live")),
    )
    missing = (
        "mirpal_http_requests_total",
        (("method", "GET"), ("status", "4xx"), ("view", "unresolved")),
    )
    timed = ("mirpal_http_request_duration_seconds_count", (("view", "healthz_live"),))
    static = (
        "mirpal_http_requests_total",
        (("method", "GET"), ("status", "2xx"), ("view", "static")),
    )
    before = scrape(client)
    for _ in range(3):
        client.get(reverse("healthz_live"))
    client.get("/no-such-page/42/")
    static_file = client.get("/static/css/mirpal.css")
    assert static_file.status_code == 200
    assert b"".join(static_file.streaming_content)
    after = scrape(client)
    assert after[ok] - before.get(ok, 0) == 3
    assert after[static] - before.get(static, 0) == 1
    assert after[timed] - before.get(timed, 0) == 3
    assert after[missing] - before.get(missing, 0) == 1
    # The path never becomes a label.
    assert not any("/no-such-page/" in str(labels) for _, labels in after)


def _outbox_row(n: int, *, status: str, age: timedelta) -> OutboxMessage:
    row = OutboxMessage.objects.create(
        idempotency_key=f"metrics:{n}",
        kind="test",
        to_email=f"person{n}@example.org",
        subject="s",
        body_text="b",
        status=status,
        sent_at=timezone.now() if status == "sent" else None,
    )
    OutboxMessage.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


@pytest.mark.django_db
def test_outbox_depth_and_oldest_pending_age_are_read_at_scrape_time(client):
    depth = ("mirpal_outbox_pending_messages", ())
    oldest = ("mirpal_outbox_oldest_pending_age_seconds", ())
    assert scrape(client)[depth] == 0
    assert scrape(client)[oldest] == 0
    # Older mail that has left the outbox counts for nothing.
    _outbox_row(1, status="sent", age=timedelta(days=3))
    _outbox_row(2, status="failed", age=timedelta(days=2))
    _outbox_row(3, status="skipped", age=timedelta(days=1))
    _outbox_row(4, status="pending", age=timedelta(minutes=10))
    _outbox_row(5, status="pending", age=timedelta(minutes=1))
    _outbox_row(6, status="sending", age=timedelta(seconds=30))
    started = timezone.now()
    figures = scrape(client)
    elapsed = (timezone.now() - started).total_seconds()
    assert figures[depth] == 3
    assert 600 <= figures[oldest] <= 600 + elapsed + 1


@pytest.mark.django_db
def test_metrics_cost_one_query_however_many_rows(client, secretariat):
    def queries(scraper, **extra) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert scraper.get(reverse("metrics"), **extra).status_code == 200
        return len(captured)

    staff = type(client)()
    staff.force_login(secretariat)
    staff.get(reverse("metrics"), REMOTE_ADDR=PUBLIC_ADDRESS)  # session and permissions cached
    few_anonymous, few_staff = queries(client), queries(staff, REMOTE_ADDR=PUBLIC_ADDRESS)
    for n in range(40):
        _outbox_row(100 + n, status="pending", age=timedelta(minutes=n))
    assert few_anonymous == queries(client) == 1
    assert few_staff == queries(staff, REMOTE_ADDR=PUBLIC_ADDRESS)
