"""API keys: partners' scoped keys and members' personal tokens.

A key is `mpk_` followed by 43 random characters; only its SHA-256 is stored, so a leaked
database does not leak usable keys. The key itself is returned once, by api_key_create.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mirpal.enums import ApiScope
from mirpal.fragments import data_changed
from mirpal.models import ApiKey, Partner

KEY_PREFIX = "mpk_"
# The data scope (mirpal.fragments) of keys and partners: the API caches partner keys' lookups
# under its version, so every write to either, saves and deletes (api.apps) and the updates
# below, makes a revoked key or a deactivated partner stop working at once.
API_KEYS_SCOPE = "apikeys"
# last_used_at is written at most this often per key, so a busy key costs no write per request.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiKeyError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scopes: list[str],
    partner: Partner | None = None,
    user=None,
    by=None,
) -> tuple[ApiKey, str]:
    """Create a key for a partner or a member; returns the row and the key, which is never
    stored and cannot be shown again."""
    if (partner is None) == (user is None):
        raise ApiKeyError(_("A key belongs either to a partner or to a member."))
    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise ApiKeyError(_("Unknown scopes: %s") % ", ".join(sorted(unknown)))
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        partner=partner,
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=key_hash(raw),
        scopes=sorted(set(scopes)),
        created_by=by,
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoke the key from now on; revoking twice keeps the first time."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    data_changed(API_KEYS_SCOPE)
    key.refresh_from_db(fields=["revoked_at"])
    return key


@transaction.atomic
def personal_token_rotate(*, user) -> tuple[ApiKey, str]:
    """Revoke the member's personal tokens and create a new one (shown once)."""
    ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    data_changed(API_KEYS_SCOPE)
    return api_key_create(name=_("Personal token"), scopes=list(ApiScope.values), user=user)


@transaction.atomic
def personal_tokens_revoke(*, user) -> int:
    """Revoke all the member's personal tokens; returns how many were live."""
    revoked = ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    data_changed(API_KEYS_SCOPE)
    return revoked


def api_key_lookup(raw: str) -> ApiKey | None:
    """The live key this string is, with its partner or member; None if unknown or revoked."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = (
        ApiKey.objects.select_related("partner", "user", "user__profile")
        .filter(key_hash=key_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if key is None or (key.partner_id and not key.partner.is_active):
        return None
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record the use, at most once a minute per key (the gate lives in the shared cache)."""
    if cache.add(f"apikey-used:{key.pk}", 1, LAST_USED_RESOLUTION_SECONDS):
        now = timezone.now()
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
