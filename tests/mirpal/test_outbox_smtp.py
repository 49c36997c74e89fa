"""The outbox against SMTP servers that misbehave: a real worker and broker, real servers on
loopback that drop the connection, refuse it, or refuse one message."""

import ast
import re

import pytest
from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone

from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue, outbox_sweep
from tests.smtp import SmtpSink
from tests.worker import Worker, purge_test_queue, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def servers():
    started = []

    def start(**options) -> SmtpSink:
        sink = SmtpSink(**options)
        sink.start()
        started.append(sink)
        return sink

    yield start
    for sink in started:
        sink.stop()


def enqueue(addresses: list[str]) -> list[int]:
    mails = [
        Mail(
            key=f"decision:{n}",
            kind="decision",
            to_email=address,
            subject="Решение по заявке",
            body_text="Секретариат рассмотрел вашу заявку",
        )
        for n, address in enumerate(addresses)
    ]
    with transaction.atomic():
        return outbox_enqueue(mails)


def batch_results(worker: Worker) -> tuple[list[dict], list[str]]:
    """What each outbox batch task returned, and the lines of those that raised."""
    returned = [
        ast.literal_eval(match.group(1))
        for line in worker.output
        if (match := re.search(r"mirpal\.outbox_send_batch\[.*\] succeeded in .*?: (\{.*\})", line))
    ]
    raised = [line for line in worker.output if "raised unexpected" in line]
    return returned, raised


def rows() -> list[tuple[str, str, int]]:
    return list(OutboxMessage.objects.order_by("id").values_list("to_email", "status", "attempts"))


def all_sent(count: int) -> bool:
    return OutboxMessage.objects.filter(status="sent").count() == count


def the_back_off_passes_and_the_sweep_runs() -> None:
    OutboxMessage.objects.filter(status="pending").update(next_attempt_at=Now())
    outbox_sweep()


def test_a_dropped_connection_costs_one_message_a_retry_and_the_batch_goes_on(servers):
    sink = servers(drop_after=3)
    addresses = [f"member{n}@example.org" for n in range(10)]
    purge_test_queue()
    with Worker(smtp_port=sink.port) as worker:
        enqueue(addresses)
        assert wait_until(lambda: len(sink.messages) == 9, timeout=30)
        assert wait_until(lambda: batch_results(worker)[0], timeout=10)
        assert batch_results(worker) == ([{"sent": 9, "retry": 1, "failed": 0}], [])
        dropped = OutboxMessage.objects.get(to_email="member3@example.org")
        assert (dropped.status, dropped.attempts, dropped.queued_at) == ("pending", 1, None)
        assert dropped.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert dropped.next_attempt_at > timezone.now() + timezone.timedelta(seconds=20)
        assert sink.sessions == 2

        the_back_off_passes_and_the_sweep_runs()
        assert wait_until(lambda: all_sent(10), timeout=30)
    assert sorted(message["To"] for message in sink.messages) == sorted(addresses)
    assert rows() == [(address, "sent", 2 if n == 3 else 1) for n, address in enumerate(addresses)]


def test_a_server_that_drops_the_connection_then_refuses_it_leaves_the_rest_for_later(servers):
    """The reconnect is refused: the task ends normally, every unsent row is back in the queue
    with a back-off (none stays claimed), and all of them go once the server is back."""
    sink = servers(drop_after=3, refuse_after_drop=True)
    addresses = [f"member{n}@example.org" for n in range(10)]
    purge_test_queue()
    with Worker(smtp_port=sink.port) as worker:
        enqueue(addresses)
        assert wait_until(lambda: batch_results(worker) != ([], []), timeout=30)
        assert batch_results(worker) == ([{"sent": 3, "retry": 7, "failed": 0}], [])
        assert rows() == [
            (address, "sent" if n < 3 else "pending", 1) for n, address in enumerate(addresses)
        ]
        errors = list(
            OutboxMessage.objects.filter(status="pending")
            .order_by("id")
            .values_list("last_error", flat=True)
        )
        assert (
            errors
            == ["SMTPServerDisconnected: Connection unexpectedly closed"]
            + ["ConnectionRefusedError: [Errno 111] Connection refused"] * 6
        )
        assert not OutboxMessage.objects.filter(
            status="pending", next_attempt_at__lte=timezone.now() + timezone.timedelta(seconds=20)
        ).exists()

        sink.stop()
        sink.start()  # the server is back
        the_back_off_passes_and_the_sweep_runs()
        assert wait_until(lambda: all_sent(10), timeout=30)
    assert sorted(message["To"] for message in sink.messages) == sorted(addresses)
    assert {status for _, status, _ in rows()} == {"sent"}


def test_a_server_that_refuses_connections_gets_the_mail_once_it_is_back(servers):
    sink = servers()
    sink.stop()  # down before anything is sent: connections are refused
    addresses = [f"member{n}@example.org" for n in range(5)]
    purge_test_queue()
    with Worker(smtp_port=sink.port) as worker:
        enqueue(addresses)
        assert wait_until(lambda: batch_results(worker) != ([], []), timeout=30)
        assert batch_results(worker) == ([{"sent": 0, "retry": 5, "failed": 0}], [])
        assert rows() == [(address, "pending", 1) for address in addresses]

        sink.start()
        the_back_off_passes_and_the_sweep_runs()
        assert wait_until(lambda: all_sent(5), timeout=30)
    assert sorted(message["To"] for message in sink.messages) == sorted(addresses)
    assert rows() == [(address, "sent", 2) for address in addresses]


def test_a_refused_message_does_not_cost_the_batch_its_connection(servers):
    """A 550 for one recipient and a 451 for another are answers about those messages: the
    connection stays, and the other messages go over it."""
    sink = servers()
    addresses = [
        "member0@example.org",
        "gone@bounce.example",
        "member2@example.org",
        "busy@tempfail.example",
        "member4@example.org",
    ]
    purge_test_queue()
    with Worker(smtp_port=sink.port) as worker:
        enqueue(addresses)
        assert wait_until(lambda: batch_results(worker) != ([], []), timeout=30)
        assert batch_results(worker) == ([{"sent": 3, "retry": 1, "failed": 1}], [])
    assert sink.sessions == 1
    assert rows() == [
        ("member0@example.org", "sent", 1),
        ("gone@bounce.example", "failed", 1),
        ("member2@example.org", "sent", 1),
        ("busy@tempfail.example", "pending", 1),
        ("member4@example.org", "sent", 1),
    ]
    busy = OutboxMessage.objects.get(to_email="busy@tempfail.example")
    assert busy.last_error.startswith("SMTPRecipientsRefused: {'busy@tempfail.example': (451")
