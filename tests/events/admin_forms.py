"""Posting the secretariat's event form in the admin, filled in from an event as it stands."""

from __future__ import annotations

import datetime
import zoneinfo

from django.test import Client
from django.urls import reverse

from events.models import Event

MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
PLAIN = (
    "kind",
    "title_en",
    "title_ru",
    "slug",
    "description_en",
    "description_ru",
    "time_zone",
    "venue_city",
    "venue_city_ru",
    "venue_country",
    "venue_address",
    "platform",
    "join_url",
    "passcode",
    "recording_url",
    "capacity",
    "cancellation_reason",
)


def _moment(value: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> tuple[str, str]:
    if value is None:
        return "", ""
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"


def event_form_data(event: Event, **changes) -> dict:
    values = {name: getattr(event, name) for name in (*PLAIN, *MOMENTS)}
    values.update(changes)
    data: dict = {name: "" if values[name] is None else str(values[name]) for name in PLAIN}
    # The form takes times on the event's own clock (the factories' events and secretariat both
    # keep Moscow time).
    zone = zoneinfo.ZoneInfo(values["time_zone"])
    for name in MOMENTS:
        data[f"{name}_0"], data[f"{name}_1"] = _moment(values[name], zone)
    data["countries"] = list(event.countries)
    data["languages"] = list(event.languages)
    data["series"] = str(event.series_id or "")
    data["topics"] = [topic.pk for topic in event.topics.all()]
    data["speakers"] = [expert.pk for expert in event.speakers.all()]
    if event.interpretation:
        data["interpretation"] = "on"
    for prefix in ("sessions", "registrations", "attendances"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def change_event(client: Client, event: Event, **changes) -> None:
    """Save the event's admin form with these fields changed, as the secretariat would."""
    response = client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(event, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
