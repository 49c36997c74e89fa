from celery import shared_task
from django.core import management

from mirpal import outbox


@shared_task(name="mirpal.outbox_send_batch", acks_late=True, reject_on_worker_lost=True)
def outbox_send_batch_task(*, message_ids: list[int]) -> dict[str, int]:
    """Send these outbox rows; rows already sent or held by a live worker are skipped."""
    return outbox.outbox_send_batch(message_ids=message_ids)


@shared_task(name="mirpal.outbox_sweep")
def outbox_sweep_task() -> int:
    """Queue outbox rows that no task took (broker down, task lost, worker killed)."""
    return outbox.outbox_sweep()


@shared_task(name="mirpal.sessions_clear")
def sessions_clear_task() -> None:
    management.call_command("clearsessions")


from mirpal.webhooks import webhook_deliver_task  # noqa: E402, F401  (registers the task)
