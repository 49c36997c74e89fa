import math

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from events.display import event_times
from events.selectors import event_next_end
from members.permissions import is_member
from mirpal.countries import Country
from mirpal.fragments import (
    FRAGMENT_SECONDS,
    cached_fragment,
    fragment_key,
    versioned_found,
    versioned_keys,
    versioned_set,
)
from mirpal.storage import stored_file_response
from portal import countries, selectors
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


# What the country pages show: members and experts, events, documents, cases, discussions, and
# the figures the secretariat keeps (portal.apps).
COUNTRY_SCOPES = ("members", "roster", "events", "library", "exchange", "practices", "figures")
COUNTRY_LIST_SCOPES = ("members", "roster", "events", "figures")
FIGURES_ADMIN_PERMISSION = "portal.change_countryfigure"


def _seconds_until(moment) -> int:
    if moment is None:
        return FRAGMENT_SECONDS
    return math.ceil((moment - timezone.now()).total_seconds())


def _edits_figures(user) -> bool:
    # is_staff first: a member's page asks the database nothing about permissions.
    return user.is_staff and user.has_perm(FIGURES_ADMIN_PERMISSION)


@require_GET
def country_list(request):
    """The nine countries with their members, experts, coming events and first figures: the
    same for every viewer, cached until the data changes or the next coming event ends."""
    body = cached_fragment(
        request,
        "portal:countries",
        scopes=COUNTRY_LIST_SCOPES,
        render=lambda: render_to_string(
            "portal/_countries_body.html", {"countries": countries.country_summaries()}
        ),
        timeout=lambda: _seconds_until(event_next_end()),
    )
    return render(
        request,
        "portal/countries.html",
        {"body": body, "edits_figures": _edits_figures(request.user)},
    )


@require_GET
def country_detail(request, code: str):
    """One country's page. Its body is cached in two versions, for members (who see members'
    names and what is for members) and for everyone else; the staff's link to the figures stays
    outside it."""
    country = countries.country_code_from_path(code)
    if country is None:
        raise Http404
    if code != country.lower():
        return redirect("country", code=country.lower(), permanent=True)
    member = is_member(request.user)
    shown = {}

    def render_body() -> str:
        page = countries.country_page(code=country, viewer=request.user, member=member)
        shown["next_event_end"] = page.next_event_end
        # No request: context processors would bring the viewer into a body others are served.
        return render_to_string(
            "portal/_country_body.html",
            {"page": page, "country_label": Country(country).label, "member": member},
        )

    body = cached_fragment(
        request,
        f"portal:country:{country}",
        scopes=COUNTRY_SCOPES,
        variant="member" if member else "public",
        render=render_body,
        timeout=lambda: _seconds_until(shown.get("next_event_end")),
    )
    return render(
        request,
        "portal/country.html",
        {
            "body": body,
            "code": country,
            "country_label": Country(country).label,
            "edits_figures": _edits_figures(request.user),
        },
    )
