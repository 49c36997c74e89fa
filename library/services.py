"""Every write on the library: documents, magazine issues and articles, downloads, search log."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from library.counts import counts_forget
from library.enums import Access
from library.models import Article, Document, Issue, SearchLog
from library.pdf import image_inspect, pdf_inspect, pdf_text
from library.search import article_search_vector, document_search_vector
from library.search_sql import REORDER_SQL
from library.storage import protected_storage
from members.models import User
from mirpal.audit import audit_record, audit_snapshot
from mirpal.enums import WebhookTopic
from mirpal.fragments import data_changed
from mirpal.models import AuditAction
from mirpal.queueing import tasks_publish
from mirpal.webhooks import webhooks_notify

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = {
    "kind",
    "slug",
    "title_en",
    "title_ru",
    "abstract_en",
    "abstract_ru",
    "language",
    "authors_text",
    "publisher",
    "published_on",
    "countries",
    "external_url",
    "access",
    "event",
}
ISSUE_FIELDS = {
    "number",
    "published_on",
    "title_en",
    "title_ru",
    "description_en",
    "description_ru",
}
ARTICLE_FIELDS = {
    "issue",
    "title",
    "authors_text",
    "page_start",
    "page_end",
    "abstract",
    "language",
    "countries",
}


def _check_fields(fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _counts_changed() -> None:
    transaction.on_commit(counts_forget)


def _delete_after_commit(old_name: str, new_name: str) -> None:
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: protected_storage.delete(old_name))


def _queue_text_extraction(document_id: int) -> None:
    from library.tasks import document_text_extract_task  # library.tasks imports this module

    # Named, not queue_after_commit's callback: the tests tell it apart from the other callbacks.
    # Without a broker the document stays without text until the admin action "Read the text
    # again".
    def queue_text_extraction():
        tasks_publish(document_text_extract_task, [{"document_id": document_id}])

    transaction.on_commit(queue_text_extraction)


def _save(instance, *, keep: set[str]) -> None:
    """Save every field but `keep`, which the database maintains (counters, vectors): an edit
    made from a stale copy must not write back an old download count."""
    if instance._state.adding:
        instance.save()
        return
    fields = [
        field.name
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.name not in keep
    ]
    instance.save(update_fields=fields)


DATABASE_MAINTAINED = {
    "download_count",
    "search_vector",
    "ranking_vector",
    "created_at",
    "announced_at",
}
# Written by the extraction task; an edit that keeps the file must not blank them.
TEXT_FIELDS = {"text", "text_extracted_at", "text_error"}


def _stored_name(model, pk: int | None, field: str) -> str:
    if pk is None:
        return ""
    return model.objects.filter(pk=pk).values_list(field, flat=True).first() or ""


def _document_announce(document: Document) -> None:
    """Tell subscribed partners of the document the first time it is public, in the caller's
    transaction. The conditional UPDATE marks it once: a later save, or a concurrent one that
    waited for the row lock, finds it marked and tells no one."""
    now = timezone.now()
    marked = Document.objects.filter(
        pk=document.pk, access=Access.PUBLIC, announced_at__isnull=True
    ).update(announced_at=now)
    if not marked:
        return
    document.announced_at = now
    webhooks_notify(
        topic=WebhookTopic.DOCUMENT_PUBLISHED,
        data={
            "id": document.pk,
            "kind": document.kind,
            "title_en": document.title_en,
            "title_ru": document.title_ru,
            "language": document.language,
            "url": settings.SITE_URL + document.get_absolute_url(),
        },
    )


def _issue_announce(issue: Issue) -> None:
    webhooks_notify(
        topic=WebhookTopic.ISSUE_PUBLISHED,
        data={
            "number": issue.number,
            "title_en": issue.title_en,
            "title_ru": issue.title_ru,
            "url": settings.SITE_URL + reverse("library:issue", args=[issue.number]),
        },
    )


def document_save(
    *, document: Document, file: File | None = None, clear_file: bool = False
) -> Document:
    """Create or update `document` as its fields stand, in one transaction.

    With `file`, the PDF is checked by its content (ValidationError if it is not a readable,
    unencrypted PDF within the size limit), stored under a generated name, and the old file is
    deleted after commit; the download URL, built on the document's id, stays the same. The text
    is read from the new file by a Celery task queued after commit. The search vector is
    refreshed here, so it always matches the saved titles and abstracts. The first save that
    leaves the document public writes a document.published delivery for each subscribed partner
    (sent after commit); no later save does."""
    with transaction.atomic():
        old_name = _stored_name(Document, document.pk, "file")
        if file is not None:
            info = pdf_inspect(file)
            document.file = file
            document.file_size, document.file_pages = info.size, info.pages
        elif clear_file:
            document.file = ""
            document.file_size = document.file_pages = 0
        if file is not None or clear_file:
            document.text, document.text_extracted_at, document.text_error = "", None, ""
        if not document.slug:
            document.slug = (
                slugify(document.title_en or document.title_ru, allow_unicode=True)[:100]
                or "document"
            )
        document.full_clean(exclude=["search_vector"])
        file_changed = file is not None or clear_file
        _save(document, keep=DATABASE_MAINTAINED | (set() if file_changed else TEXT_FIELDS))
        Document.objects.filter(pk=document.pk).update(search_vector=document_search_vector())
        if document.access == Access.PUBLIC:
            _document_announce(document)
        _counts_changed()
        _delete_after_commit(old_name, document.file.name or "")
        if file is not None:
            _queue_text_extraction(document.pk)
    return document


def document_create(
    *,
    file: File | None = None,
    topics: Iterable = (),
    author_members: Iterable = (),
    author_experts: Iterable = (),
    **fields,
) -> Document:
    """A new document; see document_save for what happens to the file."""
    _check_fields(fields, DOCUMENT_FIELDS)
    with transaction.atomic():
        document = document_save(document=Document(**fields), file=file)
        document.topics.set(topics)
        document.author_members.set(author_members)
        document.author_experts.set(author_experts)
    return document


def document_update(
    *,
    document: Document,
    file: File | None = None,
    topics: Iterable | None = None,
    author_members: Iterable | None = None,
    author_experts: Iterable | None = None,
    **fields,
) -> Document:
    """Change a document's fields, and with `file` replace its PDF (same download URL)."""
    _check_fields(fields, DOCUMENT_FIELDS)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(document, name, value)
        document_save(document=document, file=file)
        if topics is not None:
            document.topics.set(topics)
        if author_members is not None:
            document.author_members.set(author_members)
        if author_experts is not None:
            document.author_experts.set(author_experts)
    return document


