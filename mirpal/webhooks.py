"""Webhooks: signed notices to partners' addresses when events or publications change.

A change writes one WebhookDelivery per interested endpoint inside the service's transaction
and queues its task on commit, so a rolled-back change notifies no one. The task POSTs the JSON
body with `X-Mirpal-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` under the
partner's secret; a failure (network error or an answer other than 2xx) is retried by Celery
after WEBHOOK_RETRY_BASE_SECONDS, doubling, up to WEBHOOK_MAX_ATTEMPTS attempts. Every attempt is
logged on the delivery for the secretariat.

Requests go through mirpal.outbound: an address must lead to the public internet when it is
registered and again at each delivery (an address refused then fails the delivery at once), no
redirect is followed, and no database row is locked while the partner answers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mirpal.enums import WebhookStatus, WebhookTopic
from mirpal.models import Partner, WebhookDelivery, WebhookEndpoint
from mirpal.outbound import OutboundFailed, OutboundRefused, outbound_request, outbound_url_check
from mirpal.queueing import queue_after_commit, tasks_publish

SIGNATURE_HEADER = "X-Mirpal-Signature"
USER_AGENT = "MIRPAL-Webhooks/1"


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """What a partner recomputes to check a delivery: sha256=HMAC(secret, "<timestamp>.<body>")."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def webhook_endpoint_create(*, partner: Partner, url: str, topics: list[str]) -> WebhookEndpoint:
    """Register an address for these topics (a partner may have several). Raises OutboundError
    (with a message for the partner) unless the address is http(s) and its host resolves only to
    public addresses; the name is resolved before the transaction opens."""
    outbound_url_check(url)
    with transaction.atomic():
        return WebhookEndpoint.objects.create(partner=partner, url=url, topics=sorted(set(topics)))


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def _event_payload(event) -> dict:
    """Public fields only: no join link, passcode or recording ever goes to a partner."""
    return {
        "slug": event.slug,
        "kind": event.kind,
        "status": event.status,
        "title_en": event.title_en,
        "title_ru": event.title_ru,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "countries": list(event.countries),
        "url": settings.SITE_URL + event.get_absolute_url(),
    }


def webhooks_notify(*, topic: str, data: dict) -> list[WebhookDelivery]:
    """Write a delivery for every active endpoint of an active partner that wants this topic,
    and queue each after commit. Call it inside the transaction of the change."""
    endpoints = WebhookEndpoint.objects.filter(
        is_active=True, partner__is_active=True, topics__contains=[topic]
    )
    payload = json.loads(json.dumps({"topic": topic, "data": data}, cls=DjangoJSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(id=uuid.uuid4(), endpoint=endpoint, topic=topic, payload=payload)
            for endpoint in endpoints
        ]
    )
    # Deliveries the broker does not take stay pending, and webhooks_sweep queues them.
    queue_after_commit(
        webhook_deliver_task, [{"delivery_id": str(delivery.pk)} for delivery in deliveries]
    )
    return deliveries


def webhooks_event_changed(*, event, topic: str) -> list[WebhookDelivery]:
    """Called by event_publish, event_update and event_cancel. Drafts are nobody's business: a
    change notifies only for a published event, a cancellation only if it had been published."""
    if topic == WebhookTopic.EVENT_CHANGED and event.status != "published":
        return []
    if topic == WebhookTopic.EVENT_CANCELLED and event.published_at is None:
        return []
    return webhooks_notify(topic=topic, data=_event_payload(event))


