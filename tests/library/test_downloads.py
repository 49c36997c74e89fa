import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from library.models import Document, DownloadDay
from library.pdf import pdf_compose
from library.services import document_update
from library.storage import protected_storage
from tests.factories.library import DocumentFactory, IssueFactory, pdf_upload

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    # Reading to the end closes the file (the test client wraps the iterator to do so).
    return b"".join(response.streaming_content)


@pytest.fixture
def private_document():
    return DocumentFactory(
        title_en="Internal evaluation", access="members", file=pdf_upload("Members only text")
    )


def test_members_only_file_is_refused_to_anonymous_visitors(client, private_document):
    url = reverse("library:document_download", args=[private_document.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
    assert Document.objects.get(pk=private_document.pk).download_count == 0


def test_members_only_file_is_refused_to_pending_applicants(client_for, private_document):
    response = client_for("applicant").get(
        reverse("library:document_download", args=[private_document.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("members:account")
    assert Document.objects.get(pk=private_document.pk).download_count == 0


@pytest.mark.parametrize("role", ["member", "secretariat"])
def test_members_only_file_is_served_to_members(client_for, private_document, role):
    response = client_for(role).get(
        reverse("library:document_download", args=[private_document.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    with protected_storage.open(private_document.file.name) as stored:
        assert body(response) == stored.read()
    assert Document.objects.get(pk=private_document.pk).download_count == 1


def test_members_only_document_page_is_refused_to_anonymous(client, private_document):
    assert client.get(reverse("library:document", args=[private_document.pk])).status_code == 302


def test_public_file_is_served_to_anyone_under_the_documents_slug(client):
    document = DocumentFactory(title_en="Open data", slug="open-data", file=pdf_upload("Public"))

    response = client.get(reverse("library:document_download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="open-data.pdf"'
    assert body(response).startswith(b"%PDF-")


def test_no_media_url_reaches_a_library_file(client, private_document):
    for prefix in ("/media/", "/media/protected/", "/protected/"):
        assert client.get(prefix + private_document.file.name).status_code == 404


def test_replacing_the_file_keeps_the_url_and_removes_the_old_file(
    client, django_capture_on_commit_callbacks
):
    document = DocumentFactory(title_en="Guide", file=pdf_upload("First edition"))
    url = reverse("library:document_download", args=[document.pk])
    first = body(client.get(url))
    old_name = document.file.name

    with django_capture_on_commit_callbacks() as callbacks:
        document_update(document=document, file=pdf_upload("Second edition", name="guide-v2.pdf"))
    # What follows the commit, except queueing the text extraction on the broker.
    for callback in callbacks:
        if callback.__name__ != "queue_text_extraction":
            callback()

    second = client.get(url)
    assert second.status_code == 200
    content = body(second)
    assert content != first
    assert b"Second edition" in content
    assert not protected_storage.exists(old_name)
    assert Document.objects.get(pk=document.pk).download_count == 2


def test_external_link_redirects_and_counts(client):
    document = DocumentFactory(title_en="Law", external_url="https://example.org/law.pdf")

    response = client.get(reverse("library:document_download", args=[document.pk]))

    assert (response.status_code, response.url) == (302, "https://example.org/law.pdf")
    assert Document.objects.get(pk=document.pk).download_count == 1


def test_issue_pdf_and_cover_are_served_and_counted(client):
    issue = IssueFactory(pdf=pdf_upload("Migration 21, issue 5"))

    response = client.get(reverse("library:issue_pdf", args=[issue.number]))

    assert response.status_code == 200
    assert body(response).startswith(b"%PDF-")
    issue.refresh_from_db()
    assert issue.download_count == 1
    assert client.get(reverse("library:issue_cover", args=[issue.number])).status_code == 404


def in_own_connection(function):
    """Run `function` in a thread, on its own autocommitting connection, and return its result.

    The test's own connection sits in a transaction that other connections cannot see, and a
    transactional test would flush every table (the seeded topics and groups with them), so the
    concurrent part of this test commits and cleans up through connections of its own."""
    result, errors = [], []

    def run():
        try:
            result.append(function())
        except Exception as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


def test_concurrent_downloads_lose_no_count():
    document = in_own_connection(
        lambda: Document.objects.create(
            kind="report",
            slug="busy",
            title_en="Busy",
            language="en",
            published_on="2024-01-01",
            file=ContentFile(pdf_compose(pages=[["Busy"]]), name="busy.pdf"),
        )
    )
    url = reverse("library:document_download", args=[document.pk])
    threads, per_thread, errors = 8, 10, []
    start = threading.Barrier(threads)

    def download():
        try:
            client = Client()
            start.wait()
            for _ in range(per_thread):
                response = client.get(url)
                assert response.status_code == 200
                body(response)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    try:
        workers = [threading.Thread(target=download) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        count, days = in_own_connection(
            lambda: (
                Document.objects.values_list("download_count", flat=True).get(pk=document.pk),
                list(
                    DownloadDay.objects.filter(document_id=document.pk).values_list(
                        "count", flat=True
                    )
                ),
            )
        )
    finally:
        in_own_connection(lambda: Document.objects.filter(pk=document.pk).delete())

    assert errors == []
    assert count == threads * per_thread
    # The day's row too: each download's upsert created it or added to it, none lost.
    assert sum(days) == count
    assert len(days) <= 2  # one day, or two if the run straddled midnight


def test_most_read_lists_documents_by_downloads(client):
    popular = DocumentFactory(title_en="Popular")
    quiet = DocumentFactory(title_en="Quiet")
    DocumentFactory(title_en="Never opened")
    Document.objects.filter(pk=popular.pk).update(download_count=7)
    Document.objects.filter(pk=quiet.pk).update(download_count=2)

    response = client.get(reverse("library:most_read"))

    assert [document.title for document in response.context["documents"]] == ["Popular", "Quiet"]