def document_delete(*, document: Document, by: User | None = None) -> None:
    """Delete the document, noted in the audit log; its file goes once the deletion has
    committed."""
    with transaction.atomic():
        name = _stored_name(Document, document.pk, "file")
        audit_record(
            actor=by, action=AuditAction.DELETE, obj=document, before=audit_snapshot(document)
        )
        document.delete()
        _counts_changed()
        _delete_after_commit(name, "")


def document_text_extract(*, document_id: int) -> bool:
    """Read the text of the document's PDF into `text` and refresh its search vector.

    Safe to run twice or late: the row is locked, and if the file was replaced meanwhile the text
    of the current file is read. A damaged file is noted in `text_error`, never retried.
    Returns whether text was stored."""
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or not document.file:
            return False
        try:
            with document.file.open("rb") as stream:
                text = pdf_text(stream)
        except Exception as error:  # a file that passed upload checks can still fail to parse
            logger.warning("text of document %s not read: %s", document_id, error)
            Document.objects.filter(pk=document_id).update(
                text_error=str(error)[:300] or type(error).__name__
            )
            return False
        Document.objects.filter(pk=document_id).update(
            text=text, text_extracted_at=timezone.now(), text_error=""
        )
        # A second statement: SET expressions see the row as it was before the first.
        Document.objects.filter(pk=document_id).update(search_vector=document_search_vector())
        # The updates send no signal; the body is found by search and shown in its snippets.
        data_changed("library")
    return True


def document_text_requeue(*, document_ids: Iterable[int]) -> int:
    """Queue text extraction again for these documents that have a file."""
    ids = list(
        Document.objects.filter(pk__in=list(document_ids))
        .exclude(file="")
        .values_list("pk", flat=True)
    )
    for document_id in ids:
        _queue_text_extraction(document_id)
    return len(ids)


# One statement per download, atomic on its own: the item's total goes up by one and, only if the
# item exists, its row for the day is created at 1 or, when a concurrent download made it first,
# raised by one under the row's lock (ON CONFLICT DO UPDATE). The conflict targets are the partial
# unique constraints library_downloadday_document_day and _issue_day.
_DOWNLOAD_SQL = """
WITH counted AS (
    UPDATE {table} SET download_count = download_count + 1 WHERE id = %(pk)s RETURNING id
)
INSERT INTO library_downloadday ({column}, day, count)
SELECT id, %(day)s, 1 FROM counted
ON CONFLICT ({column}, day) WHERE {column} IS NOT NULL
DO UPDATE SET count = library_downloadday.count + 1
"""
_DOCUMENT_DOWNLOAD_SQL = _DOWNLOAD_SQL.format(table="library_document", column="document_id")
_ISSUE_DOWNLOAD_SQL = _DOWNLOAD_SQL.format(table="library_issue", column="issue_id")


