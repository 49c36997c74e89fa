"""The panel's Celery tasks; mirpal.celery discovers this module beside the apps' own."""

from celery import shared_task

from mirpal.mailruns import run_requeue, runs_sweep
from mirpal.models import Message
from panel.services import message_write


@shared_task(name="panel.message_write", acks_late=True)
def message_write_task(*, run_id: int) -> None:
    """Write this message's mails from where it stands; a message written already or held by
    another task is left alone, so a second delivery of this task is harmless. Queues itself
    again when its time is up and mails remain."""
    if message_write(message_id=run_id):
        run_requeue(runs=Message.objects, task=message_write_task, run_id=run_id)


@shared_task(name="panel.message_runs_sweep")
def message_runs_sweep_task() -> int:
    """Queue messages whose mails no task is writing (broker down at sending, worker killed)."""
    return runs_sweep(runs=Message.objects, task=message_write_task)
