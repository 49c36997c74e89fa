"""A second factor for every staff account, as pretix requires of its teams.

Staff (the admin's is_staff, superusers, and anyone a group or a direct grant gives a permission:
the same people members.services.user_is_staff_account counts) open no page until they have an
authenticator app or a security key; until then every page but allauth's own (the second-factor
set-up, log-out, password, email) sends them to the set-up page with a message saying why. Once
they have one, allauth's log-in asks for it at every sign-in, the admin's too (mirpal.admin_login
sends the admin's log-in to allauth's). The last one cannot be removed while the account is staff
(members.adapters.MFAAdapter, and StaffSecondFactorMiddleware for the security keys' remove page,
which asks no adapter).
"""

from __future__ import annotations

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

# Recovery codes only stand in for one of these; alone they are not a second factor.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Only "has one" is remembered, and forgotten when any authenticator of the user is deleted
# (second_factor_forget, connected in members/apps.py), so staff pages cost no query for it.
_CACHE_SECONDS = 300


def _cache_key(user_id) -> str:
    return f"members:second-factor:{user_id}"


def second_factor_required(user) -> bool:
    """Whether this account must have a second factor before any page opens. Costs no query: the
    permissions come from the cache, or with the user's row for an account that holds none
    (members.backends), and stay on the user for the rest of the request."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or user.get_all_permissions())


def second_factor_exists(user) -> bool:
    if cache.get(_cache_key(user.pk)):
        return True
    exists = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()
    if exists:
        cache.set(_cache_key(user.pk), True, _CACHE_SECONDS)
    return exists


def second_factor_forget(sender, instance, **kwargs) -> None:
    """post_delete of an Authenticator: the next request looks in the database again."""
    cache.delete(_cache_key(instance.user_id))


def second_factor_removal_allowed(authenticator: Authenticator) -> bool:
    """A staff account keeps at least one authenticator app or security key."""
    if authenticator.type not in SECOND_FACTOR_TYPES:
        return True
    user = authenticator.user
    if not second_factor_required(user):
        return True
    return (
        Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES)
        .exclude(pk=authenticator.pk)
        .exists()
    )


def _open_without_second_factor(view_func) -> bool:
    """allauth's pages (log-out, second-factor set-up, password, email), wherever mounted (the
    admin's log-out is allauth's), and the language switch."""
    module = getattr(view_func, "__module__", "") or ""
    return module.startswith("allauth.") or module == "django.views.i18n"


class StaffSecondFactorMiddleware:
    """Sends a signed-in staff account without a second factor to the set-up page; refuses the
    removal of a staff account's last security key. After AuthenticationMiddleware and
    MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name == "mfa_remove_webauthn":
            refused = self._last_key_removal_refused(request, view_kwargs)
            if refused is not None:
                return refused
        if _open_without_second_factor(view_func) or not second_factor_required(user):
            return None
        if second_factor_exists(user):
            return None
        messages.warning(
            request,
            _(
                "Staff accounts need a second factor before the secretariat's pages open. Set "
                "up an authenticator app (or add a security key), then go on with your work."
            ),
        )
        return redirect("mfa_index")

    @staticmethod
    def _last_key_removal_refused(request, view_kwargs):
        if request.method != "POST":
            return None
        authenticator = (
            Authenticator.objects.filter(
                pk=view_kwargs.get("pk"), user_id=request.user.pk, type=Authenticator.Type.WEBAUTHN
            )
            .select_related("user")
            .first()
        )
        if authenticator is None or get_adapter().can_delete_authenticator(authenticator):
            return None
        adapter = get_adapter()
        messages.error(request, adapter.error_messages["cannot_delete_authenticator"])
        return redirect("mfa_list_webauthn")
