"""Reads for the donor report: the events held in a period, and what was published in it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Attendance, Event
from library.models import Document, Issue
from mirpal.countries import Country
from panel.selectors.events import events_of, registrations_count
from panel.selectors.periods import Period


@dataclass(frozen=True)
class HeldEvent:
    event: Event
    registered: int
    attended: int
    by_country: tuple[int, ...]  # attendance, in the order of Country.choices


def events_held(*, period: Period, now: datetime.datetime | None = None) -> list[HeldEvent]:
    """Events of the period that have ended, with attendance by country; two queries."""
    now = now or timezone.now()
    events = list(
        events_of(period)
        .filter(ends_at__lte=now)
        .annotate(registered=registrations_count(RegistrationStatus.CONFIRMED))
        .order_by("starts_at", "pk")
    )
    cells: dict[tuple[int, str | None], int] = {
        (event_id, country): total
        for event_id, country, total in Attendance.objects.filter(event__in=[e.pk for e in events])
        .order_by()
        .values("event_id", "user__profile__country")
        .annotate(total=Count("pk"))
        .values_list("event_id", "user__profile__country", "total")
    }
    held = []
    for event in events:
        by_country = tuple(cells.get((event.pk, code), 0) for code in Country.values)
        attended = sum(total for (event_id, _c), total in cells.items() if event_id == event.pk)
        held.append(HeldEvent(event, event.registered, attended, by_country))
    return held


def issues_published(*, period: Period) -> list[Issue]:
    return list(
        Issue.objects.filter(period.days("published_on")).order_by("published_on", "number")
    )


def documents_published(*, period: Period) -> list[Document]:
    return list(
        Document.objects.filter(period.days("published_on"))
        .only(
            "pk",
            "kind",
            "title_en",
            "title_ru",
            "published_on",
            "access",
            "download_count",
            "publisher",
            "language",
        )
        .order_by("published_on", "pk")
    )
