"""Files on threads and answers: checked by their content when posted, served to whoever may
read the thread."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.models import Attachment, Post, Thread
from tests.exchange.conftest import answer, ask, pdf_file, png_file, signed_in
from tests.factories.exchange import ThreadFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


def served(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_pdf_and_a_picture_are_attached_stored_and_served(settings, asker, answerer, topic):
    response = ask(
        signed_in(asker), topic, attachments=[pdf_file("Our procedure.pdf"), png_file("chart.png")]
    )
    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()

    pdf, image = Attachment.objects.order_by("id")
    assert (pdf.thread, pdf.kind, pdf.name) == (thread, "pdf", "Our procedure.pdf")
    assert (image.kind, image.name) == ("image", "chart.png")
    assert re.fullmatch(r"exchange/pdf/[0-9a-f]{32}\.pdf", pdf.file.name)
    stored = Path(settings.PROTECTED_MEDIA_ROOT) / pdf.file.name
    assert pdf.size == stored.stat().st_size

    reader = signed_in(answerer)
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert (
        f'<a href="{reverse("exchange:attachment", args=[pdf.pk])}">Our procedure.pdf</a>' in page
    )
    pdf_response = reader.get(reverse("exchange:attachment", args=[pdf.pk]))
    assert pdf_response["Content-Type"] == "application/pdf"
    assert served(pdf_response) == stored.read_bytes()
    assert "no-store" in pdf_response["Cache-Control"]
    image_response = reader.get(reverse("exchange:attachment", args=[image.pk]))
    assert image_response["Content-Type"] == "image/png"
    assert served(image_response).startswith(b"\x89PNG")


def test_a_members_only_file_is_for_members(asker, topic, client):
    ask(signed_in(asker), topic, attachments=[pdf_file()])
    url = reverse("exchange:attachment", args=[Attachment.objects.get().pk])

    assert client.get(url)["Location"] == f"{reverse('account_login')}?next={url}"
    applicant = signed_in(ProfileFactory(status="pending").user)
    assert applicant.get(url)["Location"] == reverse("members:account")
    suspended = signed_in(ProfileFactory(status="suspended").user)
    assert suspended.get(url)["Location"] == reverse("members:account")


def test_a_public_threads_file_is_for_anyone(asker, topic, client):
    ask(signed_in(asker), topic, visibility="public", attachments=[pdf_file()])
    url = reverse("exchange:attachment", args=[Attachment.objects.get().pk])
    assert served(client.get(url)).startswith(b"%PDF-")


def test_a_fake_pdf_is_refused_with_a_clear_message(asker, topic):
    fake = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = ask(signed_in(asker), topic, body="Keep this text", attachments=[fake])

    text = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a PDF, whatever its name says. Upload the document as a PDF." in text
    assert "Keep this text</textarea>" in text
    assert (Thread.objects.count(), Attachment.objects.count()) == (0, 0)


def test_a_file_that_is_neither_pdf_nor_picture_is_refused(asker, topic):
    other = SimpleUploadedFile("notes.docx", b"PK\x03\x04 not a picture", "application/zip")
    response = ask(signed_in(asker), topic, attachments=[other])
    assert (
        "“notes.docx” is neither a PDF nor a picture we can read. Attach a PDF document or a "
        "JPEG, PNG or WebP picture." in response.content.decode()
    )
    assert Thread.objects.count() == 0


def test_too_many_files_are_refused(settings, asker, topic):
    settings.EXCHANGE_MAX_ATTACHMENTS = 2
    response = ask(signed_in(asker), topic, attachments=[pdf_file(), pdf_file(), png_file()])
    assert "Attach at most 2 files." in response.content.decode()
    assert Thread.objects.count() == 0


def test_an_answers_file_awaiting_review_is_seen_only_by_its_author(
    settings, asker, answerer, topic
):
    settings.EXCHANGE_HOLD_FIRST_POSTS = 1
    thread = ThreadFactory(author=asker, topics=[topic])
    answer(signed_in(answerer), thread, "See the attached", attachments=[pdf_file()])

    post = Post.objects.get()
    url = reverse("exchange:attachment", args=[post.attachments.get().pk])
    assert post.state == "held"
    assert served(signed_in(answerer).get(url)).startswith(b"%PDF-")
    assert signed_in(asker).get(url).status_code == 404
