import contextlib
import logging
import urllib.parse
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib import admin
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db import DataError, transaction
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@cache
def _known_zones() -> frozenset[str]:
    # "localtime" is the server's own zone and "Factory" a placeholder; neither is a viewer's.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone of that IANA name; None for an empty, unknown or malformed name."""
    if not name or name not in _known_zones():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def cookie_zone(value: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone static/js/timezone.js stored: URL-encoded (Asia%2FTashkent) as the browser writes
    it, or plain (Asia/Tashkent) as older versions of the script and other clients did."""
    if not value:
        return None
    try:
        return _zone(urllib.parse.unquote(value, errors="strict"))
    except UnicodeDecodeError:
        return None


class ViewerTimezoneMiddleware:
    """Show times in the viewer's zone: the profile's for a signed-in member, else the browser's.

    static/js/timezone.js stores the browser's zone in a cookie on the first visit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            # Every page asks who is viewing, from here on: the user itself, rather than
            # AuthenticationMiddleware's lazy wrapper, saves a failed attribute lookup and an
            # exception on each of the forty-odd reads a page makes of it.
            if user._wrapped is empty:
                user._setup()
            request.user = user = user._wrapped
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            zone = _zone(profile.time_zone if profile else None)
        zone = zone or cookie_zone(request.COOKIES.get(settings.TIMEZONE_COOKIE_NAME))
        request.viewer_time_zone = zone or zoneinfo.ZoneInfo(settings.TIME_ZONE)
        timezone.activate(request.viewer_time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# --- Malformed input: answered 400 here, before a view passes it to PostgreSQL (which refuses
# NUL in text) or shows the replacement characters Django decodes broken UTF-8 into.

FORM_URLENCODED = "application/x-www-form-urlencoded"


def _percent_decoded_problem(raw: bytes) -> str | None:
    """Whether the percent-decoded bytes hold a NUL ("nul") or are not UTF-8 ("utf-8")."""
    decoded = urllib.parse.unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        return "nul"
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return "utf-8"
    return None


def _form_problem(request) -> str | None:
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if request.content_type == FORM_URLENCODED:
        return _percent_decoded_problem(request.body)
    if request.content_type == "multipart/form-data" and request.method == "POST":
        # Django decodes each part, replacing broken UTF-8; a NUL survives that.
        try:
            fields = request.POST.lists()
        except MultiPartParserError:
            # No boundary, or parts that do not add up: the views would fail on it the same way.
            return "unreadable"
        for key, values in fields:
            if "\x00" in key or any("\x00" in value for value in values):
                return "nul"
    return None


def malformed_input_message(request) -> str | None:
    """Why the request's address, query string or form cannot be read as text, or None."""
    # Django has already percent-encoded the bytes of the path that are not UTF-8 (%FF).
    problem = _percent_decoded_problem(request.path_info.encode())
    if problem:
        if problem == "nul":
            return _("The address of the page contains a NUL character, which is not allowed.")
        return _("The address of the page is not valid UTF-8 text.")
    problem = _percent_decoded_problem(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""))
    if problem:
        if problem == "nul":
            return _("The query string contains a NUL character, which is not allowed.")
        return _("The query string is not valid UTF-8 text.")
    problem = _form_problem(request)
    if problem:
        if problem == "nul":
            return _("The submitted form contains a NUL character, which is not allowed.")
        if problem == "unreadable":
            return _("The submitted form cannot be read: its multipart encoding is broken.")
        return _("The submitted form is not valid UTF-8 text.")
    return None


def bad_request(request, message: str) -> HttpResponse:
    """400 with the reason: JSON for the API (as DRF answers there), the site's page elsewhere.

    The page is rendered without the request: this runs before the session and the user are
    read, and nothing of them may be trusted with input that is not even text."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


class MalformedInputMiddleware:
    """Answer 400 to a NUL character or bytes that are not UTF-8 in the path, the query string
    or a submitted form, on every page, feed and API endpoint."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = malformed_input_message(request)
        if message:
            return bad_request(request, message)
        return self.get_response(request)


# --- The Django admin: a lookup typed into the address (?published_on__year=99999999999999999999)
# or a tampered form can make the ORM build a date that cannot exist or send PostgreSQL a
# number it cannot hold; the changelist turns only some bad lookups into ?e=1.

ADMIN_INPUT_ERRORS = (DataError, OverflowError, ValueError)


class AdminInputErrorMiddleware:
    """Answer 400, with a link back to the unfiltered list, when an admin page fails on a value
    from the request. Each admin page runs in a savepoint, so that the failed query leaves the
    connection usable, and is rendered inside it, where the list's queries run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.app_name != "admin":
            return None
        # Only reading pages run in the savepoint: a POST's form view is atomic itself, and its
        # actions call services whose durable transactions cannot nest in another.
        reading = request.method in ("GET", "HEAD")
        try:
            with transaction.atomic() if reading else contextlib.nullcontext():
                response = view_func(request, *view_args, **view_kwargs)
                if callable(getattr(response, "render", None)):
                    response.render()
        except ADMIN_INPUT_ERRORS:
            logger.warning("Admin page failed on the request's input", exc_info=True)
            return self._refusal(request, changelist=match.url_name.endswith("_changelist"))
        return response

    @staticmethod
    def _refusal(request, *, changelist: bool) -> HttpResponse:
        context = {
            **admin.site.each_context(request),
            "title": _("The request cannot be carried out"),
            "message": _(
                "A value in the address or in the form is out of range or not valid "
                "(for example a year with too many digits), so this page cannot be shown."
            ),
            "unfiltered_url": request.path if changelist else "",
        }
        response = TemplateResponse(request, "admin/input_error.html", context, status=400)
        return response.render()
