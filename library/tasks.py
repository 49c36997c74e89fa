from celery import shared_task

from library import services


@shared_task(name="library.document_text_extract", acks_late=True, reject_on_worker_lost=True)
def document_text_extract_task(*, document_id: int) -> bool:
    """Read the text of this document's PDF and refresh its search vector; running it twice is
    harmless (the row is locked and the text simply read again)."""
    return services.document_text_extract(document_id=document_id)
