"""The transactional outbox: every mail the platform sends goes through here.

A service writes its domain change and its outbox rows in one transaction (`outbox_enqueue`); after
commit the rows are marked queued and handed to Celery in batches (`outbox_dispatch`), and a task
sends each batch over one SMTP connection (`outbox_send_batch`). The marking comes before the
hand-over, never after: a task that started while the rows were still being marked would find them
locked, skip them, and leave them to the sweep.

A task claims its rows under `SELECT … FOR UPDATE SKIP LOCKED`, so two workers never send the same
row, and marks each one sent right after the SMTP server accepts it: a worker killed mid-batch can
resend at most the one message it was handing to SMTP. The claim lives as long as the task's
database session: the task holds a session-level advisory lock named by a random token and writes
that token on the rows it claims. When a worker dies, PostgreSQL ends its session and drops the
lock, and its rows are free at once; the lease (OUTBOX_CLAIM_LEASE_SECONDS) only backs this up for
a session that outlives its worker. (So the database connection must stay with the worker: direct
or session pooling, not transaction pooling.)

`outbox_sweep` (scheduled every minute) queues rows that no task took, because the broker was down
or a task was lost, and rows whose claim died. A worker that starts runs one at once, which also
takes back every pending row: it cannot tell a task lost with a dead worker from one waiting in
the queue, and a second task for a row costs only a query.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, F, Func, Q
from django.utils import timezone

from mirpal.enums import OutboxStatus
from mirpal.models import OutboxMessage
from mirpal.queueing import tasks_publish

logger = logging.getLogger(__name__)


def _claim_lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)


def _queue_grace() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_QUEUE_GRACE_SECONDS)


@dataclass(frozen=True)
class Mail:
    key: str
    kind: str
    to_email: str
    subject: str
    body_text: str
    body_html: str = ""
    recipient_id: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[dict[str, str]] = field(default_factory=list)
    members_only: bool = False


def outbox_enqueue(mails: list[Mail]) -> list[int]:
    """Write these mails as outbox rows and queue their sending for after the commit.

    Keys already present are skipped (the database keeps them unique), so calling this twice for
    the same action queues nothing new. Returns the ids of the rows written now.
    """
    if not mails:
        return []
    rows = [
        OutboxMessage(
            idempotency_key=mail.key[:255],
            kind=mail.kind,
            to_email=mail.to_email,
            subject=mail.subject[:300],
            body_text=mail.body_text,
            body_html=mail.body_html,
            recipient_id=mail.recipient_id,
            headers=mail.headers,
            attachments=mail.attachments,
            members_only=mail.members_only,
        )
        for mail in mails
    ]
    keys = [row.idempotency_key for row in rows]
    with transaction.atomic():
        existing = set(
            OutboxMessage.objects.filter(idempotency_key__in=keys).values_list(
                "idempotency_key", flat=True
            )
        )
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        new_ids = list(
            OutboxMessage.objects.filter(
                idempotency_key__in=[key for key in keys if key not in existing]
            ).values_list("id", flat=True)
        )
        transaction.on_commit(lambda: outbox_dispatch(message_ids=new_ids))
    return new_ids


def outbox_dispatch(*, message_ids: list[int]) -> int:
    """Mark these rows queued and hand them to Celery in batches; returns how many batches the
    broker took.

    A broker that does not answer is logged and left alone: the rows it did not take stay pending
    and unmarked, and the sweep queues them when the broker is back. The caller's action has
    already committed either way.
    """
    from mirpal.tasks import outbox_send_batch_task  # mirpal.tasks imports this module

    if not message_ids:
        return 0
    size = settings.OUTBOX_BATCH_SIZE
    # Committed before any task exists, so no task can meet these rows locked by the marking.
    OutboxMessage.objects.filter(id__in=message_ids, status=OutboxStatus.PENDING).update(
        queued_at=timezone.now()
    )
    batches = [
        {"message_ids": message_ids[start : start + size]}
        for start in range(0, len(message_ids), size)
    ]
    queued = tasks_publish(outbox_send_batch_task, batches)
    left = message_ids[queued * size :]
    if left:
        OutboxMessage.objects.filter(id__in=left, status=OutboxStatus.PENDING).update(
            queued_at=None
        )
    return queued


@contextmanager
def _claim_token() -> Iterator[int]:
    """A token whose advisory lock this database session holds until the block ends."""
    token = secrets.randbits(62)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [token])
    try:
        yield token
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [token])
        except DatabaseError:  # the session is gone, and its lock with it
            logger.warning("outbox claim %s: the database session ended before its release", token)


def _claim_abandoned(now) -> Q:
    """Rows in sending whose claiming session has ended, or (should a session outlive its
    worker) whose lease has run out.

    Trying the token's lock is how a session asks whether another holds it; what it takes is a
    transaction-level lock, released at this statement's or transaction's end. Evaluated per row
    as the row is read, it also sees a claim committed after this statement began.
    """
    claimer_gone = Func(
        F("claimed_by"), function="pg_try_advisory_xact_lock", output_field=BooleanField()
    )
    return Q(status=OutboxStatus.SENDING) & (
        Q(claimed_at__lt=now - _claim_lease()) | Q(claimer_gone)
    )


def _claim(message_ids: list[int], *, token: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(id__in=message_ids, next_attempt_at__lte=now)
            .filter(Q(status=OutboxStatus.PENDING) | _claim_abandoned(now))
            .order_by("id")
        )
        OutboxMessage.objects.filter(id__in=[row.id for row in rows]).update(
            status=OutboxStatus.SENDING,
            claimed_at=now,
            claimed_by=token,
            attempts=F("attempts") + 1,
        )
    return rows


# Who may still receive a claimed row is for the apps above to say (a members-only mail goes only
# to an approved member): each registers a check in its AppConfig.ready(), since the ground
# imports no app. A check gets the claimed rows and returns the ids of those that must not go.
RecipientCheck = Callable[[list[OutboxMessage]], set[int]]
_recipient_checks: list[tuple[RecipientCheck, str]] = []


def outbox_recipient_filter_register(check: RecipientCheck, *, reason: str) -> None:
    """Run `check` on every claimed batch before sending; the rows it names are marked skipped
    with `reason` kept for the secretariat. Registering the same check again changes nothing."""
    if all(check is not registered for registered, _ in _recipient_checks):
        _recipient_checks.append((check, reason))


def _skip_barred_recipients(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    for check, reason in _recipient_checks:
        barred = check(rows) if rows else set()
        if barred:
            OutboxMessage.objects.filter(id__in=barred).update(
                status=OutboxStatus.SKIPPED, last_error=reason
            )
            rows = [row for row in rows if row.id not in barred]
    return rows


def _as_email(row: OutboxMessage, connection) -> EmailMultiAlternatives:
    headers = {"Message-ID": row.message_id, **row.headers}
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers=headers,
        connection=connection,
    )
    if row.body_html:
        email.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def outbox_send_batch(*, message_ids: list[int]) -> dict[str, int]:
    """Send the rows among these ids that are due and not yet taken, over one SMTP connection.

    Rows already sent, failed, or claimed by a live worker are skipped, so a re-run is harmless.
    A temporary error puts the row back with an exponential back-off: a 4xx reply, a connection
    dropped or refused. A dropped connection is opened again for the rest of the batch; if that is
    refused, every row not yet sent goes back the same way and the task ends normally. A permanent
    error (5xx) or too many attempts marks the row failed, with the error kept for the secretariat.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0}
    with _claim_token() as token:
        rows = _skip_barred_recipients(_claim(message_ids, token=token))
        if rows:
            _send(rows, counts)
    return counts


