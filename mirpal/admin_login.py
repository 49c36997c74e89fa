"""The admin signs in and out through allauth, so that one log-in serves everyone.

Django admin's own log-in form authenticates with no rate limit and no second factor; its URL
now sends the browser to allauth's log-in page, which applies ACCOUNT_RATE_LIMITS (per address
and per account) and allauth.mfa's code stage, and comes back to the admin page asked for.
mirpal/urls.py mounts these views over the admin's own login/, logout/ and password_change/.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


def _next_url(request) -> str:
    """Where the admin wanted to go; only a path on this site, else the admin's index."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


@never_cache
def admin_login(request, extra_context=None):
    """Never authenticates: a visitor goes to allauth's log-in with ?next= kept, staff already
    signed in go on, and a signed-in account the admin does not admit gets a 403 rather than a
    log-in page that would send it back here (a loop)."""
    target = _next_url(request)
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(target)
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@never_cache
def admin_password_change(request, extra_context=None):
    """allauth's page, which asks for the current password under its own rate limit."""
    return redirect("account_change_password")
