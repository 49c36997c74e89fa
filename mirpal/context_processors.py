from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mirpal.timezones import ViewerZone

# Sections appear in the navigation once their app provides the page.
NAVIGATION = [
    ("events:list", _("Events")),
    ("library:index", _("Library")),
    ("exchange:list", _("Discussions")),
    # Short in the menu, so that all sections fit one row of a desktop in Russian too.
    ("practices:list", pgettext_lazy("menu", "Good practices")),
    ("programme:current", pgettext_lazy("menu", "Work programme")),
    ("members:experts", _("Experts")),
    ("members:directory", _("Members")),
    ("about", _("About")),
]


@cache
def _sections(urlconf, script_prefix: str) -> tuple[tuple[str, object], ...]:
    """(address, label) of each section the URLconf has; the same on every request, so reversed
    once per URLconf and prefix (the labels are lazy and translated as the page renders)."""
    sections = []
    for name, label in NAVIGATION:
        try:
            sections.append((reverse(name, urlconf=urlconf), label))
        except NoReverseMatch:
            continue
    return tuple(sections)


def _navigation(sections, current: str) -> list[dict]:
    return [{"url": url, "label": label, "current": url == current} for url, label in sections]


def viewer(request):
    """The navigation and the viewer's time zone, named for people (mirpal.timezones). Reads
    nothing from the database: the profile comes with the user (members.backends) and the zone
    from ViewerTimezoneMiddleware.

    navigation_current (the current section's address, "" outside them) is what the navigation
    differs by from page to page, so base.html keys its rendered navigation on it."""
    # A request refused before AuthenticationMiddleware (a Host not allowed: 400) has no user.
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    sections = _sections(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    # The longest matching prefix wins: /members/experts/ is Experts, not Members.
    current = max(
        (url for url, _label in sections if request.path.startswith(url)), key=len, default=""
    )
    zone = getattr(request, "viewer_time_zone", None)
    return {
        "navigation": _navigation(sections, current),
        "navigation_current": current,
        "viewer_profile": profile,
        # Reads “Bishkek time, UTC+6” where a page shows it; .key is the IANA name.
        "viewer_time_zone": ViewerZone(zone) if zone is not None else None,
    }
