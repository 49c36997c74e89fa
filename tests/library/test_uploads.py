import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from library.models import Document
from library.pdf import pdf_compose, pdf_inspect
from library.services import document_create, issue_create
from library.storage import protected_storage
from tests.factories.library import DocumentFactory, pdf_upload

pytestmark = pytest.mark.django_db


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_compose(pages=[["Secret"]]))))
    writer.encrypt("password", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def create(upload):
    return document_create(
        kind="report",
        title_en="Upload test",
        language="en",
        published_on="2024-01-01",
        file=upload,
    )


def refusal(upload) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        create(upload)
    assert Document.objects.count() == 0
    return caught.value.messages


def test_a_valid_pdf_is_stored_under_a_generated_name_outside_media(settings):
    document = create(pdf_upload("Hello", name="../../etc/Annual report.pdf"))

    assert document.file.name.startswith("documents/")
    assert "report" not in document.file.name
    assert len(Path(document.file.name).stem) == 32
    stored = Path(settings.PROTECTED_MEDIA_ROOT) / document.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert not Path(settings.MEDIA_ROOT).exists()
    assert (document.file_pages, document.file_size) == (1, stored.stat().st_size)


def test_library_files_have_no_url():
    document = create(pdf_upload("Hello"))

    with pytest.raises(ValueError, match="no public URL"):
        protected_storage.url(document.file.name)


def test_a_text_file_renamed_to_pdf_is_refused():
    upload = SimpleUploadedFile(
        "report.pdf", b"Just some text pretending.\n" * 20, "application/pdf"
    )

    assert refusal(upload) == [
        "This file is not a PDF, whatever its name says. Upload the document as a PDF."
    ]


def test_an_image_renamed_to_pdf_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "PNG")

    assert refusal(SimpleUploadedFile("scan.pdf", buffer.getvalue(), "application/pdf")) == [
        "This file is not a PDF, whatever its name says. Upload the document as a PDF."
    ]


def test_an_encrypted_pdf_is_refused():
    assert refusal(SimpleUploadedFile("locked.pdf", encrypted_pdf(), "application/pdf")) == [
        "This PDF is encrypted or protected by a password. Save a copy without protection and "
        "upload that."
    ]


def test_a_damaged_pdf_is_refused():
    damaged = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF"

    assert refusal(SimpleUploadedFile("broken.pdf", damaged, "application/pdf")) == [
        "This PDF is damaged and cannot be read. Export it again and upload the new copy."
    ]


def test_a_file_over_the_size_limit_is_refused(settings):
    upload = pdf_upload("Hello")
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1000

    assert upload.size > 1100
    assert refusal(upload) == [
        f"The file is {upload.size / 1024:.1f}\xa0KB; the limit is 1000\xa0bytes."
    ]


def test_a_file_at_the_size_limit_is_accepted(settings):
    upload = pdf_upload("Hello")
    settings.LIBRARY_MAX_UPLOAD_BYTES = upload.size

    assert create(upload).file_size == upload.size


def test_pdf_inspect_counts_pages():
    data = pdf_compose(pages=[["one"], ["two"], ["three"]])

    assert pdf_inspect(io.BytesIO(data)).pages == 3


def test_a_refused_replacement_keeps_the_old_file():
    document = DocumentFactory(file=pdf_upload("First version"), title_en="Kept")
    old_name = document.file.name

    from library.services import document_update

    with pytest.raises(ValidationError):
        document_update(document=document, file=SimpleUploadedFile("new.pdf", b"not a pdf"))

    document.refresh_from_db()
    assert document.file.name == old_name
    assert protected_storage.exists(old_name)


def test_issue_cover_is_checked_by_content_and_named_by_its_format():
    buffer = io.BytesIO()
    Image.new("RGB", (12, 17), "navy").save(buffer, "PNG")

    issue = issue_create(
        number=1,
        published_on="2010-01-01",
        title_ru="Выпуск 1",
        cover=SimpleUploadedFile("cover.jpg", buffer.getvalue(), "image/jpeg"),
        pdf=pdf_upload("Migration 21"),
    )

    assert issue.cover.name.startswith("covers/")
    assert issue.cover.name.endswith(".png")
    assert issue.pdf_pages == 1
    with pytest.raises(ValidationError) as caught:
        issue_create(
            number=2,
            published_on="2010-06-01",
            title_ru="Выпуск 2",
            cover=SimpleUploadedFile("cover.png", b"%PDF-1.4 not an image", "image/png"),
        )
    assert caught.value.messages == [
        "This file is not an image we can read. Upload a JPEG, PNG or WebP picture."
    ]
