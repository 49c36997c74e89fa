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
            items.append({"url": reverse(name), "label": label, "current": False})
        except NoReverseMatch:
            continue
    # The longest matching prefix wins: /members/experts/ is Experts, not Members.
    matching = [item for item in items if path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return items


def viewer(request):
    user = request.user
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return {
        "navigation": _navigation(request.path),
        "viewer_profile": profile,
        "viewer_time_zone": getattr(request, "viewer_time_zone", None),
    }
