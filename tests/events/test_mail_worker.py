"""Invitations through a real Celery worker, the real broker and a real SMTP sink."""

import time

import pytest
from django.db import transaction

from events import services
from events.audiences import Audience
from events.models import Invitation, InvitationRun
from mirpal.models import OutboxMessage
from tests.events.mail_members import members_bulk
from tests.factories.events import EventFactory
from tests.smtp import free_port
from tests.worker import Worker, purge_test_queue, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_task_queue"),
]
FAST_RECOVERY = {
    "OUTBOX_CLAIM_LEASE_SECONDS": "5",
    "OUTBOX_QUEUE_GRACE_SECONDS": "3",
    "OUTBOX_SWEEP_SECONDS": "2",
    "MAIL_RUN_LEASE_SECONDS": "5",
}


def publish_to_all(event) -> int:
    with transaction.atomic():
        return services.event_publish_and_invite(
            event=event, audience=Audience(kind="all"), by=None
        ).invited


def sent() -> int:
    return OutboxMessage.objects.filter(status="sent").count()


def test_500_members_get_one_invitation_each_through_a_real_worker(smtp_sink):
    purge_test_queue()
    members_bulk(500, prefix="five")
    event = EventFactory(status="draft", sequence=0, published_at=None)
    with Worker(smtp_port=smtp_sink.port, concurrency=2):
        assert publish_to_all(event) == 500
        assert wait_until(lambda: len(smtp_sink.messages) >= 500, timeout=90)
        time.sleep(0.5)  # anything extra would show up now
    recipients = [message["To"] for message in smtp_sink.messages]
    assert len(recipients) == 500
    assert set(recipients) == {f"five-{n}@example.org" for n in range(500)}
    assert sent() == 500
    assert Invitation.objects.filter(event=event).count() == 500


def test_killing_the_worker_while_inviting_2000_members_loses_no_one(smtp_sink):
    """The bound: a row is marked sent right after the SMTP server accepts it, so only messages
    accepted but not yet marked when the worker dies can go twice: at most one per pool process
    (concurrency 2), measured here as delivered-at-the-kill minus marked-sent-at-the-kill."""
    purge_test_queue()
    members_bulk(2000, prefix="kill")
    event = EventFactory(status="draft", sequence=0, published_at=None)
    first = Worker(smtp_port=smtp_sink.port, concurrency=2, env=FAST_RECOVERY).start()
    try:
        assert publish_to_all(event) == 2000
        assert wait_until(lambda: len(smtp_sink.messages) >= 300, timeout=90)
    finally:
        first.kill()
    delivered_at_kill = len(smtp_sink.messages)
    in_flight = delivered_at_kill - sent()
    assert 0 < delivered_at_kill < 2000

    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=FAST_RECOVERY):
        assert wait_until(lambda: sent() == 2000, timeout=120)
    recipients = [message["To"] for message in smtp_sink.messages]
    duplicates = len(recipients) - len(set(recipients))
    print(
        f"\ninvitation kill test: {delivered_at_kill} delivered at the kill, {in_flight} accepted "
        f"by SMTP but not yet marked sent (the bound); {duplicates} duplicate(s) in the end"
    )
    assert set(recipients) == {f"kill-{n}@example.org" for n in range(2000)}
    assert duplicates <= max(in_flight, 0) <= 2


def test_publishing_with_the_broker_down_succeeds_and_the_sweep_sends_later(smtp_sink, settings):
    purge_test_queue()
    members_bulk(50, prefix="down")
    event = EventFactory(status="draft", sequence=0, published_at=None)
    broker = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    assert publish_to_all(event) == 50  # no error for the secretariat
    settings.CELERY_BROKER_URL = broker
    event.refresh_from_db()
    assert event.status == "published"
    # The decision is recorded; no task took it, so no invitation is written yet.
    run = InvitationRun.objects.get(event=event)
    assert (run.total, run.written, run.queued_at) == (50, 0, None)
    assert OutboxMessage.objects.count() == 0
    assert smtp_sink.messages == []

    # The broker is back; nobody presses anything: the worker's beat sweeps the run, then the rows.
    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=FAST_RECOVERY):
        assert wait_until(lambda: len(smtp_sink.messages) >= 50, timeout=60)
        time.sleep(0.5)
    recipients = [message["To"] for message in smtp_sink.messages]
    assert sorted(recipients) == sorted(f"down-{n}@example.org" for n in range(50))
    assert sent() == 50
