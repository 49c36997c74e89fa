import datetime
import math
import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from events import attendance, ical, selectors, services
from events.display import event_times
from events.enums import EventStatus, RegistrationStatus
from events.forms import AttendanceImportForm, EventFilterForm, FiguresForm
from events.models import Event
from members.permissions import is_member, is_secretariat, member_required
from mirpal.fragments import FRAGMENT_SECONDS, cached_fragment

PAGE_SIZE = 20
ATTENDANCE_PERMISSION = "events.manage_attendance"


def attendance_manager_required(view):
    """Attendance is the editors' work: manage_attendance alone opens these pages, without the
    membership decisions that only managers hold."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(ATTENDANCE_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# Where a card's badge for the viewer's own answer goes: the cached cards are the same for
# every viewer, and _with_viewer_badges fills the slots for the one asking.
BADGE_SLOT = re.compile(r"<!--viewer-status:(\d+)-->")


def _listing_body(request, *, past: bool) -> str:
    form = EventFilterForm(request.GET or None, topics=selectors.filter_topics())
    filters = selectors.EventFilters(**form.filters())
    select = selectors.event_list_past if past else selectors.event_list_upcoming
    page = Paginator(select(viewer=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_to_string(
        "events/_list_body.html",
        {
            "page": page,
            "form": form,
            "query_string": query.urlencode(),
            "past": past,
            "viewer_time_zone": request.viewer_time_zone,
        },
    )


def _seconds_until_lists_change() -> int:
    """An event that ends leaves the coming list for the past one: no write tells the cache."""
    now = timezone.now()
    next_end = selectors.event_next_end(now=now)
    if next_end is None:
        return FRAGMENT_SECONDS
    return math.ceil((next_end - now).total_seconds())


def _with_viewer_badges(html: str, *, viewer) -> SafeString:
    statuses = {}
    if viewer.is_authenticated:
        statuses = selectors.viewer_registration_statuses(
            viewer=viewer, event_ids=[int(pk) for pk in BADGE_SLOT.findall(html)]
        )
    if not statuses:
        # Most viewers (anonymous ones among them) hold no place: the slots only go.
        return mark_safe(BADGE_SLOT.sub("", html))
    badges = {
        RegistrationStatus.CONFIRMED: format_html(
            '<span class="badge approved">{}</span>', _("You are going")
        ),
        RegistrationStatus.WAITING: format_html(
            '<span class="badge pending">{}</span>', _("You are on the wait list")
        ),
    }
    # Safe: the cached markup was escaped by our templates, the badges by format_html.
    return mark_safe(BADGE_SLOT.sub(lambda slot: badges.get(statuses.get(int(slot[1])), ""), html))


def _listing(request, *, past: bool):
    """The list body (filters, count, cards, pagination) comes from the cache, shared by every
    viewer of one language, time zone and query; only drafts make the secretariat's differ."""
    body = cached_fragment(
        request,
        "events:past" if past else "events:upcoming",
        scopes=["events"],
        variant="secretariat" if is_secretariat(request.user) else "",
        render=lambda: _listing_body(request, past=past),
        timeout=_seconds_until_lists_change,
    )
    return render(
        request,
        "events/list.html",
        {"body": _with_viewer_badges(body, viewer=request.user), "past": past},
    )


@require_GET
def event_list(request):
    return _listing(request, past=False)


@require_GET
def event_past(request):
    return _listing(request, past=True)


def _month(value: str | None, today: datetime.date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
    except (ValueError, OverflowError):  # OverflowError: a year too big for a C long
        return today.year, today.month
    if not 1900 <= year <= 2999:
        return today.year, today.month
    return year, month


@require_GET
def event_calendar(request):
    zone = request.viewer_time_zone
    today = timezone.now().astimezone(zone).date()
    year, month = _month(request.GET.get("month"), today)
    topics = selectors.filter_topics()
    form = EventFilterForm(request.GET or None, topics=topics)
    filters = selectors.EventFilters(**form.filters())
    weeks = selectors.event_calendar_month(
        viewer=request.user, year=year, month=month, zone=zone, filters=filters
    )
    first = datetime.date(year, month, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=32)
    query = request.GET.copy()
    query.pop("month", None)
    return render(
        request,
        "events/calendar.html",
        {
            "weeks": weeks,
            "month": first,
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
            "form": form,
            "query_string": query.urlencode(),
            "weekdays": weeks[0],
            "month_value": f"{year}-{month:02d}",
        },
    )


@require_GET
def event_detail(request, slug):
    event = selectors.event_detail(slug=slug, viewer=request.user)
    now = timezone.now()
    registration = selectors.viewer_registration(event=event, viewer=request.user)
    member = is_member(request.user)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "times": event_times(
                event.starts_at,
                event.ends_at,
                event_zone=event.time_zone,
                viewer_zone=request.viewer_time_zone,
            ),
            "registration": registration,
            "is_member": member,
            "join": selectors.join_link_access(
                event=event, viewer=request.user, registration=registration, now=now
            ),
            "registration_open": event.status == EventStatus.PUBLISHED
            and event.starts_at > now
            and services.registration_window_open(event=event, now=now),
            "has_started": event.starts_at <= now,
            "has_ended": event.has_ended(now),
            "places_left": None
            if event.capacity is None
            else max(event.capacity - event.confirmed_count, 0),
            "materials": selectors.event_materials(event=event, viewer=request.user),
            "show_recording": member and bool(event.recording_url) and event.has_ended(now),
            "sessions": event.sessions.all(),
            "now": now,
        },
    )


