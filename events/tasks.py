from celery import shared_task

from events import mailings


@shared_task(name="events.event_mail_due")
def event_mail_due_task() -> dict[str, int]:
    """Queue reminders and nudges whose moment has passed; keys make a re-run queue nothing."""
    return {
        "reminders": mailings.reminders_send_due(),
        "nudges": mailings.nudges_send_due(),
    }


@shared_task(name="events.digests_send")
def digests_send_task(*, frequency: str) -> int:
    """Queue the weekly or monthly digest; members who had theirs for the period are skipped."""
    return mailings.digests_send(frequency=frequency)
