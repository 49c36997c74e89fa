"""Reads for the panel's home page: what waits for a decision, what is coming, what is new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from events.enums import EventStatus, RegistrationStatus
from events.models import Event
from library.models import Document, Issue
from members.models import ExpertRequest
from members.roster.enums import ExpertRequestStatus
from members.selectors import applications_pending
from mirpal.enums import OutboxStatus
from mirpal.models import OutboxMessage
from panel.selectors.events import registrations_count

OPEN_REQUEST_STATUSES = (
    ExpertRequestStatus.NEW,
    ExpertRequestStatus.IN_REVIEW,
    ExpertRequestStatus.MATCHED,
)


@dataclass(frozen=True)
class Waiting:
    applications: int
    applications_oldest: list
    expert_requests: int
    expert_requests_open: int
    expert_requests_oldest: list
    failed_mails: int
    failed_mails_latest: list


def panel_waiting(*, limit: int = 5) -> Waiting:
    """What waits for a decision; six queries however long the queues are. The oldest
    applications carry `email_confirmed`, read in the same query."""
    pending = applications_pending()
    new_requests = ExpertRequest.objects.filter(status=ExpertRequestStatus.NEW)
    # New ones and those the secretariat is still working on, counted in one query.
    requests_count = ExpertRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).aggregate(
        new=Count("pk", filter=Q(status=ExpertRequestStatus.NEW)), open=Count("pk")
    )
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    return Waiting(
        applications=pending.count(),
        applications_oldest=list(
            pending.prefetch_related(None).only(
                "country", "applied_at", "user__first_name", "user__last_name", "user__email"
            )[:limit]
        ),
        expert_requests=requests_count["new"],
        expert_requests_open=requests_count["open"],
        expert_requests_oldest=list(
            new_requests.select_related("topic", "requester").order_by("created_at", "pk")[:limit]
        ),
        failed_mails=failed.count(),
        failed_mails_latest=list(
            failed.only("pk", "kind", "to_email", "subject", "last_error", "created_at").order_by(
                "-created_at", "-pk"
            )[:limit]
        ),
    )


def panel_events_coming(*, now: datetime.datetime | None = None, limit: int = 8) -> list[Event]:
    """The next published events with their confirmed and waiting registrations; one query.

    The events are picked first and only theirs are counted: counting before the LIMIT would
    group the registrations of every coming event (a thousand) to show eight."""
    now = now or timezone.now()
    next_ones = (
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
        .order_by("starts_at", "pk")
        .values("pk")[:limit]
    )
    return list(
        Event.objects.filter(pk__in=next_ones)
        .only("slug", "title_en", "title_ru", "starts_at", "capacity")
        .annotate(
            confirmed=registrations_count(RegistrationStatus.CONFIRMED),
            waiting=registrations_count(RegistrationStatus.WAITING),
            places_left=F("capacity") - registrations_count(RegistrationStatus.CONFIRMED),
        )
        .order_by("starts_at", "pk")
    )


def panel_published_lately(*, limit: int = 5) -> tuple[list[Issue], list[Document]]:
    issues = list(
        Issue.objects.only(
            "number", "title_en", "title_ru", "published_on", "download_count"
        ).order_by("-published_on", "-number")[:limit]
    )
    documents = list(
        Document.objects.only(
            "pk", "kind", "title_en", "title_ru", "published_on", "access", "download_count"
        ).order_by("-published_on", "-pk")[:limit]
    )
    return issues, documents
