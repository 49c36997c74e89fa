"""Handing tasks to Celery after the commit, without ever failing the action that queued them.

Every task the platform queues stands for a row that says what is left to do (an outbox row, a
webhook delivery, a mail run, a document still without text), and something takes that row up
again when no task came: a beat sweep, or for a document's text the admin action "Read the text
again". So by the time a task is published its action has committed, and a broker that does not
answer is logged and otherwise ignored. Publishing does not retry: Celery's default retries would
hold the request for seconds while the broker is down, for a row that waits anyway.

Queue after the commit (`queue_after_commit`, or `transaction.on_commit` around `tasks_publish`
when something must happen between the commit and the publishing), never inside a transaction: a
worker must not look for a row that is not committed yet.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from mirpal.celery import app

logger = logging.getLogger(__name__)


def tasks_publish(task, calls: Sequence[Mapping[str, Any]]) -> int:
    """Publish one message of `task` for each mapping of keyword arguments in `calls`, in order,
    over one broker connection. Returns how many the broker took: all of them, or those before
    the first error, which is logged; the caller's rows for the rest wait for their sweep."""
    published = 0
    if not calls:
        return 0
    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as broker:
            for kwargs in calls:
                task.apply_async(kwargs=dict(kwargs), connection=broker, retry=False)
                published += 1
    except Exception:  # the broker's errors vary by transport; all mean "not queued"
        logger.warning(
            "broker unavailable; %d of %d %s task(s) not queued, left for the sweep",
            len(calls) - published,
            len(calls),
            task.name,
        )
    return published


def queue_after_commit(task, calls: Sequence[Mapping[str, Any]]) -> None:
    """Publish these calls of `task` once the current transaction commits (at once outside one);
    nothing if it rolls back. A broker that does not answer is logged, as in `tasks_publish`."""
    calls = list(calls)
    if not calls:
        return

    def publish_after_commit() -> None:
        tasks_publish(task, calls)

    transaction.on_commit(publish_after_commit)