def webhook_retry_delay(attempts: int) -> float:
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def _claim_lease() -> timedelta:
    """How long a claim keeps other workers off a delivery: the request's own time limit, and
    room for a slow DNS answer. A worker that died is taken over after this."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)


def _delivery_claim(delivery_id: str) -> WebhookDelivery | None:
    """Claim a pending delivery that no live worker holds, in a short transaction of its own."""
    with transaction.atomic(durable=True):
        now = timezone.now()
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint__partner")
            .filter(pk=delivery_id, status=WebhookStatus.PENDING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if delivery is None:
            return None
        delivery.claimed_until = now + _claim_lease()
        delivery.save(update_fields=["claimed_until"])
    return delivery


def _delivery_request(delivery: WebhookDelivery) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {"id": str(delivery.pk), "created_at": delivery.created_at.isoformat(), **delivery.payload},
        separators=(",", ":"),
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Mirpal-Delivery": str(delivery.pk),
        "X-Mirpal-Topic": delivery.topic,
        "X-Mirpal-Timestamp": timestamp,
        SIGNATURE_HEADER: webhook_signature(
            secret=delivery.endpoint.partner.webhook_secret, timestamp=timestamp, body=body
        ),
    }
    return body, headers


def webhook_deliver(*, delivery_id: str) -> WebhookDelivery | None:
    """One attempt at one delivery. Returns the delivery if another attempt is due, else None
    (delivered, given up, or already final or in another worker's hands: a duplicate task does
    nothing).

    Three steps, so that no row is locked and no transaction open while the partner answers: a
    short transaction claims the row (`claimed_until`), the request goes out through
    mirpal.outbound (public addresses only, checked again now since DNS can change; no
    redirects; WEBHOOK_TIMEOUT_SECONDS), and a second short transaction records the outcome. An
    address now refused fails the delivery at once, with the reason; other failures are retried
    up to WEBHOOK_MAX_ATTEMPTS."""
    claimed = _delivery_claim(delivery_id)
    if claimed is None:
        return None
    body, headers = _delivery_request(claimed)
    started = time.monotonic()
    code, error, refused = None, "", False
    try:
        # Partners answer with an acknowledgement; a little of it is read, none of it kept.
        response = outbound_request(
            "POST",
            claimed.endpoint.url,
            body=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            max_bytes=4096,
        )
    except OutboundRefused as refusal:
        error, refused = refusal.message, True
    except OutboundFailed as failure:
        error = failure.message
    else:
        code = response.status
        if 300 <= code < 400:
            error = f"HTTP {code}: redirects are not followed"
        elif not 200 <= code < 300:
            error = f"HTTP {code}"
    with transaction.atomic(durable=True):
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .filter(
                pk=claimed.pk, status=WebhookStatus.PENDING, claimed_until=claimed.claimed_until
            )
            .first()
        )
        if delivery is None:  # the claim ran out and another worker took the delivery over
            return None
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_status_code = code
        delivery.last_error = error
        delivery.claimed_until = None
        delivery.log = [
            *delivery.log,
            {
                "at": now.isoformat(),
                "status": code,
                "error": error,
                "ms": round((time.monotonic() - started) * 1000),
            },
        ]
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at = WebhookStatus.DELIVERED, now
        elif refused or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookStatus.FAILED
        delivery.save()
    return delivery if delivery.status == WebhookStatus.PENDING else None


@shared_task(name="mirpal.webhook_deliver", bind=True, max_retries=None)
def webhook_deliver_task(self, *, delivery_id: str) -> None:
    """Attempt the delivery; retry with doubling back-off while it stays pending. Final rows
    are skipped, so a duplicate task is harmless."""
    pending = webhook_deliver(delivery_id=delivery_id)
    if pending is not None:
        raise self.retry(countdown=webhook_retry_delay(pending.attempts))


def webhooks_sweep() -> int:
    """Queue deliveries never attempted five minutes after their change committed (their task
    was not queued, the broker being down, or was lost) and those whose worker died during the
    request (their claim ran out). A delivery is claimed only while pending and unclaimed, so
    queuing one twice sends it once."""
    now = timezone.now()
    lost = list(
        WebhookDelivery.objects.filter(status=WebhookStatus.PENDING)
        .filter(
            Q(attempts=0, claimed_until__isnull=True, created_at__lt=now - timedelta(minutes=5))
            | Q(claimed_until__lt=now)
        )
        .values_list("pk", flat=True)[:5000]
    )
    tasks_publish(webhook_deliver_task, [{"delivery_id": str(pk)} for pk in lost])
    return len(lost)


@shared_task(name="mirpal.webhooks_sweep")
def webhooks_sweep_task() -> int:
    return webhooks_sweep()
