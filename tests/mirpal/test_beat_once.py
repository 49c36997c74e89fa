"""One scheduler however many machines start beat (celery-redbeat's lock in Redis): two beats on
one schedule send each sweep once; when the one holding the lock dies, the other takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings

from mirpal.celery import app
from tests import worker
from tests.worker import ROOT, purge_test_queue, wait_until

# Three sweeps (outbox, invitation runs, message runs) run every OUTBOX_SWEEP_SECONDS.
SWEEPS_PER_SECOND = 3
LOCK_SECONDS = 6


class Beat:
    def __init__(self, name: str):
        self.name = name
        self.output: list[str] = []
        env = os.environ | {
            "DATABASE_URL": worker.test_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "MIRPAL_TESTING": "1",
            "OUTBOX_SWEEP_SECONDS": "1",
            "REDBEAT_LOCK_SECONDS": str(LOCK_SECONDS),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mirpal", "beat", "--loglevel", "DEBUG"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                self.output.append(line)
        except ValueError:  # the pipe was closed by _close()
            pass

    def _close(self) -> None:
        self._reader.join(5)
        self.process.stdout.close()

    def sent(self) -> int:
        return sum("Sending due task" in line for line in self.output)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self._close()


def queued() -> int:
    """Messages waiting in the test queue (no worker takes them)."""
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        declared = conn.default_channel.queue_declare(
            queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=True
        )
        return declared.message_count


@pytest.mark.django_db(transaction=True)
def test_two_beats_send_each_sweep_once_and_the_second_takes_over_when_the_first_dies():
    purge_test_queue()
    first = Beat("first")
    try:
        assert wait_until(lambda: first.sent() >= SWEEPS_PER_SECOND, timeout=60), "".join(
            first.output[-30:]
        )
        second = Beat("second")
        try:
            # The second starts, finds the lock taken and waits; meanwhile the sweeps go once.
            assert wait_until(lambda: "lock" in "".join(second.output).lower(), timeout=30)
            window = 8
            before, first_before = queued(), first.sent()
            time.sleep(window)
            sent_in_window = queued() - before
            print(
                f"two beats, {window} s: {sent_in_window} sweeps queued "
                f"(one beat: about {window * SWEEPS_PER_SECOND})"
            )
            assert second.sent() == 0
            # Every sweep in the queue came from the first beat. The log and the queue are read a
            # moment apart at each edge of the window, so a burst of sweeps (one per kind) in
            # flight there may be counted on one side only.
            logged_in_window = first.sent() - first_before
            assert abs(sent_in_window - logged_in_window) <= SWEEPS_PER_SECOND, (
                sent_in_window,
                logged_in_window,
            )
            assert window * SWEEPS_PER_SECOND * 0.6 <= sent_in_window
            assert sent_in_window <= window * SWEEPS_PER_SECOND * 1.25 + SWEEPS_PER_SECOND

            # The lock holder dies without releasing it: the other takes over once it expires.
            first.kill()
            died = time.monotonic()
            assert wait_until(lambda: second.sent() >= SWEEPS_PER_SECOND, timeout=LOCK_SECONDS + 20)
            took_over = time.monotonic() - died
            print(f"the second beat sent its first sweep {took_over:.1f} s after the first died")
            assert took_over <= LOCK_SECONDS + 10
        finally:
            second.stop()
    finally:
        first.stop()
        purge_test_queue()
