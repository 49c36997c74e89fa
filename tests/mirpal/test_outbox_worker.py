"""The outbox with a real Celery worker, a real broker and a real SMTP sink."""

import pytest
from django.db import transaction

from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue
from tests.worker import Worker, purge_test_queue, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def fan_out(count: int, prefix: str) -> list[int]:
    mails = [
        Mail(
            key=f"{prefix}:{n}",
            kind="invitation",
            to_email=f"member{n}@example.org",
            subject=f"Приглашение {n}",
            body_text="Видеоконференция по оргнабору",
        )
        for n in range(count)
    ]
    with transaction.atomic():
        return outbox_enqueue(mails)  # queued on commit, through the real broker


def test_a_real_worker_sends_500_messages_once_each(smtp_sink):
    purge_test_queue()
    with Worker(smtp_port=smtp_sink.port):
        fan_out(500, "batch500")
        assert wait_until(lambda: len(smtp_sink.messages) >= 500, timeout=90)
    recipients = [message["To"] for message in smtp_sink.messages]
    assert len(recipients) == 500
    assert len(set(recipients)) == 500
    assert OutboxMessage.objects.filter(status="sent").count() == 500


def test_killing_the_worker_mid_fan_out_loses_nothing_and_repeats_at_most_the_in_flight(
    smtp_sink,
):
    """2,000 messages; the worker is SIGKILLed part-way; a new worker (with its beat sweeping
    every 2 s and leases of 5 s) finishes the job.

    The bound: a message is marked sent right after the SMTP server accepts it, so the only
    messages that can go twice are those accepted but not yet marked when the worker died: at
    most one per pool process (concurrency 2).
    """
    purge_test_queue()
    fast_recovery = {
        "OUTBOX_CLAIM_LEASE_SECONDS": "5",
        "OUTBOX_QUEUE_GRACE_SECONDS": "5",
        "OUTBOX_SWEEP_SECONDS": "2",
    }
    first = Worker(smtp_port=smtp_sink.port, concurrency=2, env=fast_recovery).start()
    try:
        fan_out(2000, "kill")
        assert wait_until(lambda: len(smtp_sink.messages) >= 400, timeout=90)
    finally:
        first.kill()
    delivered_at_kill = len(smtp_sink.messages)
    marked_at_kill = OutboxMessage.objects.filter(status="sent").count()
    in_flight = delivered_at_kill - marked_at_kill
    assert 0 < delivered_at_kill < 2000

    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=fast_recovery):
        assert wait_until(
            lambda: OutboxMessage.objects.filter(status="sent").count() == 2000, timeout=120
        )
    recipients = [message["To"] for message in smtp_sink.messages]
    duplicates = len(recipients) - len(set(recipients))
    print(
        f"\nkill test: {delivered_at_kill} delivered at the kill, {in_flight} accepted by SMTP "
        f"but not yet marked sent; {duplicates} duplicate(s) in the end"
    )
    assert set(recipients) == {f"member{n}@example.org" for n in range(2000)}
    assert duplicates <= max(in_flight, 0) <= 2
