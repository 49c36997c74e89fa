from celery import shared_task

from events.mail import digests, invitations, nudges, reminders
from events.models import InvitationRun
from mirpal.mailruns import run_requeue, runs_sweep


@shared_task(name="events.event_mail_due")
def event_mail_due_task() -> dict[str, int]:
    """Queue reminders and nudges whose moment has passed; keys make a re-run queue nothing."""
    return {
        "reminders": reminders.reminders_send_due(),
        "nudges": nudges.nudges_send_due(),
    }


@shared_task(name="events.digests_send")
def digests_send_task(*, frequency: str) -> int:
    """Queue the weekly or monthly digest; members who had theirs for the period are skipped."""
    return digests.digests_send(frequency=frequency)


@shared_task(name="events.invitation_run_write", acks_late=True)
def invitation_run_write_task(*, run_id: int) -> None:
    """Write this run's invitations from where it stands; a run done, stopped or held by another
    task is left alone, so a second delivery of this task is harmless. Queues itself again when
    its time is up and invitations remain."""
    if invitations.invitation_run_write(run_id=run_id):
        run_requeue(runs=InvitationRun.objects, task=invitation_run_write_task, run_id=run_id)


@shared_task(name="events.invitation_runs_sweep")
def invitation_runs_sweep_task() -> int:
    """Queue invitation runs that no task moves (broker down at the click, worker killed)."""
    return runs_sweep(runs=InvitationRun.objects, task=invitation_run_write_task)
