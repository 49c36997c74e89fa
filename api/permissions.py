"""What a caller may read: public data for everyone, partners within their key's scopes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from members.permissions import is_member
from mirpal.models import ApiKey


def partner_key(request) -> ApiKey | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiKey) and auth.partner_id else None


def sees_members_content(request) -> bool:
    """Members-only content goes to approved members (session or personal token), never to
    anonymous callers or partner keys."""
    return partner_key(request) is None and is_member(request.user)


def answer_audience(request) -> str:
    """Whom a cached list answer is kept for (api.answers): one copy for anonymous callers, one
    for partner keys (their scopes only let them in or not, checked before the cache), and one per
    signed-in account (session or personal token), so that nothing made for one member, today or
    in a field added later, reaches another."""
    if partner_key(request) is not None:
        return "partner"
    if request.user.is_authenticated:
        # With what the account may see now: an approval shows on the next request.
        sees = "members" if sees_members_content(request) else "public"
        return f"user:{request.user.pk}:{sees}"
    return "anonymous"


class ScopeRequired(permissions.BasePermission):
    """A partner key must carry the view's `required_scope`; other callers read public data."""

    message = _("This API key does not have the scope this endpoint needs.")

    def has_permission(self, request, view) -> bool:
        key = partner_key(request)
        scope = getattr(view, "required_scope", None)
        return key is None or scope is None or scope in key.scopes


class MemberRequired(permissions.BasePermission):
    """An approved member, by session or personal token; partner keys never act for a member."""

    message = _("Only approved members of the network can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return partner_key(request) is None and is_member(request.user)


class PartnerRequired(permissions.BasePermission):
    message = _("This endpoint needs a partner's API key.")

    def has_permission(self, request, view) -> bool:
        return partner_key(request) is not None
