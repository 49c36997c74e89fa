"""The secretariat opens and edits documents and magazine issues that have files: the admin
links each stored file to the view that serves it (library files have no public URL)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from library.models import Document, Issue
from library.storage import protected_storage
from tests.factories.library import DocumentFactory, IssueFactory, pdf_upload
from tests.library.test_admin import document_form

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 17), color).save(buffer, "PNG")
    return buffer.getvalue()


def png_upload(color: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("cover.png", png(color), content_type="image/png")


def issue_form(**overrides) -> dict:
    data = {
        "number": "7",
        "published_on": "2012-03-01",
        "title_en": "Remittances",
        "title_ru": "Денежные переводы",
        "description_en": "",
        "description_ru": "",
        "articles-TOTAL_FORMS": "0",
        "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0",
        "articles-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def run(callbacks) -> None:
    """Run what the save queued after commit, except the text extraction (a Celery task)."""
    for callback in callbacks:
        if callback.__name__ != "queue_text_extraction":
            callback()


@pytest.fixture
def document():
    return DocumentFactory(
        title_en="Pre-departure orientation in Tajikistan",
        language="en",
        kind="study",
        slug="pre-departure",
        file=pdf_upload("First edition"),
        countries=["TJ"],
        topics=[],
    )


@pytest.fixture
def issue():
    return IssueFactory(
        number=7,
        published_on="2012-03-01",
        title_en="Remittances",
        title_ru="Денежные переводы",
        pdf=pdf_upload("Migration 21, first print"),
        cover=png_upload("navy"),
    )


@pytest.mark.parametrize("role", ["secretariat", "editor"])
def test_staff_open_a_document_with_a_file(client_for, document, role):
    response = client_for(role).get(reverse("admin:library_document_change", args=[document.pk]))

    assert response.status_code == 200
    download = reverse("library:document_download", args=[document.pk])
    name = document.file.name.rsplit("/", 1)[-1]
    assert f'Currently: <a href="{download}">{name}</a>' in response.text


def test_secretariat_changes_only_the_title_of_a_document_with_a_file(
    client_for, document, django_capture_on_commit_callbacks
):
    stored_name = document.file.name
    client = client_for("secretariat")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_document_change", args=[document.pk]),
            document_form(slug="pre-departure", title_en="Orientation before departure"),
        )
    assert response.status_code == 302
    run(callbacks)

    document.refresh_from_db()
    assert (document.title_en, document.file.name, document.file_pages) == (
        "Orientation before departure",
        stored_name,
        1,
    )
    download = client.get(reverse("library:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"First edition" in body(download)


def test_a_refused_replacement_shows_the_form_again_with_the_link(client_for, document):
    response = client_for("secretariat").post(
        reverse("admin:library_document_change", args=[document.pk]),
        document_form(slug="pre-departure", file=SimpleUploadedFile("x.pdf", b"not a pdf")),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "This file is not a PDF, whatever its name says. Upload the document as a PDF."
    ]
    download = reverse("library:document_download", args=[document.pk])
    assert f'Currently: <a href="{download}">' in response.text
    assert Document.objects.get(pk=document.pk).file.name == document.file.name


@pytest.mark.parametrize("role", ["secretariat", "editor"])
def test_staff_open_an_issue_with_a_pdf_and_a_cover(client_for, issue, role):
    response = client_for(role).get(reverse("admin:library_issue_change", args=[issue.pk]))

    assert response.status_code == 200
    pdf_name = issue.pdf.name.rsplit("/", 1)[-1]
    cover_name = issue.cover.name.rsplit("/", 1)[-1]
    assert f'Currently: <a href="/library/issues/7/pdf/">{pdf_name}</a>' in response.text
    assert f'Currently: <a href="/library/issues/7/cover/">{cover_name}</a>' in response.text


def test_secretariat_replaces_the_pdf_of_an_issue(
    client_for, issue, django_capture_on_commit_callbacks
):
    old_pdf, cover = issue.pdf.name, issue.cover.name
    client = client_for("secretariat")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_issue_change", args=[issue.pk]),
            issue_form(pdf=pdf_upload("Migration 21, second print", "with a second page line")),
        )
    assert response.status_code == 302
    run(callbacks)

    issue.refresh_from_db()
    assert issue.pdf.name != old_pdf
    assert issue.cover.name == cover
    assert not protected_storage.exists(old_pdf)
    download = client.get(reverse("library:issue_pdf", args=[7]))
    assert download.status_code == 200
    assert b"second print" in body(download)


def test_secretariat_replaces_the_cover_of_an_issue(
    client_for, issue, django_capture_on_commit_callbacks
):
    pdf, old_cover = issue.pdf.name, issue.cover.name
    client = client_for("secretariat")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_issue_change", args=[issue.pk]),
            issue_form(cover=png_upload("orange")),
        )
    assert response.status_code == 302
    run(callbacks)

    issue.refresh_from_db()
    assert (issue.pdf.name, issue.cover.name.endswith(".png")) == (pdf, True)
    assert issue.cover.name != old_cover
    assert not protected_storage.exists(old_cover)
    cover = client.get(reverse("library:issue_cover", args=[7]))
    assert (cover.status_code, cover["Content-Type"]) == (200, "image/png")
    assert body(cover) == png("orange")


def test_secretariat_changes_only_the_title_of_an_issue_with_files(
    client_for, issue, django_capture_on_commit_callbacks
):
    pdf, cover = issue.pdf.name, issue.cover.name
    client = client_for("secretariat")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_issue_change", args=[issue.pk]),
            issue_form(title_en="Remittances and savings"),
        )
    assert response.status_code == 302
    run(callbacks)

    issue = Issue.objects.get(pk=issue.pk)
    assert (issue.title_en, issue.pdf.name, issue.cover.name, issue.pdf_pages) == (
        "Remittances and savings",
        pdf,
        cover,
        1,
    )
    download = client.get(reverse("library:issue_pdf", args=[7]))
    assert b"first print" in body(download)
    assert body(client.get(reverse("library:issue_cover", args=[7]))) == png("navy")
