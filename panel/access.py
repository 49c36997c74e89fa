"""Which panel page and which part of it each staff role reaches, by model permission.

A page answers 403 to a signed-in person without its permission, and the navigation hides the
link; the permissions come from mirpal.roles (editor: content; manager: members, mail, keys).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from panel.selectors.figures import EMPTY_SEARCHES, FIGURE_SLUGS, LIBRARY_DOWNLOADS

MEMBERS = "members.view_profile"
REPORT = MEMBERS
MESSAGES = "mirpal.send_message"
AUDIT_LOG = "mirpal.view_auditentry"

# A figure by the first word of its slug, except the two library figures.
FIGURE_PERMISSIONS = {
    "members": MEMBERS,
    "events": "events.view_registration",
    "invitations": "events.view_invitation",
    "searches": "library.view_searchlog",
    "exchange": "exchange.view_thread",
}
DATASET_PERMISSIONS = {
    "members": MEMBERS,
    "registrations": "events.view_registration",
    "attendance": "events.view_attendance",
    "roster": "members.export_roster",
    "library": "library.view_document",
}


def figure_permission(slug: str) -> str:
    if slug == LIBRARY_DOWNLOADS:
        return "library.view_document"
    if slug == EMPTY_SEARCHES:
        return "library.view_searchlog"
    return FIGURE_PERMISSIONS[slug.split("-", 1)[0]]


def figures_allowed(user) -> list[str]:
    return [slug for slug in FIGURE_SLUGS if user.has_perm(figure_permission(slug))]


def datasets_allowed(user) -> list[str]:
    return [name for name, permission in DATASET_PERMISSIONS.items() if user.has_perm(permission)]


def panel_access(user) -> dict[str, bool]:
    """What the navigation and the home page show this user."""
    figures = bool(figures_allowed(user))
    exports = bool(datasets_allowed(user))
    return {
        "figures": figures,
        "exports": exports,
        "report": user.has_perm(REPORT),
        "messages": user.has_perm(MESSAGES),
        "audit": user.has_perm(AUDIT_LOG),
        "applications": user.has_perm("members.decide_membership"),
        "expert_requests": user.has_perm("members.handle_expert_requests"),
        "mail": user.has_perm("mirpal.view_outboxmessage"),
        "events": user.has_perm("events.view_event"),
        "library": user.has_perm("library.view_document"),
        "any": figures or exports,
    }


def panel_required(check):
    """Sign in first; then `check(user)` must hold, or the answer is 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def permission(name: str):
    return lambda user: user.has_perm(name)


def any_panel_page(user) -> bool:
    return panel_access(user)["any"]
