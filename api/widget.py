"""The embeddable widget: upcoming events for a country or topic, for a partner's iframe."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from api.base import LANGUAGES
from api.cors import ORIGIN, partner_origins
from api.selectors import api_events
from events.selectors import EventFilters
from mirpal.countries import Country
from mirpal.headers import csp_override
from mirpal.models import Topic

WIDGET_LIMIT_MAX = 20


def widget_frame_ancestors() -> list[str]:
    """The sites that may frame the widget: the same origins CORS lets call the API."""
    listed = {origin.rstrip("/").lower() for origin in settings.CORS_ALLOWED_ORIGINS}
    origins = sorted(origin for origin in listed | partner_origins() if ORIGIN.match(origin))
    return origins or ["'none'"]


@require_GET
@xframe_options_exempt  # framed by partner sites; its frame-ancestors names them
def events_widget(request):
    """?country=KZ&topic=<slug>&lang=ru&limit=5"""
    lang = request.GET.get("lang", "")
    if lang in LANGUAGES:
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    country, topic = request.GET.get("country", ""), request.GET.get("topic", "")
    if country and country not in Country.values:
        return HttpResponseBadRequest(_("Unknown country code."))
    topic_obj = Topic.objects.filter(slug=topic).first() if topic else None
    if topic and topic_obj is None:
        return HttpResponseBadRequest(_("Unknown topic."))
    try:
        limit = min(max(int(request.GET.get("limit", "5")), 1), WIDGET_LIMIT_MAX)
    except ValueError:
        limit = 5
    events = list(
        api_events(filters=EventFilters(country=country, topic=topic)).filter(status="published")[
            :limit
        ]
    )
    response = render(
        request,
        "api/widget_events.html",
        {
            "events": events,
            "country_label": dict(Country.choices).get(country, ""),
            "topic": topic_obj,
            "site_url": settings.SITE_URL,
        },
    )
    response["Cache-Control"] = "public, max-age=300"
    csp_override(response, frame_ancestors=widget_frame_ancestors())
    response["Content-Language"] = translation.get_language()
    return response
