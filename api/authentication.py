"""Who is calling: a partner key or a member's personal token in the Authorization header."""

from __future__ import annotations

import math
import time
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.throttling import BaseThrottle

from api.cachetrips import read_many, window_count
from mirpal.apikeys import API_KEYS_SCOPE, KEY_PREFIX, api_key_lookup, api_key_touch, key_hash
from mirpal.fragments import versioned_found, versioned_keys, versioned_set
from mirpal.models import ApiKey
from mirpal.security_events import security_api_key_use_record

SCHEMES = (b"api-key", b"bearer")
# A partner key's lookup is cached this long at most; any write to keys or partners ends it.
KEY_LOOKUP_SECONDS = 300
# api_key_touch and security_api_key_use_record let one write through per key a minute and per
# key and address a week, by gates in the shared cache; this process asks those gates again
# only after this long, instead of a round trip to Redis per request.
LOCAL_GATE_SECONDS = 30
LOCAL_GATE_ENTRIES = 10_000
_passed_lately: dict[tuple, float] = {}


def _first_time_lately(gate: tuple) -> bool:
    now = time.monotonic()
    passed = _passed_lately.get(gate)
    if passed is not None and now - passed < LOCAL_GATE_SECONDS:
        return False
    if len(_passed_lately) >= LOCAL_GATE_ENTRIES:
        _passed_lately.clear()
    _passed_lately[gate] = now
    return True


def _failures_window(address: str) -> tuple[str, float]:
    """The cache key counting this address's wrong keys in the current window, and the seconds
    until that window ends. One Redis counter per window, as api.throttling."""
    window = settings.API_KEY_FAILURES_WINDOW_SECONDS
    now = time.time()
    index = int(now // window)
    return f"api-key-failed:{address}:{index}", (index + 1) * window - now


def key_failure_count(address: str) -> None:
    cache_key, _remaining = _failures_window(address)
    window_count(cache_key, seconds=settings.API_KEY_FAILURES_WINDOW_SECONDS + 1)


def _raw_key(header: list[bytes]) -> str | None:
    if len(header) != 2:
        return None
    try:
        return header[1].decode()
    except UnicodeDecodeError:
        return None


def _entry_key(raw: str | None) -> str | None:
    """Where a partner key's lookup is cached; None for what cannot be a key."""
    return f"api-key:{key_hash(raw)}" if raw and raw.startswith(KEY_PREFIX) else None


# The keys' scope version is read with every keyed call; this process keeps the partner keys it
# has looked up with the version they were read at, and uses them while it is still current.
_KEY_VERSION_KEYS = versioned_keys("", scopes=[API_KEYS_SCOPE])[1:]
_keys_here: dict[str, tuple[dict[str, str], ApiKey]] = {}


def _key_lookup(raw: str, entry: str, found: dict) -> ApiKey | None:
    """api_key_lookup, with partner keys' answers kept under the version of the keys' scope (read
    in `found`), here and in the cache: a partner's call costs no query, and a revoked key, a
    changed scope or a deactivated partner is seen by the next request. Personal tokens (which
    act as a member, whose account may close) and unknown keys are looked up every time."""
    _none, versions = versioned_found(entry, scopes=[API_KEYS_SCOPE], found=found)
    here = _keys_here.get(entry)
    if here is not None and here[0] == versions:
        return here[1]
    key, versions = versioned_found(
        entry, scopes=[API_KEYS_SCOPE], found={**found, **read_many([entry])}
    )
    if key is None:
        key = api_key_lookup(raw)
        if key is None or not key.partner_id:
            # What was held here is no longer a key: the next request looks it up before use.
            _keys_here.pop(entry, None)
            return key
        versioned_set(entry, key, versions=versions, timeout=KEY_LOOKUP_SECONDS)
    if len(_keys_here) >= LOCAL_GATE_ENTRIES:
        _keys_here.clear()
    _keys_here[entry] = (versions, key)
    return key


class HeldKey(NamedTuple):
    """A partner key this process holds, let in before Redis was asked: a view that says it
    confirms such keys (`confirms_held_keys`, api.base) reads `held_key_reads` in its throttle's
    round trip and passes them to held_key_confirm before it answers anything, so that the
    request makes one trip, not two."""

    key: ApiKey
    raw: str
    entry: str
    versions: dict[str, str]
    address: str
    failures_key: str
    failures_wait: float


def held_key_reads(held: HeldKey) -> list[str]:
    return [held.failures_key, *_KEY_VERSION_KEYS]


def _too_many_failures(wait: float) -> exceptions.Throttled:
    return exceptions.Throttled(
        wait=math.ceil(wait),
        # DRF appends "Expected available in N seconds." to a plain string only.
        detail=gettext("Too many invalid API keys from this address."),
    )


def held_key_confirm(request, held: HeldKey, found: dict) -> bool:
    """What authenticate checks before it lets a key in, on the values of held_key_reads (in
    `found`): the address's wrong keys, and that the keys' scope has not changed since this
    process read the key. Raises as authenticate would; True when the key had changed and was
    read anew (request.auth is then the new one, whose scopes the caller checks again)."""
    if (found.get(held.failures_key) or 0) >= settings.API_KEY_FAILURES:
        raise _too_many_failures(held.failures_wait)
    _none, versions = versioned_found("", scopes=[API_KEYS_SCOPE], found=found)
    if versions == held.versions:
        _key_used(request, held.key)
        return False
    key = _key_lookup(held.raw, held.entry, found)
    if key is None:
        key_failure_count(held.address)
        request.auth = None
        raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
    request.auth = key
    _key_used(request, key)
    return True


def _key_used(request, key: ApiKey) -> None:
    if _first_time_lately(("used", key.pk, key.prefix)):
        api_key_touch(key=key)
    meta = request._request.META
    where = (meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"))
    if _first_time_lately(("address", key.pk, key.prefix, *where)):
        security_api_key_use_record(request=request._request, key=key)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `Bearer <key>`). A partner key authenticates no user
    (request.user stays anonymous, request.auth is the key); a personal token acts as its member."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        address = BaseThrottle().get_ident(request)
        failures_key, remaining = _failures_window(address)
        raw = _raw_key(header)
        entry = _entry_key(raw)
        here = _keys_here.get(entry) if entry else None
        view = request.parser_context.get("view")
        if here is not None and getattr(view, "confirms_held_keys", False):
            # No trip to Redis here: the view's throttle reads what this would, and the view
            # confirms the key with it before it answers.
            view.held_key = HeldKey(here[1], raw, entry, here[0], address, failures_key, remaining)
            return AnonymousUser(), here[1]
        # One round trip: the address's wrong keys, and the version of the keys' scope.
        found = read_many([failures_key, *_KEY_VERSION_KEYS] if entry else [failures_key])
        # Keys cannot be guessed, but a flood of wrong ones is someone trying: past the limit,
        # every key from that address waits, the right one too, or the guessing would go on.
        if (found.get(failures_key) or 0) >= settings.API_KEY_FAILURES:
            raise _too_many_failures(remaining)
        try:
            return self._authenticate(request, header, raw, entry, found)
        except exceptions.AuthenticationFailed:
            key_failure_count(address)
            raise

    def _authenticate(self, request, header, raw, entry, found):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after the word Api-Key."))
        if raw is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        key = _key_lookup(raw, entry, found) if entry is not None else None
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        _key_used(request, key)
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