def _send(rows: list[OutboxMessage], counts: dict[str, int]) -> None:
    backend = get_connection()
    try:
        for index, row in enumerate(rows):
            try:
                backend.open()  # nothing to do while the connection stands
            except OSError as error:  # smtplib's errors are OSErrors too
                for unsent in rows[index:]:
                    _record_failure(unsent, error, permanent=False)
                counts["retry"] += len(rows) - index
                return
            try:
                _as_email(row, backend).send()
            except OSError as error:
                permanent = _is_permanent(error)
                _record_failure(row, error, permanent=permanent)
                counts["failed" if permanent else "retry"] += 1
                if _connection_lost(backend):
                    _close_quietly(backend)
                continue
            OutboxMessage.objects.filter(id=row.id).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
    finally:
        _close_quietly(backend)


def _connection_lost(backend) -> bool:
    """An SMTP connection that smtplib closed under the backend: a drop, a timeout, a 421. A
    reply refusing one message leaves it open."""
    smtp = getattr(backend, "connection", None)
    return isinstance(smtp, smtplib.SMTP) and smtp.sock is None


def _close_quietly(backend) -> None:
    # Saying QUIT to a server that is gone fails; the backend forgets the connection either way.
    with suppress(OSError):
        backend.close()


def _record_failure(row: OutboxMessage, error: Exception, *, permanent: bool) -> None:
    attempts = row.attempts + 1
    final = permanent or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    logger.warning("outbox row %s: %s (%s)", row.id, error, "final" if final else "will retry")
    OutboxMessage.objects.filter(id=row.id).update(
        status=OutboxStatus.FAILED if final else OutboxStatus.PENDING,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + _backoff(attempts),
        queued_at=None,
        claimed_at=None,
        claimed_by=None,
    )


def outbox_sweep(*, all_pending: bool = False) -> int:
    """Queue every due row that no live task holds; returns how many it queued.

    Pending rows handed over less than the grace period ago are left to the task that has them,
    unless `all_pending` (a worker starting after a crash may have lost those tasks).
    """
    now = timezone.now()
    pending = Q(status=OutboxStatus.PENDING)
    if not all_pending:
        pending &= Q(queued_at__isnull=True) | Q(queued_at__lt=now - _queue_grace())
    due = (
        OutboxMessage.objects.filter(next_attempt_at__lte=now)
        .filter(pending | _claim_abandoned(now))
        .order_by("id")
        .values_list("id", flat=True)
    )
    ids = list(due[:50_000])
    outbox_dispatch(message_ids=ids)
    return len(ids)


def outbox_send_pending() -> dict[str, int]:
    """Send every due row in this process, batch by batch; for commands and tests."""
    totals = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        ids = list(
            OutboxMessage.objects.filter(
                status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
            )
            .order_by("id")
            .values_list("id", flat=True)[: settings.OUTBOX_BATCH_SIZE]
        )
        if not ids:
            return totals
        counts = outbox_send_batch(message_ids=ids)
        for name, value in counts.items():
            totals[name] += value
        if counts["sent"] == 0 and counts["failed"] == 0:
            return totals
