import math

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from events.display import event_times
from mirpal.countries import Country
from mirpal.fragments import (
    FRAGMENT_SECONDS,
    fragment_key,
    versioned_found,
    versioned_keys,
    versioned_set,
)
from mirpal.storage import stored_file_response
from portal import selectors
from portal.models import Supporter

NINE_COUNTRIES = [choice for choice in Country.choices if choice[0] != Country.OTHER]


class _EventsSection:
    """The events section, and how long it holds: until the first event shown starts (no write
    tells the cache that an event began), read from the events the section shows."""

    def __init__(self, request) -> None:
        self.request = request
        self.first_start = None

    def render(self) -> str:
        conference, events = selectors.home_events()
        starts = [event.starts_at for event in [conference, *events] if event is not None]
        self.first_start = min(starts, default=None)
        if not starts:
            return ""
        times = None
        if conference is not None:
            times = event_times(
                conference.starts_at,
                conference.ends_at,
                event_zone=conference.time_zone,
                viewer_zone=self.request.viewer_time_zone,
            )
        return render_to_string(
            "portal/_home_events.html",
            {"conference": conference, "times": times, "events": events},
        )

    def seconds(self) -> int:
        if self.first_start is None:
            return FRAGMENT_SECONDS
        return math.ceil((self.first_start - timezone.now()).total_seconds())


def _issue_html() -> str:
    issue = selectors.home_issue()
    if issue is None:
        return ""
    return render_to_string("portal/_home_issue.html", {"issue": issue})


def _documents_html() -> str:
    documents = selectors.home_documents()
    if not documents:
        return ""
    return render_to_string("portal/_home_documents.html", {"documents": documents})


def _experts_html() -> str:
    experts = selectors.home_experts()
    if not experts:
        return ""
    return render_to_string("portal/_home_experts.html", {"experts": experts})


def _supporters_html() -> str:
    groups = selectors.home_supporters()
    if not any(groups.values()):
        return ""
    return render_to_string(
        "portal/_home_supporters.html",
        {"partners": groups["partner"], "donors": groups["donor"]},
    )


def _figures_html() -> str:
    return render_to_string("portal/_home_figures.html", {"figures": selectors.home_figures()})


def _body_html(request, events: _EventsSection) -> str:
    return render_to_string(
        "portal/_home_body.html",
        {
            "events": mark_safe(events.render()),
            # Rendered by our own templates, which escaped them.
            "issue": mark_safe(_issue_html()),
            "documents": mark_safe(_documents_html()),
            "experts": mark_safe(_experts_html()),
            "supporters": mark_safe(_supporters_html()),
            "countries": NINE_COUNTRIES,
        },
    )


def _home_sections(request) -> dict:
    """What is the same for every visitor (in one language and time zone) comes from the cache:
    the figures, and the body below the buttons, each with the scopes of its data
    (mirpal.fragments), both read in one round trip. A section without data renders to "" and
    is left out of the page. One fragment for the body, not one per section: a page view reads
    fewer keys, and a write to any of its data renders the whole body again, which is rare."""
    events = _EventsSection(request)
    sections = {
        "figures": (["members"], _figures_html, FRAGMENT_SECONDS),
        "body": (
            ["events", "library", "roster", "partners"],
            lambda: _body_html(request, events),
            events.seconds,
        ),
    }
    keys = {name: fragment_key(request, f"portal:home:{name}") for name in sections}
    wanted = {
        key
        for name, (scopes, _render, _timeout) in sections.items()
        for key in versioned_keys(keys[name], scopes=scopes)
    }
    found = cache.get_many(list(wanted))
    html = {}
    for name, (scopes, render_section, timeout) in sections.items():
        value, versions = versioned_found(keys[name], scopes=scopes, found=found)
        if value is None:
            value = str(render_section())
            seconds = timeout() if callable(timeout) else timeout
            versioned_set(
                keys[name], value, versions=versions, timeout=max(1, min(seconds, FRAGMENT_SECONDS))
            )
        # Rendered by our own templates, which escaped it.
        html[name] = mark_safe(value)
    return html


@require_GET
def home(request):
    """The home page: its sections come from the cache (_home_sections); what depends on the
    viewer (the buttons to apply or log in) stays in home.html."""
    return render(
        request,
        "home.html",
        {"sections": _home_sections(request)},
    )


@require_GET
def supporter_logo(request, pk: int):
    """A partner's or donor's logo through a view: uploads are not served from MEDIA_URL. A
    hidden one's too, for the secretariat's admin: a logo is no secret."""
    supporter = Supporter.objects.filter(pk=pk).only("logo").first()
    if supporter is None or not supporter.logo:
        raise Http404
    content_types = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
    extension = supporter.logo.name.rsplit(".", 1)[-1]
    return stored_file_response(
        supporter.logo, content_type=content_types.get(extension, "image/png"), public_max_age=86400
    )


@require_GET
def about(request):
    return render(request, "about.html")


@require_GET
def privacy(request):
    return render(
        request,
        "portal/privacy.html",
        {
            "contact_email": settings.SECRETARIAT_CONTACT_EMAIL,
            "security_days": settings.SECURITY_EVENTS_RETENTION_DAYS,
        },
    )


@require_GET
def terms(request):
    return render(
        request, "portal/terms.html", {"contact_email": settings.SECRETARIAT_CONTACT_EMAIL}
    )
