from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Sections appear in the navigation once their app provides the page.
NAVIGATION = [
    ("events:list", _("Events")),
    ("library:index", _("Library")),
    ("members:experts", _("Experts")),
    ("members:directory", _("Members")),
    ("about", _("About")),
]


def _navigation(path: str) -> list[dict]:
    items = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = path == url or (url != "/" and path.startswith(url))
        items.append({"url": url, "label": label, "current": current})
    return items


def viewer(request):
    user = request.user
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return {
        "navigation": _navigation(request.path),
        "viewer_profile": profile,
        "viewer_time_zone": getattr(request, "viewer_time_zone", None),
    }
