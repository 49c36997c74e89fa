"""Mail to a large audience, written by a worker in chunks, not in the request that decided it.

The request (the secretariat's click) records a run in its own transaction: who gets the mail,
their ids fixed at that moment, so the number the secretariat was shown is the number mailed, and
a Celery task is queued after the commit. It writes no mail itself, so it takes as many queries
for twenty members as for twenty thousand.

The task (`run_write`) writes the mails chunk by chunk. Each chunk's outbox rows commit in one
transaction with the run's cursor (`written`): a worker killed mid-chunk loses that chunk only,
and the next task resumes at the cursor; the outbox's unique idempotency keys make a chunk written
again mail nobody twice. A chunk locks the run's row (SKIP LOCKED, so a second task on the same run
leaves at once), never the row of what the mail is about. The beat sweep (`runs_sweep`) queues
again a run that nobody is moving: the broker was down at the click, or the worker died.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mirpal.enums import OutboxStatus, RunStatus
from mirpal.queueing import tasks_publish


class MailRun(models.Model):
    """The columns of a run; each model that is one (invitations, a message) adds its own."""

    recipient_ids = ArrayField(
        models.BigIntegerField(), verbose_name=_("recipients"), default=list, editable=False
    )
    written = models.PositiveIntegerField(_("written"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.WRITING
    )
    stop_reason = models.CharField(_("why it stopped"), max_length=40, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), db_default=Now())
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True


class RunStopped(Exception):
    """Raised by a chunk's writer when the run must not go on; `reason` is kept on the run."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


ChunkWriter = Callable[[MailRun, list[int]], None]


def _chunk_size() -> int:
    return settings.MAIL_RUN_CHUNK_SIZE


def run_advance(*, runs: models.QuerySet, run_id: int, write: ChunkWriter) -> bool:
    """Write the run's next chunk and move its cursor, in one transaction.

    True while the run has more to write and this caller may go on; False once it is written or
    stopped, or while another task holds it.
    """
    with transaction.atomic():
        run = (
            runs.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=RunStatus.WRITING)
            .first()
        )
        if run is None:
            return False
        chunk = run.recipient_ids[run.written : run.written + _chunk_size()]
        try:
            with transaction.atomic():
                if chunk:
                    write(run, chunk)
        except RunStopped as stop:
            run.status = RunStatus.STOPPED
            run.stop_reason = stop.reason
        else:
            run.written += len(chunk)
            if run.written >= len(run.recipient_ids):
                run.status = RunStatus.DONE
        run.progressed_at = timezone.now()
        if run.status != RunStatus.WRITING:
            run.finished_at = run.progressed_at
        run.save(update_fields=["written", "status", "stop_reason", "progressed_at", "finished_at"])
    return run.status == RunStatus.WRITING


def run_write(*, runs: models.QuerySet, run_id: int, write: ChunkWriter) -> bool:
    """Advance the run chunk after chunk for up to MAIL_RUN_TASK_SECONDS; True if it still has
    mail to write, for the task to queue it again (so no task meets the Celery time limit)."""
    deadline = time.monotonic() + settings.MAIL_RUN_TASK_SECONDS
    while run_advance(runs=runs, run_id=run_id, write=write):
        if time.monotonic() >= deadline:
            return True
    return False


def run_dispatch(*, runs: models.QuerySet, task, run_id: int) -> bool:
    """Hand the run to Celery; the caller has set its queued_at already, so that a task starting
    at once never waits on this process's update. A broker that does not answer clears queued_at
    and the sweep queues the run once it is back; the caller's action has committed either way."""
    if tasks_publish(task, [{"run_id": run_id}]):
        return True
    runs.filter(pk=run_id).update(queued_at=None)
    return False


def run_requeue(*, runs: models.QuerySet, task, run_id: int) -> bool:
    runs.filter(pk=run_id, status=RunStatus.WRITING).update(queued_at=timezone.now())
    return run_dispatch(runs=runs, task=task, run_id=run_id)


def runs_sweep(*, runs: models.QuerySet, task) -> int:
    """Queue the runs being written that nobody moves: never queued (the broker was down), or
    neither queued nor advanced for MAIL_RUN_LEASE_SECONDS (the task was lost or its worker
    died). Returns how many it queued. A run that was only slow gets a second task, which
    finds it locked or further on and does no harm."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.MAIL_RUN_LEASE_SECONDS)
    ids = list(
        runs.filter(status=RunStatus.WRITING)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=cutoff, progressed_at__lt=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    runs.filter(pk__in=ids).update(queued_at=now)
    return sum(run_dispatch(runs=runs, task=task, run_id=run_id) for run_id in ids)


@dataclass(frozen=True)
class MailCounts:
    waiting: int
    sent: int
    failed: int
    not_sent: int


def mail_counts(*, kind: str, key_prefix: str) -> MailCounts:
    """How the outbox rows of one kind under one key prefix stand: one query."""
    # mirpal.models imports MailRun from here to build Message on it.
    from mirpal.models import OutboxMessage

    counts = dict(
        OutboxMessage.objects.filter(kind=kind, idempotency_key__startswith=key_prefix)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )
    return MailCounts(
        waiting=counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0),
        sent=counts.get(OutboxStatus.SENT, 0),
        failed=counts.get(OutboxStatus.FAILED, 0),
        not_sent=counts.get(OutboxStatus.SKIPPED, 0),
    )
