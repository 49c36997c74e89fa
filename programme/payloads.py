"""What a partner's webhook is told of a programme activity ("activity.planned").

Public fields only: no proposal, author, poll or member ever goes to a partner. The caller fires
it only for an activity of a published programme year (Call.programme_published), the activities
anyone may read (/api/v1/programme/activities/).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from events.enums import EventStatus


def activity_webhook_payload(activity) -> dict:
    """The activity as a JSON-ready dict; the event it became only once that is published.
    Costs one query for the topics unless they were prefetched, and none for the event when it
    was selected with the activity."""
    event = activity.event if activity.event_id else None
    if event is not None and event.status == EventStatus.DRAFT:
        event = None
    return {
        "id": activity.pk,
        "year": activity.year,
        "quarter": activity.quarter,
        "kind": activity.kind,
        "status": activity.status,
        "title_en": activity.title_en,
        "title_ru": activity.title_ru,
        "countries": list(activity.countries),
        "topics": [topic.slug for topic in activity.topics.all()],
        "url": settings.SITE_URL + reverse("programme:year", kwargs={"year": activity.year}),
        "event": None
        if event is None
        else {"slug": event.slug, "url": settings.SITE_URL + event.get_absolute_url()},
    }
