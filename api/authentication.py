"""Who is calling: a partner key or a member's personal token in the Authorization header."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.throttling import BaseThrottle

from mirpal.apikeys import api_key_lookup, api_key_touch
from mirpal.security_events import security_api_key_use_record

SCHEMES = (b"api-key", b"bearer")


def _failures_window(address: str) -> tuple[str, float]:
    """The cache key counting this address's wrong keys in the current window, and the seconds
    until that window ends. One Redis counter per window, raised with INCR, as api.throttling."""
    window = settings.API_KEY_FAILURES_WINDOW_SECONDS
    now = time.time()
    index = int(now // window)
    return f"api-key-failed:{address}:{index}", (index + 1) * window - now


def key_failures_refusal(address: str) -> exceptions.Throttled | None:
    """The 429 (with Retry-After) for an address past its wrong keys; None while under it."""
    cache_key, remaining = _failures_window(address)
    if (cache.get(cache_key) or 0) < settings.API_KEY_FAILURES:
        return None
    return exceptions.Throttled(
        wait=math.ceil(remaining),
        # DRF appends "Expected available in N seconds." to a plain string only.
        detail=gettext("Too many invalid API keys from this address."),
    )


def key_failure_count(address: str) -> None:
    cache_key, _remaining = _failures_window(address)
    cache.add(cache_key, 0, settings.API_KEY_FAILURES_WINDOW_SECONDS + 1)
    try:
        cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, settings.API_KEY_FAILURES_WINDOW_SECONDS + 1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `Bearer <key>`). A partner key authenticates no user
    (request.user stays anonymous, request.auth is the key); a personal token acts as its member."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        # Keys cannot be guessed, but a flood of wrong ones is someone trying: past the limit,
        # every key from that address waits, the right one too, or the guessing would go on.
        address = BaseThrottle().get_ident(request)
        refusal = key_failures_refusal(address)
        if refusal is not None:
            raise refusal
        try:
            return self._authenticate(request, header)
        except exceptions.AuthenticationFailed:
            key_failure_count(address)
            raise

    def _authenticate(self, request, header):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after the word Api-Key."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from error
        key = api_key_lookup(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        api_key_touch(key=key)
        security_api_key_use_record(request=request._request, key=key)
        if key.user_id:
            if not key.user.is_active:
                raise exceptions.AuthenticationFailed(_("This account is disabled."))
            return key.user, key
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return 'Api-Key realm="api"'


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a partner key or a member's personal token.",
        }
