from celery import shared_task

from programme.proposal_mail import call_reminders_send_due


@shared_task(name="programme.call_reminders_send")
def call_reminders_send_task() -> int:
    """Queue the closing reminder of each call that closes within PROGRAMME_CALL_REMINDER_DAYS;
    a call whose reminder went is skipped (Call.reminder_sent_at, keyed mails), so a re-run
    queues nothing."""
    return call_reminders_send_due()
