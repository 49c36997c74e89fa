import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from library.models import Document
from library.search import SearchFilters, library_search
from library.services import document_text_extract, document_update
from library.tasks import document_text_extract_task
from tests.factories.library import DocumentFactory, pdf_upload

pytestmark = pytest.mark.django_db


def named(callbacks) -> list[str]:
    """The on-commit callbacks but the cache's version bumps, which every library write adds."""
    return [c.__name__ for c in callbacks if c.__name__ != "data_versions_renew"]


def found(query: str) -> list[str]:
    outcome = library_search(filters=SearchFilters(query=query), member=True)
    return [entry.title for entry in outcome.entries]


def test_upload_queues_text_extraction_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        document = DocumentFactory(title_en="Guide", file=pdf_upload("Diaspora bonds"))

    assert named(callbacks) == [
        "counts_forget",
        "queue_text_extraction",
    ]
    assert Document.objects.get(pk=document.pk).text == ""


def test_no_extraction_is_queued_for_an_external_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        DocumentFactory(title_en="Law", external_url="https://example.org/law")

    assert named(callbacks) == ["counts_forget"]


def test_the_task_reads_the_text_and_the_body_becomes_searchable():
    document = DocumentFactory(
        title_en="Guide", language="en", file=pdf_upload("Diaspora bonds finance schools.")
    )
    assert found("bonds") == []

    assert document_text_extract_task.apply(kwargs={"document_id": document.pk}).get() is True

    document.refresh_from_db()
    assert document.text.strip() == "Diaspora bonds finance schools."
    assert document.text_extracted_at is not None
    assert found("bond") == ["Guide"]


def test_running_the_extraction_twice_gives_the_same_result():
    document = DocumentFactory(
        title_en="Guide", language="en", file=pdf_upload("Remittance corridors")
    )

    assert document_text_extract(document_id=document.pk) is True
    assert document_text_extract(document_id=document.pk) is True

    assert Document.objects.get(pk=document.pk).text.strip() == "Remittance corridors"
    assert found("corridor") == ["Guide"]


def test_extraction_of_a_missing_document_or_link_only_document_does_nothing():
    link_only = DocumentFactory(title_en="Link")

    assert document_text_extract(document_id=link_only.pk) is False
    assert document_text_extract(document_id=10**9) is False


def test_a_file_damaged_after_upload_is_noted_not_retried(settings):
    document = DocumentFactory(title_en="Guide", file=pdf_upload("Text"))
    with open(settings.PROTECTED_MEDIA_ROOT / document.file.name, "wb") as stored:
        stored.write(b"%PDF-1.4 garbage")

    assert document_text_extract(document_id=document.pk) is False

    document.refresh_from_db()
    assert document.text == ""
    assert document.text_error != ""


def test_the_search_vector_follows_edits_of_the_title():
    document = DocumentFactory(title_en="Old title on border management", language="en")

    document_update(document=document, title_en="New title on diaspora engagement")

    assert found("border") == []
    assert found("diaspora") == ["New title on diaspora engagement"]


def test_replacing_the_file_drops_the_old_text_until_the_new_one_is_read():
    document = DocumentFactory(title_en="Guide", language="en", file=pdf_upload("Seasonal workers"))
    document_text_extract(document_id=document.pk)
    assert found("seasonal") == ["Guide"]

    document_update(document=document, file=pdf_upload("Circular migration"))
    assert found("seasonal") == []
    document_text_extract(document_id=document.pk)

    assert found("seasonal") == []
    assert found("circular") == ["Guide"]


def test_an_edit_that_keeps_the_file_keeps_the_text_and_the_download_count():
    document = DocumentFactory(title_en="Guide", language="en", file=pdf_upload("Seasonal workers"))
    stale = Document.objects.get(pk=document.pk)
    document_text_extract(document_id=document.pk)
    Document.objects.filter(pk=document.pk).update(download_count=5)

    document_update(document=stale, abstract_en="A new abstract.")

    fresh = Document.objects.get(pk=document.pk)
    assert (fresh.text.strip(), fresh.download_count, fresh.abstract_en) == (
        "Seasonal workers",
        5,
        "A new abstract.",
    )


def test_a_document_needs_a_file_or_a_link():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DocumentFactory(title_en="Nothing to read", external_url="")
    assert Document.objects.count() == 0


def test_unknown_country_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DocumentFactory(title_en="Elsewhere", countries=["FR"])


def test_non_pdf_upload_is_refused_before_anything_is_stored(settings):
    with pytest.raises(Exception, match="not a PDF"):
        DocumentFactory(title_en="Bad", file=SimpleUploadedFile("a.pdf", b"hello"))
    assert not (settings.PROTECTED_MEDIA_ROOT / "documents").exists()
