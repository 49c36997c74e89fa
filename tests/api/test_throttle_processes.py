"""The request limits hold across processes: two gunicorn servers (one worker each) share the
Redis cache, so together they let through exactly the limit, not the limit per process."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from bench.server import free_port
from tests import worker
from tests.factories.api import partner_key

ROOT = Path(__file__).resolve().parents[2]


def _other_database(location: str) -> str:
    if "db=" in location:
        return re.sub(r"db=\d+", "db=5", location)
    return location.rsplit("/", 1)[0] + "/5"


def _start(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "mirpal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, dict(response.getheaders())


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


@pytest.mark.django_db(transaction=True)
def test_throttle_holds_across_two_server_processes():
    _key, raw = partner_key()
    env = os.environ | {
        "DATABASE_URL": worker.test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # A Redis database of its own: other test runs clear the shared cache's database.
        "CACHE_URL": _other_database(settings.CACHES["default"]["LOCATION"]),
        "CACHE_KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}",
        "MIRPAL_TESTING": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_RATE_ANONYMOUS": "5",
        "API_RATE_KEY": "4",
        "API_RATE_WINDOW_SECONDS": "3600",
    }
    ports = [free_port(), free_port()]
    servers = [_start(port, env) for port in ports]
    try:
        for port in ports:
            _wait_ready(port)
        anonymous = [_get(ports[i % 2], "/api/v1/countries/")[0] for i in range(8)]
        assert anonymous == [200] * 5 + [429] * 3
        keyed = [
            _get(ports[i % 2], "/api/v1/countries/", {"Authorization": f"Api-Key {raw}"})
            for i in range(6)
        ]
        assert [status for status, _headers in keyed] == [200] * 4 + [429] * 2
        assert 0 < int(keyed[-1][1]["Retry-After"]) <= 3600
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(15)
