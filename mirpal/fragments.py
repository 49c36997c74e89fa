"""Cached page fragments, keyed by what they show: language, time zone, query string and the
version of the data they are made of.

A list page renders its body (the cards, the paginator's count, the filter form) once per
combination and serves it from Redis until the data changes. Each kind of data is a *scope*
("members", "events", "library", ...); every write to a scope's models calls `data_changed`, which
gives the scope a new random version, so the next request misses and renders anew. Versions are
random rather than counted, so a rolled-back transaction (or a test's) can never make two different
data sets share a version. Per-viewer parts (a registration badge, staff links) stay outside the
fragment, in the page around it.

The version changes twice: at once, and again when the transaction commits. A request between the
two may render the old rows under the first new version; the second makes that entry unreachable.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# Long enough to matter, short enough that a write no signal sees (a raw UPDATE) heals by itself.
FRAGMENT_SECONDS = 600
_VERSION_PREFIX = "mirpal:data-version:"
_FRAGMENT_PREFIX = "mirpal:fragment:"


def _version_key(scope: str) -> str:
    return f"{_VERSION_PREFIX}{scope}"


def data_versions(scopes: Iterable[str]) -> dict[str, str]:
    """The current version of each scope, in one round trip; a scope never seen gets one."""
    scopes = sorted(set(scopes))
    found = cache.get_many([_version_key(scope) for scope in scopes])
    versions = {}
    for scope in scopes:
        version = found.get(_version_key(scope))
        if version is None:
            version = secrets.token_hex(6)
            # add: two requests that both find none agree on the first one stored.
            if not cache.add(_version_key(scope), version, timeout=None):
                version = cache.get(_version_key(scope)) or version
        versions[scope] = version
    return versions


def _versions_renew(scopes: Iterable[str]) -> None:
    cache.set_many(
        {_version_key(scope): secrets.token_hex(6) for scope in set(scopes)}, timeout=None
    )


def data_changed(*scopes: str) -> None:
    """Every cached fragment of these scopes is out of date: now, and again at commit."""
    _versions_renew(scopes)

    # Named, not a lambda: tests that list the on-commit callbacks tell it apart.
    def data_versions_renew() -> None:
        _versions_renew(scopes)

    transaction.on_commit(data_versions_renew)


def data_changed_on_write(scope: str, *models, unshown_fields: Iterable[str] = ()) -> None:
    """Connect saves, deletes and many-to-many changes of these models to `data_changed(scope)`.

    A save whose update_fields all lie in `unshown_fields` changes nothing the scope's fragments
    show (User.last_login, written at every sign-in), so it leaves them cached.
    Writes that send no signal (QuerySet.update, bulk_create, raw SQL) call data_changed
    themselves, in the service that makes them.
    """
    unshown = frozenset(unshown_fields)

    def receiver(sender, update_fields=None, **kwargs) -> None:
        if unshown and update_fields and unshown.issuperset(update_fields):
            return
        data_changed(scope)

    # The receiver must outlive this call: signals hold weak references by default.
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"fragments:{scope}:{model}"
            )
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                receiver,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"fragments:{scope}:{model}:{field.name}",
            )


def _seconds(timeout: int | Callable[[], int]) -> int:
    if not callable(timeout):
        return timeout
    # At least a second: a timeout of 0 would mean "never cached", of less "delete at once".
    return max(1, min(int(timeout()), FRAGMENT_SECONDS))


def fragment_key(
    request,
    name: str,
    *,
    variant: str = "",
    ignore_params: Iterable[str] = (),
) -> str:
    """The key of fragment `name` for this request: language, the active time zone, the query
    string (parameters sorted, so their order makes no second entry; those in `ignore_params`
    left out, so that every page of a list shares its count) and a variant for what differs
    between viewers (staff see more, say). The data's version is not in it but stored with the
    value (versioned_set), so that a hit costs one round trip to the cache."""
    query = sorted(item for item in request.GET.lists() if item[0] not in ignore_params)
    parts = [
        name,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        repr(query),
        variant,
    ]
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"{_FRAGMENT_PREFIX}{name}:{digest}"


def cached_fragment(
    request,
    name: str,
    *,
    scopes: Iterable[str],
    render: Callable[[], str],
    variant: str = "",
    timeout: int | Callable[[], int] = FRAGMENT_SECONDS,
) -> SafeString:
    """The HTML `render()` returns, from the cache when this key has it. `render` must return
    markup made safe by the template engine (render_to_string). `timeout` may be a function,
    called after a miss's render: for a fragment that time alone changes (a list of coming
    events), the seconds until it next does."""
    key = fragment_key(request, name, variant=variant)
    html, versions = versioned_get(key, scopes=scopes)
    if html is None:
        html = str(render())
        versioned_set(key, html, versions=versions, timeout=_seconds(timeout))
    # Rendered by our own templates, which escaped it.
    return mark_safe(html)


def cached_value(
    request,
    name: str,
    *,
    scopes: Iterable[str],
    compute: Callable[[], object],
    variant: str = "",
    timeout: int | Callable[[], int] = FRAGMENT_SECONDS,
    ignore_params: Iterable[str] = (),
):
    """Like cached_fragment, for a value (a paginator's count, a list of ids)."""
    key = fragment_key(request, name, variant=variant, ignore_params=frozenset(ignore_params))
    value, versions = versioned_get(key, scopes=scopes)
    if value is None:
        value = compute()
        versioned_set(key, value, versions=versions, timeout=_seconds(timeout))
    return value


def versioned_keys(key: str, *, scopes: Iterable[str]) -> list[str]:
    """The cache keys versioned_get reads: `key`, then the versions of its scopes. A caller that
    makes a round trip to the cache anyway can read them in it and pass them to versioned_found."""
    return [key, *(_version_key(scope) for scope in sorted(set(scopes)))]


def versioned_found(
    key: str, *, scopes: Iterable[str], found: dict[str, object]
) -> tuple[object | None, dict[str, str]]:
    """versioned_get's answer from the values of versioned_keys already read (`found`, by key;
    a key missing from the cache is missing from it)."""
    scopes = sorted(set(scopes))
    versions = {scope: found.get(_version_key(scope)) for scope in scopes}
    if None in versions.values():
        return None, data_versions(scopes)
    stored = found.get(key)
    if stored is not None and stored[0] == versions:
        return stored[1], versions
    return None, versions


def versioned_get(key: str, *, scopes: Iterable[str]) -> tuple[object | None, dict[str, str]]:
    """The value `versioned_set` stored under `key` if the scopes' versions are still those it was
    stored at, read together with those versions in one round trip (a hit costs one trip, where
    reading the versions and then the value would cost two); and the current versions, to store
    a new value with."""
    found = cache.get_many(versioned_keys(key, scopes=scopes))
    return versioned_found(key, scopes=scopes, found=found)


def versioned_set(
    key: str, value: object, *, versions: dict[str, str], timeout: int = FRAGMENT_SECONDS
) -> None:
    """Store `value` as made at `versions`, read by versioned_get before the value was made: a
    write in between changed the versions, so the entry is never served."""
    cache.set(key, (versions, value), timeout)
