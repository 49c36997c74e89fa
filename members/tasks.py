from celery import shared_task

from members import notices


@shared_task(name="members.notices_summaries_send")
def notices_summaries_send_task() -> int:
    """Queue the daily summary of new applications and expert requests to the managers who chose
    it; a manager's second summary of the day is never written, so a re-run is harmless."""
    return notices.notices_summaries_send()
