"""Partners subscribed to document.published and issue.published are told once of each public
document and each magazine issue, whichever way the secretariat makes it visible."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from library.models import Document, Issue
from library.services import document_update
from mirpal.models import WebhookDelivery, WebhookEndpoint
from mirpal.webhooks import webhooks_sweep
from tests.factories.api import PartnerFactory
from tests.factories.library import DocumentFactory, pdf_upload
from tests.library.test_admin import document_form
from tests.library.test_admin_files import issue_form

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def endpoint():
    return WebhookEndpoint.objects.create(
        partner=PartnerFactory(),
        url="http://127.0.0.1:9/hook",
        topics=["document.published", "issue.published"],
    )


@pytest.fixture
def others():
    """Endpoints that must not hear of library news: other topics, switched off, partner gone."""
    WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="http://127.0.0.1:9/events", topics=["event.published"]
    )
    WebhookEndpoint.objects.create(
        partner=PartnerFactory(),
        url="http://127.0.0.1:9/off",
        topics=["document.published", "issue.published"],
        is_active=False,
    )
    WebhookEndpoint.objects.create(
        partner=PartnerFactory(is_active=False),
        url="http://127.0.0.1:9/gone",
        topics=["document.published", "issue.published"],
    )


def deliveries() -> list[tuple]:
    return list(
        WebhookDelivery.objects.order_by("created_at", "pk").values_list(
            "endpoint__url", "topic", "payload"
        )
    )


def announced_shown(page) -> str:
    """What the document's admin page says under "Announced to partners"."""
    found = re.search(
        r'Announced to partners:</label>\s*<div class="readonly">(.*?)</div>', page.text
    )
    return found.group(1)


def document_payload(document: Document) -> dict:
    return {
        "topic": "document.published",
        "data": {
            "id": document.pk,
            "kind": document.kind,
            "title_en": document.title_en,
            "title_ru": document.title_ru,
            "language": document.language,
            "url": f"{SITE}/library/documents/{document.pk}/",
        },
    }


def test_a_public_document_added_in_the_admin_notifies_once(client_for, endpoint, others):
    client = client_for("secretariat")

    response = client.post(
        reverse("admin:library_document_add"),
        document_form(file=pdf_upload("Orientation sessions")),
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert deliveries() == [(endpoint.url, "document.published", document_payload(document))]

    # A second save, with or without a new file, tells no one again.
    for change in ({"title_en": "Orientation before departure"}, {"file": pdf_upload("v2")}):
        response = client.post(
            reverse("admin:library_document_change", args=[document.pk]),
            document_form(slug=document.slug, **change),
        )
        assert response.status_code == 302
    assert WebhookDelivery.objects.count() == 1


def test_a_members_only_document_notifies_when_the_admin_makes_it_public(
    client_for, endpoint, others
):
    client = client_for("secretariat")
    response = client.post(
        reverse("admin:library_document_add"),
        document_form(access="members", external_url="https://example.org/study"),
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert deliveries() == []

    change = reverse("admin:library_document_change", args=[document.pk])
    assert announced_shown(client.get(change)) == "-"
    public = document_form(
        slug=document.slug, access="public", external_url="https://example.org/study"
    )
    assert client.post(change, public).status_code == 302
    assert deliveries() == [(endpoint.url, "document.published", document_payload(document))]
    # Shown in the secretariat user's own time zone (SecretariatFactory: Europe/Moscow).
    announced = timezone.localtime(Document.objects.get().announced_at, ZoneInfo("Europe/Moscow"))
    assert announced_shown(client.get(change)) == date_format(announced, "DATETIME_FORMAT")

    # Back to members only and public again: partners already know the document.
    for access in ("members", "public"):
        assert client.post(change, {**public, "access": access}).status_code == 302
    assert Document.objects.get().access == "public"
    assert WebhookDelivery.objects.count() == 1


def test_a_document_made_public_by_the_service_notifies_once(endpoint):
    document = DocumentFactory(access="members", title_en="Internal evaluation")
    assert deliveries() == []

    document_update(document=document, access="public")
    announced = document_payload(document)
    document_update(document=document, title_en="Evaluation")

    assert announced["data"]["title_en"] == "Internal evaluation"
    assert deliveries() == [(endpoint.url, "document.published", announced)]


def test_a_new_issue_added_in_the_admin_notifies_once(client_for, endpoint, others):
    client = client_for("secretariat")

    response = client.post(
        reverse("admin:library_issue_add"), issue_form(pdf=pdf_upload("Migration 21, issue 7"))
    )

    assert response.status_code == 302
    issue = Issue.objects.get()
    expected = {
        "topic": "issue.published",
        "data": {
            "number": 7,
            "title_en": "Remittances",
            "title_ru": "Денежные переводы",
            "url": f"{SITE}/library/issues/7/",
        },
    }
    assert deliveries() == [(endpoint.url, "issue.published", expected)]

    response = client.post(
        reverse("admin:library_issue_change", args=[issue.pk]),
        issue_form(title_en="Remittances and savings", pdf=pdf_upload("Second print")),
    )
    assert response.status_code == 302
    assert WebhookDelivery.objects.count() == 1


def test_sweep_queues_deliveries_never_attempted(endpoint):
    DocumentFactory(access="public")
    delivery = WebhookDelivery.objects.get()
    assert webhooks_sweep() == 0

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert webhooks_sweep() == 1
