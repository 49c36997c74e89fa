from datetime import timedelta

import pytest
from django.utils import timezone

from mirpal.models import WebhookDelivery, WebhookEndpoint
from mirpal.webhooks import webhooks_sweep
from tests.factories.api import PartnerFactory
from tests.factories.library import DocumentFactory, IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint():
    return WebhookEndpoint.objects.create(
        partner=PartnerFactory(),
        url="http://127.0.0.1:9/hook",
        topics=["document.published", "issue.published"],
    )


def test_a_public_document_and_a_new_issue_notify_subscribed_partners(endpoint):
    document = DocumentFactory(access="public", title_en="Remittance corridors")
    DocumentFactory(access="members")
    IssueFactory(number=22)

    deliveries = list(WebhookDelivery.objects.order_by("created_at", "topic"))
    assert [delivery.topic for delivery in deliveries] == ["document.published", "issue.published"]
    assert deliveries[0].payload["data"]["id"] == document.pk
    assert deliveries[0].payload["data"]["title_en"] == "Remittance corridors"
    assert deliveries[1].payload["data"]["number"] == 22


def test_sweep_queues_deliveries_never_attempted(endpoint):
    DocumentFactory(access="public")
    delivery = WebhookDelivery.objects.get()
    assert webhooks_sweep() == 0

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert webhooks_sweep() == 1
