"""Messages sent from the panel and written by a real Celery worker into a real SMTP sink: each
member mailed once, the form sent twice recording one message, a worker killed while writing."""

import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from mirpal.models import Message, OutboxMessage
from tests.events.mail_members import members_bulk
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
TEXT = {
    "subject_en": "Call for papers",
    "subject_ru": "Приглашение к публикации",
    "body_en": "Send us your papers.",
    "body_ru": "Присылайте статьи.",
}


@pytest.fixture
def secretariat_client():
    client = Client()
    client.force_login(SecretariatFactory())  # in Russia: not in the audience below
    return client


def send_to_kazakhstan(client, token):
    return client.post(
        reverse("panel:message_new"),
        {"token": str(token), "audience": "country", "country": "KZ", "send": "", **TEXT},
    )


def sent() -> int:
    return OutboxMessage.objects.filter(status="sent").count()


def test_the_worker_mails_each_member_once_and_the_page_shows_it(smtp_sink, secretariat_client):
    purge_test_queue()
    members_bulk(300, prefix="news")
    token = uuid.uuid4()
    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=FAST_RECOVERY):
        first = send_to_kazakhstan(secretariat_client, token)
        assert wait_until(lambda: sent() == 300, timeout=120)
        again = send_to_kazakhstan(secretariat_client, token)
        assert again["Location"] == first["Location"]
        time.sleep(1)  # anything extra would show up now
    recipients = sorted(message["To"] for message in smtp_sink.messages)
    assert recipients == sorted(f"news-{n}@example.org" for n in range(300))
    assert (Message.objects.count(), OutboxMessage.objects.count()) == (1, 300)
    html = secretariat_client.get(first["Location"]).content.decode()
    assert "300 of 300 mails written</strong> (all written)" in html
    assert "Sent: 300; waiting: 0; failed: 0; not sent (membership ended): 0." in html


def test_a_worker_killed_while_writing_is_resumed_and_each_member_gets_one_mail(
    smtp_sink, secretariat_client
):
    """One pool process, busy writing in small chunks, sends nothing before the kill; so every
    mail in the sink comes after the resumption, and each member must have exactly one."""
    purge_test_queue()
    members_bulk(600, prefix="resumed")
    first = Worker(
        smtp_port=smtp_sink.port, concurrency=1, env={"MAIL_RUN_CHUNK_SIZE": "20"}
    ).start()
    try:
        send_to_kazakhstan(secretariat_client, uuid.uuid4())
        assert wait_until(lambda: Message.objects.get().written >= 60, timeout=60)
    finally:
        first.kill()
    time.sleep(0.5)  # a commit the database had in hand when the worker died lands now
    message = Message.objects.get()
    assert message.status == "writing"
    assert 60 <= message.written < 600
    assert OutboxMessage.objects.count() == message.written
    assert smtp_sink.messages == []

    with Worker(smtp_port=smtp_sink.port, concurrency=2, beat=True, env=FAST_RECOVERY):
        assert wait_until(lambda: sent() == 600, timeout=180)
        time.sleep(1)
    message.refresh_from_db()
    assert (message.status, message.written) == ("done", 600)
    recipients = sorted(m["To"] for m in smtp_sink.messages)
    assert recipients == sorted(f"resumed-{n}@example.org" for n in range(600))
    assert OutboxMessage.objects.count() == 600
