import logging

from celery import shared_task
from celery.signals import worker_ready
from django import db
from django.conf import settings
from django.core import management

from mirpal import outbox, security_events

logger = logging.getLogger(__name__)


@shared_task(name="mirpal.outbox_send_batch", acks_late=True, reject_on_worker_lost=True)
def outbox_send_batch_task(*, message_ids: list[int]) -> dict[str, int]:
    """Send these outbox rows; rows already sent or held by a live worker are skipped."""
    return outbox.outbox_send_batch(message_ids=message_ids)


@shared_task(name="mirpal.outbox_sweep")
def outbox_sweep_task() -> int:
    """Queue outbox rows that no task took (broker down, task lost, worker killed)."""
    return outbox.outbox_sweep()


@worker_ready.connect
def outbox_sweep_on_worker_start(**kwargs) -> None:
    """A worker that comes up, often in place of one that died, takes back at once what a dead
    worker held or lost, instead of leaving it to the next beat. It runs before the worker calls
    itself ready."""
    try:
        outbox.outbox_sweep(all_pending=True)
    except Exception:  # a database not up yet: the beat's sweep does it later
        logger.exception("the outbox sweep at worker start failed")
    finally:
        db.connections.close_all()  # pool processes forked later must not share this session
    # A dead worker's database session can outlive it for a moment (PostgreSQL notices a client
    # gone only when it next reads from it), and the rows it claimed look held until then. Two
    # more sweeps soon after the start take those back without waiting for the beat's minute.
    for seconds in settings.OUTBOX_SWEEP_AFTER_START_SECONDS:
        try:
            outbox_sweep_task.apply_async(countdown=seconds)
        except Exception:  # the broker is down: the beat's sweep does it later
            logger.exception("the outbox sweep after the worker's start could not be queued")


@shared_task(name="mirpal.sessions_clear")
def sessions_clear_task() -> None:
    management.call_command("clearsessions")


@shared_task(name="mirpal.security_events_prune")
def security_events_prune_task() -> int:
    """Delete security events past SECURITY_EVENTS_RETENTION_DAYS; running twice is harmless."""
    return security_events.security_events_prune()


from mirpal.webhooks import webhook_deliver_task  # noqa: E402, F401  (registers the task)
