"""Observability in real processes: gunicorn with LOG_FORMAT=json and two workers whose counters add
up, a Celery worker whose lines carry the id of the request that queued its task, and Sentry
receiving a view's error at a real HTTP server standing in for it."""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from tests.smtp import free_port
from tests.worker import Worker, purge_test_queue, wait_until
from tests.worker import test_database_url as worker_database_url  # not a test to collect

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def sample_value(text: str, name: str, **labels) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def test_gunicorn_with_json_logs_writes_one_object_a_line_and_sums_its_workers_counters(
    tmp_path,
):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "MIRPAL_TESTING": "1",
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "mirpal.wsgi",
                "--config",
                "python:mirpal.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=log,
        )
    ids: list[str] = []

    def served() -> bool:
        try:
            status, headers, _ = get(port, "/healthz/live")
        except OSError:
            return False
        assert status == 200
        ids.append(headers["X-Request-ID"])
        return True

    def booted_workers() -> set[int]:
        return {
            int(line["message"].rsplit(" ", 1)[1])
            for line in json_lines(log_path.read_text())
            if line["message"].startswith("Booting worker with pid: ")
        }

    def healthz_count() -> float:
        status, _, body = get(port, "/metrics")  # from 127.0.0.1, allowed by default
        assert status == 200
        return sample_value(
            body.decode(),
            "mirpal_http_requests_total",
            method="GET",
            view="healthz_live",
            status="2xx",
        )

    try:
        assert wait_until(lambda: server.poll() is None and served(), timeout=60), (
            log_path.read_text()
        )
        for _ in range(5):
            assert served()
        first_workers = booted_workers()
        assert len(first_workers) == 2
        # Whichever worker served each request, the scrape sums both.
        assert healthz_count() == len(ids) == 6
        # Workers that die are replaced (child_exit runs in the master); the counts of the dead
        # stay in the total, and their successors' add to it.
        for pid in first_workers:
            os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: len(booted_workers() - first_workers) == 2, timeout=60)
        assert wait_until(served, timeout=30)
        for _ in range(5):
            assert served()
        assert healthz_count() == len(ids) >= 12
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    lines = json_lines(log_path.read_text())  # every line is one JSON object
    by_id = {line["request_id"]: line for line in lines if line["logger"] == "mirpal.request"}
    for request_id in ids:
        line = by_id[request_id]
        assert line["level"] == "INFO"
        assert (line["method"], line["path"], line["view"], line["status"]) == (
            "GET",
            "/healthz/live",
            "healthz_live",
            200,
        )
        assert "user_id" not in line
    assert any(line["logger"] == "gunicorn.error" for line in lines)


def test_a_request_that_queues_a_task_carries_its_id_into_the_workers_log_lines(
    client, member, smtp_sink
):
    purge_test_queue()
    with Worker(smtp_port=smtp_sink.port, env={"LOG_FORMAT": "json"}) as worker:
        before = client.get(reverse("metrics")).content.decode()
        # The password reset form mails the member through the outbox: a Celery task after commit.
        response = client.post(reverse("account_reset_password"), {"email": member.email})
        assert response.status_code == 302
        request_id = response["X-Request-ID"]

        def task_lines() -> list[dict]:
            return [
                entry
                for entry in (_json_or_none(text) for text in worker.output)
                if entry and entry["request_id"] == request_id
            ]

        assert wait_until(
            lambda: any("succeeded" in line["message"] for line in task_lines()), timeout=60
        ), "".join(worker.output[-40:])
        assert wait_until(lambda: len(smtp_sink.messages) == 1, timeout=30)
        finished = [line for line in task_lines() if "succeeded" in line["message"]]
        assert finished[0]["message"].startswith("Task mirpal.outbox_send_batch[")
        assert finished[0]["logger"] == "celery.app.trace"
        # The worker's log lines are JSON; those of other tasks carry no id or their own.
        assert any(
            (entry := _json_or_none(text)) and entry["message"].endswith(" ready.")
            for text in worker.output
        )
        # The wait and the run of the task, measured in the worker's pool process, are in the
        # figures this process serves (the worker shares its PROMETHEUS_MULTIPROC_DIR).
        after = client.get(reverse("metrics")).content.decode()
        for name in (
            "mirpal_celery_task_queue_wait_seconds_count",
            "mirpal_celery_task_run_seconds_count",
        ):
            assert sample_value(after, name, task="mirpal.outbox_send_batch") > sample_value(
                before, name, task="mirpal.outbox_send_batch"
            )


def _json_or_none(text: str) -> dict | None:
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


# --- Sentry.


class _SentryStandIn(http.server.ThreadingHTTPServer):
    """Takes Sentry's envelopes (POST /api/<project>/envelope/) and keeps them."""

    def __init__(self):
        self.envelopes: list[bytes] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(handler):
                body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
                if handler.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                self.envelopes.append(body)
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.end_headers()
                handler.wfile.write(b"{}")

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


SENTRY_SCRIPT = """
import json, sys
import django
django.setup()
import sentry_sdk
from django.contrib.auth import get_user_model
from django.test import Client

client = Client(raise_request_exception=False)
client.force_login(get_user_model().objects.get(pk=int(sys.argv[1])))
response = client.get("/failing/")
print(json.dumps({"status": response.status_code, "request_id": response["X-Request-ID"]}))
sentry_sdk.flush(10)
"""


def _events(envelopes: list[bytes]) -> list[dict]:
    events = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_sentry_receives_a_views_error_tagged_with_the_request_id_and_without_the_email(member):
    server = _SentryStandIn()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mirpal.settings",
            "DATABASE_URL": worker_database_url(),
            "MIRPAL_TESTING": "1",
            "MIRPAL_URLCONF": "tests.mirpal.urls_with_error",
            "ALLOWED_HOSTS": "testserver",
            "SENTRY_DSN": f"http://public@127.0.0.1:{server.server_address[1]}/1",
            "SENTRY_ENVIRONMENT": "rehearsal",
            "SENTRY_RELEASE": "mirpal@test",
        }
        run = subprocess.run(
            [sys.executable, "-c", SENTRY_SCRIPT, str(member.pk)],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        answer = json.loads(run.stdout.strip().splitlines()[-1])
        assert answer["status"] == 500
        assert wait_until(lambda: _events(server.envelopes), timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    [event] = _events(server.envelopes)
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == (
        "RuntimeError",
        "a failure for the error page test",
    )
    assert event["tags"]["request_id"] == answer["request_id"]
    assert (event["environment"], event["release"]) == ("rehearsal", "mirpal@test")
    everything = b"".join(server.envelopes)
    assert member.email.encode() not in everything
    assert "user" not in event or "email" not in event["user"]
