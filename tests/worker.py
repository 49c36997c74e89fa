"""A real Celery worker (and, if asked, its beat) in a subprocess, against the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    db = connection.settings_dict
    # The embedded server is reached through a socket directory given as OPTIONS["host"].
    host = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    if host.startswith("/"):
        return f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@/{db['NAME']}?host={host}"
    return (
        f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Worker:
    """`with Worker(smtp_port=...) as worker:` starts it and waits until it is ready."""

    def __init__(
        self,
        *,
        smtp_port: int,
        concurrency: int = 2,
        beat: bool = False,
        env: dict[str, str] | None = None,
    ):
        self.smtp_port = smtp_port
        self.concurrency = concurrency
        self.beat = beat
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []
        self._ready = threading.Event()

    def start(self) -> Worker:
        env = (
            os.environ
            | {
                "DATABASE_URL": test_database_url(),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
                "MIRPAL_TESTING": "1",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.smtp_port),
                "SITE_URL": settings.SITE_URL,
                # A beat killed with its worker frees the scheduler's lock this soon for the next.
                "REDBEAT_LOCK_SECONDS": "10",
            }
            | self.extra_env
        )
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mirpal",
            "worker",
            "--queues",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--concurrency",
            str(self.concurrency),
            "--pool",
            "prefork",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]
        if self.beat:
            command += ["--beat"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(60):
            self.kill()
            raise RuntimeError("the Celery worker did not start:\n" + "".join(self.output[-40:]))
        return self

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                self.output.append(line)
                if " ready." in line:
                    self._ready.set()
        except ValueError:  # the pipe was closed by stop() or kill()
            pass

    def _close(self) -> None:
        self._reader.join(5)
        self.process.stdout.close()

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: a crash, not a shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            self._close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
                return
            self._close()

    def __enter__(self) -> Worker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def purge_test_queue() -> None:
    """Drop tasks a previous run left in the test queue, so that a new worker starts clean."""
    from mirpal.celery import app

    # RabbitMQ refuses to purge a queue not declared yet, which holds nothing anyway.
    with (
        app.connection_for_write(settings.CELERY_BROKER_URL) as conn,
        contextlib.suppress(*conn.channel_errors),
    ):
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


def wait_until(condition, *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
