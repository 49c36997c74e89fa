"""Downloads are counted by day (DownloadDay) as well as in each item's total."""

import datetime
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from library.models import Document, DownloadDay, Issue
from tests.factories.library import DocumentFactory, IssueFactory, pdf_upload
from tests.library.test_downloads import body

pytestmark = pytest.mark.django_db


def today(zone: str = "UTC") -> datetime.date:
    return datetime.datetime.now(zoneinfo.ZoneInfo(zone)).date()


def days_of(**item) -> list[tuple[datetime.date, int]]:
    return list(DownloadDay.objects.filter(**item).order_by("day").values_list("day", "count"))


def test_two_downloads_of_a_file_the_same_day_make_one_row_of_two(client):
    document = DocumentFactory(file=pdf_upload("Counted by day"))
    url = reverse("library:document_download", args=[document.pk])

    for _time in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert body(response).startswith(b"%PDF-")

    assert days_of(document=document) == [(today(), 2)]
    assert Document.objects.get(pk=document.pk).download_count == 2
    assert days_of(issue__isnull=False) == []


def test_a_download_adds_to_the_row_of_today_only(client):
    document = DocumentFactory(external_url="https://example.org/elsewhere")
    yesterday = today() - datetime.timedelta(days=1)
    DownloadDay.objects.create(document=document, day=yesterday, count=5)

    response = client.get(reverse("library:document_download", args=[document.pk]))

    assert response.status_code == 302  # the external link counts too
    assert days_of(document=document) == [(yesterday, 5), (today(), 1)]


def test_an_issue_download_is_counted_by_day(client):
    issue = IssueFactory(pdf=pdf_upload("Migration 21"))
    url = reverse("library:issue_pdf", args=[issue.number])

    body(client.get(url))
    body(client.get(url))
    body(client.get(url))

    assert days_of(issue=issue) == [(today(), 3)]
    assert Issue.objects.get(pk=issue.pk).download_count == 3
    assert days_of(document__isnull=False) == []


def test_a_refused_download_counts_no_day(client):
    document = DocumentFactory(access="members", file=pdf_upload("Members only"))

    response = client.get(reverse("library:document_download", args=[document.pk]))

    assert response.status_code == 302
    assert days_of(document=document) == []


def test_the_day_is_the_sites_not_the_viewers(client, settings):
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: never on the same date.
    settings.TIME_ZONE = "Pacific/Kiritimati"
    client.cookies[django_settings.TIMEZONE_COOKIE_NAME] = "Pacific/Pago_Pago"
    document = DocumentFactory()
    before = today("Pacific/Kiritimati")

    client.get(reverse("library:document_download", args=[document.pk]))

    [(day, count)] = days_of(document=document)
    assert count == 1
    assert day in {before, today("Pacific/Kiritimati")}
    assert day != today("Pacific/Pago_Pago")


def test_a_row_belongs_to_a_document_or_an_issue_never_both_nor_neither():
    document, issue = DocumentFactory(), IssueFactory()
    day = datetime.date(2026, 3, 1)
    for item in [{"document": document, "issue": issue}, {}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            DownloadDay.objects.create(day=day, **item)
    with pytest.raises(IntegrityError), transaction.atomic():
        DownloadDay.objects.create(document=document, day=day, count=0)


def test_one_row_per_item_and_day():
    """The constraints the services' ON CONFLICT clauses name: a second row for the same item and
    day is refused, so concurrent first downloads of a day meet on one row."""
    document, issue = DocumentFactory(), IssueFactory()
    day = datetime.date(2026, 3, 1)
    DownloadDay.objects.create(document=document, day=day)
    DownloadDay.objects.create(issue=issue, day=day)
    for item in [{"document": document}, {"issue": issue}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            DownloadDay.objects.create(day=day, **item)
    # Another day, or another item the same day, is a row of its own.
    DownloadDay.objects.create(document=document, day=day + datetime.timedelta(days=1))
    DownloadDay.objects.create(document=DocumentFactory(), day=day)
    assert DownloadDay.objects.count() == 4
