import zoneinfo

from django.conf import settings
from django.utils import timezone


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
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
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            zone = _zone(profile.time_zone if profile else None)
        zone = zone or _zone(request.COOKIES.get(settings.TIMEZONE_COOKIE_NAME))
        request.viewer_time_zone = zone or zoneinfo.ZoneInfo(settings.TIME_ZONE)
        timezone.activate(request.viewer_time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