def download_day_today() -> datetime.date:
    """Today in the site's time zone (settings.TIME_ZONE), whatever zone the viewer's request
    activated: the figures count a day the same for everyone."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def document_download_register(*, document_id: int) -> None:
    """Count one download of the document in its total and in today's row (DownloadDay), in one
    statement; the database adds, so concurrent downloads lose no count. A document that no
    longer exists counts nothing."""
    with connection.cursor() as cursor:
        cursor.execute(_DOCUMENT_DOWNLOAD_SQL, {"pk": document_id, "day": download_day_today()})


def issue_download_register(*, issue_id: int) -> None:
    """Count one download of the issue's PDF, as document_download_register does."""
    with connection.cursor() as cursor:
        cursor.execute(_ISSUE_DOWNLOAD_SQL, {"pk": issue_id, "day": download_day_today()})


def issue_save(
    *,
    issue: Issue,
    pdf: File | None = None,
    cover: File | None = None,
    clear_pdf: bool = False,
    clear_cover: bool = False,
) -> Issue:
    """Create or update a magazine issue; a new PDF or cover is checked by its content and stored
    under a generated name, the old one deleted after commit (the issue's URLs stay the same).
    An issue is public once it exists: creating one writes an issue.published delivery for each
    subscribed partner (sent after commit); an update does not."""
    with transaction.atomic():
        adding = issue._state.adding
        old_pdf = _stored_name(Issue, issue.pk, "pdf")
        old_cover = _stored_name(Issue, issue.pk, "cover")
        if pdf is not None:
            info = pdf_inspect(pdf)
            issue.pdf = pdf
            issue.pdf_size, issue.pdf_pages = info.size, info.pages
        elif clear_pdf:
            issue.pdf, issue.pdf_size, issue.pdf_pages = "", 0, 0
        if cover is not None:
            extension = image_inspect(cover)
            cover.name = f"cover.{extension}"
            issue.cover = cover
        elif clear_cover:
            issue.cover = ""
        issue.full_clean()
        _save(issue, keep=DATABASE_MAINTAINED)
        if adding:
            _issue_announce(issue)
        _counts_changed()
        _delete_after_commit(old_pdf, issue.pdf.name or "")
        _delete_after_commit(old_cover, issue.cover.name or "")
    return issue


def issue_delete(*, issue: Issue, by: User | None = None) -> None:
    """Delete the issue and its articles, noted in the audit log; its PDF and cover go once the
    deletion has committed."""
    with transaction.atomic():
        names = Issue.objects.filter(pk=issue.pk).values_list("pdf", "cover").first() or ()
        audit_record(actor=by, action=AuditAction.DELETE, obj=issue, before=audit_snapshot(issue))
        issue.delete()
        _counts_changed()
        for name in names:
            _delete_after_commit(name, "")


def issue_create(*, pdf: File | None = None, cover: File | None = None, **fields) -> Issue:
    """A new magazine issue; see issue_save for the files and the partners' notice."""
    _check_fields(fields, ISSUE_FIELDS)
    return issue_save(issue=Issue(**fields), pdf=pdf, cover=cover)


def article_save(*, article: Article) -> Article:
    """Create or update an article and refresh its search vector, in one transaction."""
    with transaction.atomic():
        article.full_clean(exclude=["search_vector"])
        _save(article, keep=DATABASE_MAINTAINED)
        Article.objects.filter(pk=article.pk).update(search_vector=article_search_vector())
        _counts_changed()
    return article


def article_delete(*, article: Article) -> None:
    with transaction.atomic():
        article.delete()
        _counts_changed()


def article_create(
    *,
    topics: Iterable = (),
    author_members: Iterable = (),
    author_experts: Iterable = (),
    **fields,
) -> Article:
    _check_fields(fields, ARTICLE_FIELDS)
    with transaction.atomic():
        article = article_save(article=Article(**fields))
        article.topics.set(topics)
        article.author_members.set(author_members)
        article.author_experts.set(author_experts)
    return article


def search_log_record(*, query: str, results_count: int, language: str) -> SearchLog:
    return SearchLog.objects.create(
        query=query[:300], results_count=results_count, language=(language or "")[:5]
    )


def search_rows_reorder() -> None:
    """Rewrite the search table in date order, after a bulk load (library.search_sql)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in filter(str.strip, REORDER_SQL.split(";")):
            cursor.execute(statement)
