"""Events as the panel counts them: those of a period, and their registrations."""

from __future__ import annotations

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from events.enums import EventStatus
from events.models import Event
from panel.selectors.periods import Period


def events_of(period: Period) -> QuerySet[Event]:
    """Events that start in the period and were neither drafts nor cancelled."""
    return Event.objects.filter(period.moments("starts_at")).exclude(
        status__in=[EventStatus.DRAFT, EventStatus.CANCELLED]
    )


def registrations_count(status: str) -> Coalesce:
    """An annotation for an Event queryset: its registrations in this status (0 for none)."""
    return Coalesce(
        Count("registrations", filter=Q(registrations__status=status)),
        Value(0),
        output_field=IntegerField(),
    )
