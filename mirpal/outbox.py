"""The transactional outbox: every mail the platform sends goes through here.

A service writes its domain change and its outbox rows in one transaction (`outbox_enqueue`); after
commit the rows are marked queued and handed to Celery in batches (`outbox_dispatch`), and a task
sends each batch over one SMTP connection (`outbox_send_batch`). The marking comes before the
hand-over, never after: a task that started while the rows were still being marked would find them
locked, skip them, and leave them to the sweep.

A task claims its rows under `SELECT … FOR UPDATE SKIP LOCKED`, so two workers never send the same
row, and marks each one sent right after the SMTP server accepts it: a worker killed mid-batch can
resend at most the one message it was handing to SMTP. (The mark's commit is awaited while the
next message is built and announced, but always before that message's final dot: `_SentMarks`.)
The claim lives as long as the task's database session: the task holds a session-level advisory
lock named by a random token and writes that token on the rows it claims. When a worker dies,
PostgreSQL ends its session and drops the lock, and its rows are free at once; the lease
(OUTBOX_CLAIM_LEASE_SECONDS) only backs this up for a session that outlives its worker. (So the
database connection must stay with the worker: direct or session pooling, not transaction
pooling.)

`outbox_sweep` (scheduled every minute) queues rows that no task took, because the broker was down
or a task was lost, and rows whose claim died. A worker that starts runs one at once, which also
takes back every pending row: it cannot tell a task lost with a dead worker from one waiting in
the queue, and a second task for a row costs only a query.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import select
import smtplib
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, F, Func, Q
from django.utils import timezone
from psycopg import pq

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


class _SentMarks:
    """Marks rows sent over this task's database session, one row at a time, without standing
    idle while PostgreSQL flushes each commit to disk.

    `mark(row)` hands the row's UPDATE (a transaction of its own in autocommit) to the server and
    returns; `settle()` waits for its commit. The sender settles the previous row before the next
    message can be accepted (before the dot that ends its DATA), so the commit's wait overlaps
    the building and the first commands of the next message, and the bound stays what it was: at
    any moment at most one message per worker process is accepted by SMTP and not marked sent.
    (A worker killed between `mark` and `settle` loses nothing: `mark` returns once the whole
    statement is on the socket, and PostgreSQL runs and commits a statement it has received even
    if its client is gone by then.) The statement goes through libpq's asynchronous calls (the
    ORM would wait for the reply); between `mark` and `settle` nothing else may use the session.
    """

    def __init__(self):
        connection.ensure_connection()
        self._pgconn = connection.connection.pgconn
        self._statement = (
            f"UPDATE {OutboxMessage._meta.db_table} "
            "SET status = $1, sent_at = statement_timestamp(), last_error = '' WHERE id = $2"
        ).encode()
        self._pending = False

    def mark(self, row: OutboxMessage) -> None:
        self.settle()
        with connection.wrap_database_errors:
            self._pgconn.send_query_params(
                self._statement, [OutboxStatus.SENT.encode(), str(row.id).encode()]
            )
            self._pending = True
            while self._pgconn.flush():  # the rest of the statement waits for the socket
                readable, _writable, _ = select.select([self._socket], [self._socket], [])
                if readable:
                    self._pgconn.consume_input()

    def settle(self) -> None:
        """Wait until the last row marked is committed; raise the database's error if not."""
        if not self._pending:
            return
        self._pending = False
        with connection.wrap_database_errors:
            self._pgconn.consume_input()
            while self._pgconn.is_busy():
                select.select([self._socket], [], [])
                self._pgconn.consume_input()
            error = None
            while (result := self._pgconn.get_result()) is not None:
                if result.status != pq.ExecStatus.COMMAND_OK and error is None:
                    error = psycopg.errors.error_from_result(result)
            if error is not None:
                raise error

    @property
    def _socket(self) -> int:
        return self._pgconn.socket


def _send(rows: list[OutboxMessage], counts: dict[str, int]) -> None:
    backend = get_connection()
    deliver = _deliver_smtp if isinstance(backend, SmtpBackend) else _deliver_backend
    marks = _SentMarks()
    try:
        for index, row in enumerate(rows):
            try:
                backend.open()  # nothing to do while the connection stands
            except OSError as error:  # smtplib's errors are OSErrors too
                marks.settle()
                for unsent in rows[index:]:
                    _record_failure(unsent, error, permanent=False)
                counts["retry"] += len(rows) - index
                return
            try:
                deliver(backend, row, before_acceptance=marks.settle)
            except OSError as error:
                marks.settle()
                permanent = _is_permanent(error)
                _record_failure(row, error, permanent=permanent)
                counts["failed" if permanent else "retry"] += 1
                if _connection_lost(backend):
                    _close_quietly(backend)
                continue
            marks.mark(row)
            counts["sent"] += 1
    finally:
        try:
            marks.settle()  # the last row marked; or, on the way out of an error, the one pending
        finally:
            _close_quietly(backend)


def _deliver_backend(backend, row: OutboxMessage, *, before_acceptance: Callable[[], None]) -> None:
    """Any other backend (files in development, memory in tests): handed over whole."""
    email = _as_email(row, backend)
    before_acceptance()
    email.send()


_LINE_STARTING_WITH_DOT = re.compile(rb"^\.", re.MULTILINE)


def _deliver_smtp(
    backend: SmtpBackend, row: OutboxMessage, *, before_acceptance: Callable[[], None]
) -> None:
    """smtplib's `sendmail` for one recipient over the backend's open connection, with one
    difference: `before_acceptance` runs once the message's text is sent and before the dot that
    ends it, the moment the server takes the message. Should it raise, the connection is dropped
    without the dot and the server discards the message.

    Errors are smtplib's, raised as `sendmail` raises them, and leave the connection as it does:
    closed after a 421 or a drop, reset (RSET) after any other refusal.
    """
    smtp = backend.connection
    sender = _envelope_sender(settings.DEFAULT_FROM_EMAIL)
    recipient = _envelope_address(row.to_email)
    message = _as_email(row, backend).message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(message)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _smtp_refused(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        _smtp_refused(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    text = _LINE_STARTING_WITH_DOT.sub(b"..", message)
    # The dot goes as a write of its own: without TCP_NODELAY, Nagle's algorithm would hold it
    # until the server acknowledges the text, and the server delays that acknowledgement.
    smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    smtp.send(text if text.endswith(b"\r\n") else text + b"\r\n")
    try:
        before_acceptance()
    except BaseException:
        smtp.close()
        raise
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _smtp_refused(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


# An address that Django's sanitize_address would give back unchanged: an ASCII dot-atom, an ASCII
# domain. Its parser costs a tenth of what building the message does, and nearly every address is
# this plain.
_PLAIN_ADDRESS = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*",
    re.ASCII,
)


def _envelope_address(address: str) -> str:
    """The address as Django's SMTP backend puts it in MAIL FROM and RCPT TO."""
    if _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, settings.DEFAULT_CHARSET)


@functools.lru_cache(maxsize=4)
def _envelope_sender(address: str) -> str:
    return _envelope_address(address)  # the same for every message: worked out once


def _smtp_refused(smtp: smtplib.SMTP, code: int) -> None:
    if code == 421:  # the server is closing the connection
        smtp.close()
        return
    with suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


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
