from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_dispatch, outbox_enqueue, outbox_send_batch, outbox_sweep
from tests.smtp import SmtpSink, free_port
from tests.worker import wait_until


def lock_held(key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1"
            " AND ((classid::bigint << 32) | objid::bigint) = %s",
            [key],
        )
        return cursor.fetchone()[0] == 1


def mail(key: str, to: str = "reader@example.org") -> Mail:
    return Mail(key=key, kind="test", to_email=to, subject="Приглашение", body_text="Текст письма")


@pytest.mark.django_db
def test_the_same_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        first = outbox_enqueue([mail("invitation:1:1"), mail("invitation:2:1")])
    with django_capture_on_commit_callbacks():
        again = outbox_enqueue([mail("invitation:1:1")])
    assert len(first) == 2
    assert again == []
    assert OutboxMessage.objects.count() == 2


@pytest.mark.django_db
def test_a_batch_goes_over_smtp_with_a_message_id_from_the_key(smtp_sink):
    ids = outbox_enqueue([mail("k:1", "a@example.org"), mail("k:2", "b@example.org")])

    assert outbox_send_batch(message_ids=ids) == {"sent": 2, "retry": 0, "failed": 0}
    [received] = smtp_sink.to("a@example.org")
    row = OutboxMessage.objects.get(idempotency_key="k:1")
    assert received["Message-ID"] == row.message_id
    assert SmtpSink.subject(received) == "Приглашение"
    assert (row.status, row.attempts) == ("sent", 1)
    # A second run of the same batch sends nothing again.
    assert outbox_send_batch(message_ids=ids) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp_sink.messages) == 2


@pytest.mark.django_db
def test_a_refused_mailbox_is_failed_for_good_and_the_rest_still_go(smtp_sink):
    ids = outbox_enqueue([mail("k:1", "gone@bounce.example"), mail("k:2", "ok@example.org")])

    assert outbox_send_batch(message_ids=ids) == {"sent": 1, "retry": 0, "failed": 1}
    refused = OutboxMessage.objects.get(idempotency_key="k:1")
    assert refused.status == "failed"
    assert "550" in refused.last_error
    assert len(smtp_sink.to("ok@example.org")) == 1


@pytest.mark.django_db
def test_an_unreachable_smtp_server_leaves_rows_for_a_later_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    ids = outbox_enqueue([mail("k:1")])

    assert outbox_send_batch(message_ids=ids) == {"sent": 0, "retry": 1, "failed": 0}
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert "ConnectionRefusedError" in row.last_error


@pytest.mark.django_db
def test_rows_stuck_with_a_dead_worker_are_taken_back_after_the_lease(smtp_sink):
    [row_id] = outbox_enqueue([mail("k:1")])
    OutboxMessage.objects.filter(id=row_id).update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=1)
    )
    assert outbox_send_batch(message_ids=[row_id])["sent"] == 0

    OutboxMessage.objects.filter(id=row_id).update(claimed_at=timezone.now() - timedelta(minutes=6))
    assert outbox_send_batch(message_ids=[row_id])["sent"] == 1


@pytest.mark.django_db
def test_a_claim_lasts_as_long_as_the_database_session_that_holds_it(smtp_sink):
    """A task's claim is its session's advisory lock: while the worker's session lives, nobody
    takes its rows, however young the claim; when the session ends (the worker died), the sweep
    and the next task take them at once, without waiting for the lease."""
    [row_id] = outbox_enqueue([mail("k:1")])
    worker_session = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    worker_session.execute("SELECT pg_advisory_lock(4242)")
    assert lock_held(4242)
    OutboxMessage.objects.filter(id=row_id).update(
        status="sending", claimed_at=timezone.now(), claimed_by=4242
    )
    assert outbox_sweep() == 0
    assert outbox_send_batch(message_ids=[row_id])["sent"] == 0

    worker_session.close()
    assert wait_until(lambda: not lock_held(4242), timeout=5)  # the server ends the session
    assert outbox_sweep() == 1
    assert outbox_send_batch(message_ids=[row_id]) == {"sent": 1, "retry": 0, "failed": 0}
    assert OutboxMessage.objects.get(id=row_id).attempts == 1
    assert len(smtp_sink.messages) == 1


@pytest.mark.django_db
def test_dispatch_with_the_broker_down_leaves_rows_for_the_sweep(settings):
    ids = outbox_enqueue([mail("k:1")])
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    assert outbox_dispatch(message_ids=ids) == 0
    assert OutboxMessage.objects.get().queued_at is None


@pytest.mark.django_db
def test_dispatch_hands_batches_to_the_real_broker(settings):
    settings.OUTBOX_BATCH_SIZE = 2
    ids = outbox_enqueue([mail(f"k:{n}") for n in range(5)])

    assert outbox_dispatch(message_ids=ids) == 3
    assert OutboxMessage.objects.filter(queued_at__isnull=False).count() == 5


@pytest.mark.django_db
def test_sweep_queues_rows_no_task_took_and_leaves_fresh_queued_ones():
    lost, fresh, done = outbox_enqueue([mail("k:lost"), mail("k:fresh"), mail("k:done")])
    OutboxMessage.objects.filter(id=lost).update(queued_at=timezone.now() - timedelta(minutes=5))
    OutboxMessage.objects.filter(id=fresh).update(queued_at=timezone.now())
    OutboxMessage.objects.filter(id=done).update(status="sent", sent_at=timezone.now())

    assert outbox_sweep() == 1
    assert OutboxMessage.objects.get(id=lost).queued_at > timezone.now() - timedelta(seconds=30)
