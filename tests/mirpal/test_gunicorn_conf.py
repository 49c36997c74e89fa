"""mirpal/gunicorn_conf.py: gunicorn started as `make run` and `make bench` start it serves the
site, with the application imported in the master before the workers fork."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

import mirpal.gunicorn_conf

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_importing_the_module_starts_nothing_and_leaves_address_and_workers_to_the_command():
    names = {name for name in vars(mirpal.gunicorn_conf) if not name.startswith("_")}
    assert "bind" not in names
    assert "workers" not in names
    assert mirpal.gunicorn_conf.preload_app is True


@pytest.mark.django_db
def test_gunicorn_with_the_configuration_serves_the_site(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "MIRPAL_TESTING": "1",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
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
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/healthz")
                answer = connection.getresponse()
                body = answer.read()
                connection.close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
        assert (answer.status, body) == (
            200,
            b'{"status": "ok", "database": true, "broker": true}',
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
