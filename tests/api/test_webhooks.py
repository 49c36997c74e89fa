import hashlib
import hmac
import itertools
import json

import pytest

from events.services import event_cancel, event_publish, event_update
from mirpal.enums import WebhookStatus
from mirpal.models import WebhookDelivery
from mirpal.webhooks import webhook_deliver, webhook_endpoint_create, webhook_signature
from tests.api.hooks_server import LOOPBACK, HookServer
from tests.factories.api import PartnerFactory, key_header, partner_key
from tests.factories.events import EventFactory
from tests.worker import Worker, purge_test_queue, wait_until


def test_delivery_is_signed_with_the_partner_secret(
    db, allow_loopback, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    with HookServer() as server:
        webhook_endpoint_create(partner=partner, url=server.url, topics=["event.published"])
        event = EventFactory(status="draft", published_at=None)
        event_publish(event=event, by=None)
        delivery = WebhookDelivery.objects.get()
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None
    [request] = server.received
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        partner.webhook_secret.encode(),
        headers["X-Mirpal-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Mirpal-Signature"] == f"sha256={expected}"
    assert headers["X-Mirpal-Signature"] == webhook_signature(
        secret=partner.webhook_secret, timestamp=headers["X-Mirpal-Timestamp"], body=body
    )
    payload = json.loads(body)
    assert (payload["topic"], payload["data"]["slug"], payload["id"]) == (
        "event.published",
        event.slug,
        str(delivery.pk),
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    # A duplicate task finds the row final and sends nothing.
    assert webhook_deliver(delivery_id=str(delivery.pk)) is None
    assert len(server.received) == 1


def test_only_wanted_topics_and_published_events_notify(db, allow_loopback):
    partner = PartnerFactory()
    webhook_endpoint_create(partner=partner, url="http://127.0.0.1:9/a", topics=["event.cancelled"])
    draft = EventFactory(status="draft", published_at=None)
    event_update(event=draft, by=None, title_en="Renamed")
    event_cancel(event=draft, by=None, reason="")
    assert WebhookDelivery.objects.count() == 0  # never published: nobody was told about it
    event = EventFactory()
    event_update(event=event, by=None, title_en="Renamed")  # not a wanted topic
    event_cancel(event=event, by=None, reason="Illness")
    assert list(WebhookDelivery.objects.values_list("topic", flat=True)) == ["event.cancelled"]


def test_partner_registers_and_removes_a_webhook_through_the_api(client, db):
    _key, raw = partner_key(scopes=[])
    created = client.post(
        "/api/v1/webhooks/",
        {"url": "https://93.184.215.14/hook", "topics": ["event.published"]},
        content_type="application/json",
        **key_header(raw),
    )
    assert created.status_code == 201
    assert client.get("/api/v1/webhooks/", **key_header(raw)).json() == [created.json()]
    other = key_header(partner_key()[1])
    assert client.delete(f"/api/v1/webhooks/{created.json()['id']}/", **other).status_code == 404
    bad = client.post(
        "/api/v1/webhooks/",
        {"url": "ftp://x.example/", "topics": ["nope"]},
        content_type="application/json",
        **key_header(raw),
    )
    assert (bad.status_code, sorted(bad.json())) == (400, ["topics", "url"])
    removed = client.delete(f"/api/v1/webhooks/{created.json()['id']}/", **key_header(raw))
    assert removed.status_code == 204


@pytest.mark.django_db(transaction=True)
def test_failed_deliveries_are_retried_with_backoff_by_celery(smtp_sink_server, allow_loopback):
    purge_test_queue()
    partner = PartnerFactory()
    with HookServer(statuses=[500, 503]) as server:
        webhook_endpoint_create(partner=partner, url=server.url, topics=["event.published"])
        env = {
            "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
            "WEBHOOK_MAX_ATTEMPTS": "5",
            "OUTBOUND_ALLOWED_NETWORKS": LOOPBACK,
        }
        with Worker(smtp_port=smtp_sink_server.port, env=env):
            event = EventFactory(status="draft", published_at=None)
            event_publish(event=event, by=None)  # commits: the task is queued on commit
            assert wait_until(
                lambda: WebhookDelivery.objects.filter(status=WebhookStatus.DELIVERED).exists(),
                timeout=30,
            )
    delivery = WebhookDelivery.objects.get()
    assert [entry["status"] for entry in delivery.log] == [500, 503, 200]
    assert (delivery.attempts, len(server.received)) == (3, 3)
    ids = {request["headers"]["X-Mirpal-Delivery"] for request in server.received}
    assert ids == {str(delivery.pk)}
    # back-off: 0.5 s, then 1 s
    from datetime import datetime

    times = [datetime.fromisoformat(entry["at"]) for entry in delivery.log]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert gaps[0] >= 0.5
    assert gaps[1] >= 1.0


@pytest.mark.django_db(transaction=True)
def test_delivery_gives_up_after_max_attempts(settings, allow_loopback):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    partner = PartnerFactory()
    with HookServer(statuses=[500, 500, 500]) as server:
        webhook_endpoint_create(partner=partner, url=server.url, topics=["event.changed"])
        event = EventFactory()
        event_update(event=event, by=None, title_en="Renamed")
        delivery = WebhookDelivery.objects.get()
        assert webhook_deliver(delivery_id=str(delivery.pk)) is not None
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 2, "HTTP 500")