@require_GET
def series_detail(request, slug):
    series = selectors.series_detail(slug=slug)
    coming, past = selectors.series_events(series=series, viewer=request.user)
    return render(request, "events/series.html", {"series": series, "coming": coming, "past": past})


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe  # HEAD too: calendar apps and link checkers ask it first
def event_ics(request, slug):
    event = selectors.event_detail(slug=slug, viewer=request.user)
    content = ical.event_ics(event, language=translation.get_language())
    return _calendar_response(content, f"{event.slug}.ics")


@member_required
@require_POST
def register(request, slug):
    event = selectors.event_detail(slug=slug, viewer=request.user)
    going = request.POST.get("response", "going") != "not_going"
    try:
        result = services.registration_respond(event=event, user=request.user, going=going)
    except services.EventError as error:
        messages.error(request, error.message)
        return redirect(event)
    status = result.registration.status
    if status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("You are registered. See you there."))
    elif status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _(
                "The event is full: you are on the wait list and will get a place when one "
                "frees up."
            ),
        )
    else:
        messages.success(request, _("Noted: you are not going."))
    return redirect(event)


@member_required
@require_POST
def cancel_registration(request, slug):
    event = selectors.event_detail(slug=slug, viewer=request.user)
    try:
        services.registration_cancel(event=event, user=request.user)
    except services.EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(event)


@member_required
@require_GET
def my_events(request):
    token = selectors.feed_token_of(user=request.user)
    registrations = list(selectors.member_registrations(user=request.user))
    now = timezone.now()
    return render(
        request,
        "events/mine.html",
        {
            "coming": [r for r in registrations if r.event.ends_at > now],
            "past": [r for r in registrations if r.event.ends_at <= now][::-1],
            "feed_url": request.build_absolute_uri(token.get_absolute_url()) if token else "",
        },
    )


@member_required
@require_POST
def feed_regenerate(request):
    had_token = selectors.feed_token_of(user=request.user) is not None
    services.feed_token_regenerate(user=request.user)
    if had_token:
        messages.success(
            request, _("Your calendar address has been renewed; the old one no longer works.")
        )
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("events:mine")


@never_cache
@require_safe
def feed(request, token):
    user = selectors.feed_owner(token=token)
    if not is_member(user):
        raise Http404
    registrations = list(selectors.feed_registrations(user=user))
    profile = getattr(user, "profile", None)
    language = profile.mail_language if profile else translation.get_language()
    content = ical.feed_ics(registrations, user=user, language=language)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


@attendance_manager_required
@require_http_methods(["GET", "POST"])
def attendance_import(request, slug):
    event = selectors.event_detail(slug=slug, viewer=request.user)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            count = attendance.attendance_import_csv(
                event=event, content=form.cleaned_data["file"].read(), by=request.user
            )
        except attendance.AttendanceImportError as error:
            errors = error.errors
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance imported: %(count)d participant marked present.",
                    "Attendance imported: %(count)d participants marked present.",
                    count,
                )
                % {"count": count},
            )
            return redirect("events:attendance_import", slug=event.slug)
    return render(
        request,
        "events/attendance_import.html",
        {"event": event, "form": form, "errors": errors, "marked": event.attendances.count()},
    )


@attendance_manager_required
@require_GET
def attendance_report(request):
    events = selectors.events_for_figures()
    form = FiguresForm(request.GET or None, events=events)
    chosen = form.cleaned_data["event"] if form.is_valid() else None
    figures = selectors.attendance_figures(
        events=Event.objects.filter(pk=chosen.pk) if chosen else events
    )
    return render(
        request,
        "events/attendance_report.html",
        {"form": form, "figures": figures, "chosen": chosen},
    )
