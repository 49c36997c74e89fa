"""Cached counts for the library's landing and unfiltered browse pages, which otherwise count
every row. Any write through library.services forgets them; they expire anyway after a while."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

VERSION_KEY = "library:counts-version"
TIMEOUT = 600
T = TypeVar("T")


def counts_cached(name: str, compute: Callable[[], T], *parts) -> T:
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    key = ":".join(["library:counts", str(version), name, *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def counts_forget() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
