"""Uploaded files in an S3 bucket (a real SeaweedFS): the secretariat's uploads land there as
private objects, the site's views hand them out after their access checks, and storage_move
carries files from the local folders to the bucket and back."""

import io
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from library import services
from library.models import Document, Issue
from members.models import Expert
from portal.models import Supporter
from tests.factories.library import DocumentFactory, IssueFactory, pdf_upload
from tests.factories.roster import ExpertFactory, photo_upload, png_bytes
from tests.library.test_admin import document_form

pytestmark = pytest.mark.django_db


def stored(bucket, key: str) -> bytes:
    """The object's bytes, read from the bucket with boto3, not through Django."""
    return bucket.client().get_object(Bucket=bucket.bucket, Key=key)["Body"].read()


def size(bucket, key: str) -> int | None:
    try:
        return bucket.client().head_object(Bucket=bucket.bucket, Key=key)["ContentLength"]
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return None
        raise


def keys(bucket) -> list[str]:
    listing = bucket.client().list_objects_v2(Bucket=bucket.bucket)
    return sorted(entry["Key"] for entry in listing.get("Contents", ()))


def fetch(url: str) -> tuple[int, bytes, dict]:
    """GET `url` as a browser following the redirect would."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, b"", {}


def read(field_file) -> bytes:
    with field_file.open("rb") as stream:
        return stream.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def run(callbacks) -> None:
    """What the save queued after commit, but the text extraction (a Celery task)."""
    for callback in callbacks:
        if callback.__name__ != "queue_text_extraction":
            callback()


def download_url(document) -> str:
    return reverse("library:document_download", args=[document.pk])


def test_the_secretariats_upload_lands_in_the_bucket_and_a_replacement_removes_the_old_one(
    in_bucket, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for("secretariat")
    first = pdf_upload("First edition", name="Study FINAL v3.pdf")
    first_bytes = first.read()
    first.seek(0)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_document_add"), document_form(file=first, access="members")
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    run(callbacks)

    document = Document.objects.get()
    first_key = f"protected/{document.file.name}"
    assert stored(in_bucket, first_key) == first_bytes
    assert not Path(settings.PROTECTED_MEDIA_ROOT).exists()
    assert not Path(settings.MEDIA_ROOT).exists()

    second = pdf_upload("Second edition")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_document_change", args=[document.pk]),
            document_form(slug=document.slug, file=second, access="members"),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    run(callbacks)

    document.refresh_from_db()
    assert keys(in_bucket) == [f"protected/{document.file.name}"]
    assert size(in_bucket, first_key) is None
    assert b"Second edition" in stored(in_bucket, f"protected/{document.file.name}")
    assert document.file_size == size(in_bucket, f"protected/{document.file.name}")


@pytest.mark.django_db(transaction=True)
def test_the_text_of_a_pdf_in_the_bucket_is_read_for_search(in_bucket):
    document = DocumentFactory(file=pdf_upload("Labour migration from Tajikistan"))

    assert services.document_text_extract(document_id=document.pk)

    assert "Labour migration from Tajikistan" in Document.objects.get(pk=document.pk).text


def test_a_member_gets_a_members_only_file_through_a_link_signed_after_the_check(
    in_bucket, client_for
):
    document = DocumentFactory(
        title_en="Internal evaluation",
        slug="internal-evaluation",
        access="members",
        file=pdf_upload("Members only text"),
    )
    key = f"protected/{document.file.name}"
    url = download_url(document)

    anonymous = Client().get(url)
    assert (anonymous.status_code, anonymous.url) == (302, f"{reverse('account_login')}?next={url}")
    applicant = client_for("applicant").get(url)
    assert (applicant.status_code, applicant.url) == (302, reverse("members:account"))
    assert Document.objects.get(pk=document.pk).download_count == 0
    # The object itself is private: its plain address is refused.
    assert fetch(f"{in_bucket.endpoint_url}/{in_bucket.bucket}/{key}")[0] == 403

    response = client_for("member").get(url)

    assert response.status_code == 302
    assert response.url.startswith(f"{in_bucket.endpoint_url}/{in_bucket.bucket}/{key}?")
    assert "X-Amz-Expires=60&" in response.url
    assert response["Cache-Control"] == "private, no-store"
    status, content, headers = fetch(response.url)
    assert (status, content) == (200, stored(in_bucket, key))
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'inline; filename="internal-evaluation.pdf"'
    assert Document.objects.get(pk=document.pk).download_count == 1


def test_a_signed_link_expires(in_bucket, client_for, settings):
    settings.MIRPAL_S3_URL_SECONDS = 2
    document = DocumentFactory(access="members", file=pdf_upload("Members only text"))

    link = client_for("member").get(download_url(document)).url

    assert "X-Amz-Expires=2&" in link
    assert fetch(link)[0] == 200
    time.sleep(3)
    assert fetch(link)[0] == 403


def test_with_links_off_the_file_is_streamed_from_the_bucket(in_bucket, client_for, settings):
    settings.MIRPAL_S3_URL_SECONDS = 0
    document = DocumentFactory(access="members", file=pdf_upload("Members only text"))

    response = client_for("member").get(download_url(document))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert "private" in response["Cache-Control"]
    assert body(response) == stored(in_bucket, f"protected/{document.file.name}")
    assert Document.objects.get(pk=document.pk).download_count == 1


def test_public_files_go_to_anyone_and_are_counted(in_bucket):
    document = DocumentFactory(slug="open-data", file=pdf_upload("Public text"))
    issue = IssueFactory(number=7, pdf=pdf_upload("Migration 21, number 7"))
    visitor = Client()

    for url, key in (
        (download_url(document), f"protected/{document.file.name}"),
        (reverse("library:issue_pdf", args=[7]), f"protected/{issue.pdf.name}"),
    ):
        response = visitor.get(url)
        assert response.status_code == 302
        assert fetch(response.url)[:2] == (200, stored(in_bucket, key))

    assert Document.objects.get(pk=document.pk).download_count == 1
    assert Issue.objects.get(pk=issue.pk).download_count == 1


def test_a_cover_a_photo_and_a_logo_are_served_from_the_bucket(in_bucket, client_for):
    cover = png_bytes((12, 17))
    issue = IssueFactory(number=3, cover=SimpleUploadedFile("cover.png", cover, "image/png"))
    expert = ExpertFactory(photo=photo_upload("amina.png"))
    expert.full_clean()
    expert.save()
    response = client_for("secretariat").post(
        reverse("admin:portal_supporter_add"),
        {
            "name_en": "International Labour Organization",
            "name_ru": "Международная организация труда",
            "kind": "partner",
            "url": "",
            "logo": SimpleUploadedFile("ILO.png", png_bytes()),
            "position": "1",
            "is_shown": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    supporter = Supporter.objects.get()
    visitor = Client()

    served = visitor.get(reverse("library:issue_cover", args=[3]))
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert served["Cache-Control"] == "public, max-age=3600"
    assert body(served) == stored(in_bucket, f"protected/{issue.cover.name}") == cover

    expert = Expert.objects.get(pk=expert.pk)
    assert expert.photo.name == "experts/photos/amina.png"
    served = visitor.get(reverse("members:expert_photo", args=[expert.pk]))
    assert served.content == stored(in_bucket, "media/experts/photos/amina.png") == png_bytes()

    served = visitor.get(supporter.get_logo_url())
    assert served["Cache-Control"] == "public, max-age=86400"
    assert body(served) == stored(in_bucket, f"media/{supporter.logo.name}") == png_bytes()


def test_a_file_gone_from_the_bucket_is_not_found(in_bucket, client_for, settings):
    settings.MIRPAL_S3_URL_SECONDS = 0
    document = DocumentFactory(file=pdf_upload("Public text"))
    issue = IssueFactory(cover=SimpleUploadedFile("cover.png", png_bytes(), "image/png"))
    in_bucket.empty()

    assert Client().get(download_url(document)).status_code == 404
    assert Client().get(reverse("library:issue_cover", args=[issue.number])).status_code == 404


def test_files_move_to_the_bucket_in_two_runs_and_back(bucket, client_for, settings, tmp_path):
    public = DocumentFactory(slug="open-data", file=pdf_upload("Public text"))
    private = DocumentFactory(access="members", file=pdf_upload("Members only text"))
    expert = ExpertFactory(photo=photo_upload("amina.png"))
    expert.full_clean()
    expert.save()
    on_disk = {
        f"protected/{public.file.name}": read(public.file),
        f"protected/{private.file.name}": read(private.file),
        "media/experts/photos/amina.png": png_bytes(),
    }
    local_settings = dict(settings.STORAGES)

    def move(*arguments) -> list[str]:
        out = io.StringIO()
        call_command("storage_move", *arguments, stdout=out)
        return out.getvalue().splitlines()

    # The first run stops after one file of each folder, as if cut short.
    assert move("--to", "s3", "--limit", "1") == [
        "media: 1 copied, 0 already there, 0 deleted from the source, 0 left for another run",
        "protected: 1 copied, 0 already there, 0 deleted from the source, 1 left for another run",
        "total: 2 copied, 0 already there, 0 deleted from the source, 1 left for another run",
    ]
    assert len(keys(bucket)) == 2
    # A stale object of another size is written again, not taken for a copy.
    (left,) = set(on_disk) - set(keys(bucket))
    bucket.client().put_object(Bucket=bucket.bucket, Key=left, Body=b"%PDF-cut short")

    assert move("--to", "s3") == [
        "media: 0 copied, 1 already there, 0 deleted from the source, 0 left for another run",
        "protected: 1 copied, 1 already there, 0 deleted from the source, 0 left for another run",
        "total: 1 copied, 2 already there, 0 deleted from the source, 0 left for another run",
    ]
    assert {key: stored(bucket, key) for key in keys(bucket)} == on_disk
    assert (Path(settings.PROTECTED_MEDIA_ROOT) / private.file.name).read_bytes() == on_disk[
        f"protected/{private.file.name}"
    ]

    # The site switched to the bucket serves the moved files.
    settings.STORAGES = {**settings.STORAGES, **settings.MIRPAL_S3_STORAGES}
    settings.MIRPAL_S3_URL_SECONDS = 0
    response = client_for("member").get(download_url(private))
    assert body(response) == on_disk[f"protected/{private.file.name}"]
    photo = Client().get(reverse("members:expert_photo", args=[expert.pk]))
    assert photo.content == png_bytes()

    # And back, to fresh folders, emptying the bucket.
    settings.STORAGES = local_settings
    settings.MEDIA_ROOT = tmp_path / "back" / "media"
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "back" / "protected"
    assert move("--to", "local", "--delete-source") == [
        "media: 1 copied, 0 already there, 1 deleted from the source, 0 left for another run",
        "protected: 2 copied, 0 already there, 2 deleted from the source, 0 left for another run",
        "total: 3 copied, 0 already there, 3 deleted from the source, 0 left for another run",
    ]
    assert keys(bucket) == []
    response = Client().get(download_url(public))
    assert (response.status_code, body(response)) == (
        200,
        on_disk[f"protected/{public.file.name}"],
    )
    assert Client().get(reverse("members:expert_photo", args=[expert.pk])).content == png_bytes()


def test_the_move_needs_a_bucket(settings):
    settings.MIRPAL_S3_STORAGES = {
        alias: {**config, "OPTIONS": {**config["OPTIONS"], "bucket_name": ""}}
        for alias, config in settings.MIRPAL_S3_STORAGES.items()
    }

    with pytest.raises(CommandError, match="No bucket configured"):
        call_command("storage_move", "--to", "s3")
