"""Following topics, countries and threads in the peer exchange."""

from __future__ import annotations

from exchange.models import Follow


def thread_follow(*, user, thread) -> Follow:
    """Follow this thread (idempotent): a thread you wrote or answered is followed this way."""
    follow, _created = Follow.objects.get_or_create(user=user, thread=thread)
    return follow
