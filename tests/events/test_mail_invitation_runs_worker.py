"""Invitations decided in the admin and written by a real Celery worker into a real SMTP sink:
each member mailed once, a second click adding nothing, and a worker killed while writing."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Invitation, InvitationRun
from mirpal.models import OutboxMessage
from tests.events.mail_members import members_bulk
from tests.factories.events import EventFactory
from tests.factories.members import SecretariatFactory
from tests.worker import Worker, purge_test_queue, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_task_queue"),
]
# The sweeps run as in production (beat), only sooner. The claim lease stays long: under a busy
# machine a batch can take seconds, and a lease shorter than that would resend on purpose.
FAST_RECOVERY = {
    "OUTBOX_QUEUE_GRACE_SECONDS": "3",
    "OUTBOX_SWEEP_SECONDS": "2",
    "MAIL_RUN_LEASE_SECONDS": "2",
}


@pytest.fixture
def secretariat_client():
    client = Client()
    client.force_login(SecretariatFactory())  # in Russia: not in the audience below
    return client


def invite_kazakhstan(client, event):
    return client.post(
        reverse("admin:events_event_changelist"),
        {
            "action": "invite_events",
            "_selected_action": [event.pk],
            "apply": "1",
            "audience": "country",
            "country": "KZ",
        },
        follow=True,
    )


def sent() -> int:
    return OutboxMessage.objects.filter(status="sent").count()


def test_the_worker_mails_each_member_once_and_the_admin_page_shows_it(
    smtp_sink, secretariat_client
):
    purge_test_queue()
    members_bulk(300, prefix="published")
    event = EventFactory(status="draft", sequence=0, published_at=None)
    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=FAST_RECOVERY):
        response = invite_kazakhstan(secretariat_client, event)
        assert [str(m) for m in response.context["messages"]] == [
            "300 invitations are on their way.",
            "Each event's page shows how many invitations have been written and sent.",
        ]
        assert wait_until(lambda: sent() == 300, timeout=120)
        again = invite_kazakhstan(secretariat_client, event)
        assert [str(m) for m in again.context["messages"]] == [
            "Everyone in this audience was invited already."
        ]
        time.sleep(1)  # anything extra would show up now
    recipients = sorted(message["To"] for message in smtp_sink.messages)
    assert recipients == sorted(f"published-{n}@example.org" for n in range(300))
    assert (InvitationRun.objects.count(), Invitation.objects.count()) == (1, 300)
    page = secretariat_client.get(reverse("admin:events_event_change", args=[event.pk]))
    html = page.content.decode()
    assert "300 of 300 invitations written</strong> (all written)" in html
    assert "Sent: 300; waiting: 0; failed: 0; not sent (membership ended): 0." in html


def test_a_worker_killed_while_writing_is_resumed_and_each_member_gets_one_invitation(
    smtp_sink, secretariat_client
):
    """One pool process, busy writing the run in small chunks, sends nothing before the kill;
    so every mail in the sink comes after the resumption, and each member must have one."""
    purge_test_queue()
    members_bulk(600, prefix="resumed")
    event = EventFactory(status="draft", sequence=0, published_at=None)
    first = Worker(
        smtp_port=smtp_sink.port, concurrency=1, env={"MAIL_RUN_CHUNK_SIZE": "20"}
    ).start()
    try:
        invite_kazakhstan(secretariat_client, event)
        assert wait_until(lambda: InvitationRun.objects.get().written >= 60, timeout=60)
    finally:
        first.kill()
    time.sleep(0.5)  # a commit the database had in hand when the worker died lands now
    run = InvitationRun.objects.get()
    assert run.status == "writing"
    assert 60 <= run.written < 600
    # The cursor and the rows move together, chunk by chunk: nothing half written.
    assert Invitation.objects.count() == OutboxMessage.objects.count() == run.written
    assert smtp_sink.messages == []

    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=FAST_RECOVERY):
        assert wait_until(lambda: sent() == 600, timeout=180)
        time.sleep(1)
    run.refresh_from_db()
    assert (run.status, run.written) == ("done", 600)
    recipients = sorted(message["To"] for message in smtp_sink.messages)
    assert recipients == sorted(f"resumed-{n}@example.org" for n in range(600))
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 600
