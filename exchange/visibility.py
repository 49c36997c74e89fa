"""Who sees which thread and post of the peer exchange, decided on the server.

A members-only thread is for approved members (anonymous visitors are sent to log in, applicants
and suspended members to their account page); a public one is for anyone. A thread or post
awaiting review is seen by its author and the moderators, a hidden one by the moderators only.
"""

from __future__ import annotations

import enum

from django.db.models import Q

from exchange.enums import Moderation, Visibility
from exchange.permissions import can_moderate, can_read_members_only, can_write


class Access(enum.Enum):
    READ = "read"
    LOG_IN = "log_in"  # anonymous, on a members-only thread
    NOT_MEMBER = "not_member"  # signed in, but not an approved member
    MISSING = "missing"  # held or hidden, and not theirs to see: as if it did not exist


def _sees_state(*, state: str, author_id: int | None, user, moderator: bool) -> bool:
    if state == Moderation.PUBLISHED or moderator:
        return True
    return state == Moderation.HELD and user.is_authenticated and author_id == user.pk


def thread_access(*, thread, user, moderator: bool | None = None) -> Access:
    if moderator is None:
        moderator = can_moderate(user)
    if thread.visibility != Visibility.PUBLIC and not can_read_members_only(user):
        return Access.LOG_IN if not user.is_authenticated else Access.NOT_MEMBER
    if not _sees_state(
        state=thread.state, author_id=thread.author_id, user=user, moderator=moderator
    ):
        return Access.MISSING
    return Access.READ


def post_is_visible(*, post, user, moderator: bool | None = None) -> bool:
    if moderator is None:
        moderator = can_moderate(user)
    return _sees_state(state=post.state, author_id=post.author_id, user=user, moderator=moderator)


def posts_visible_q(*, user, moderator: bool) -> Q:
    """The posts of a thread this viewer sees, as a filter on Post."""
    if moderator:
        return Q()
    shown = Q(state=Moderation.PUBLISHED)
    if user.is_authenticated:
        shown |= Q(state=Moderation.HELD, author_id=user.pk)
    return shown


def may_edit(user, *, author_id: int | None, state: str) -> bool:
    """Its author changes a thread or post (not once it is hidden); a moderator any."""
    if can_moderate(user):
        return True
    return (
        can_write(user)
        and author_id is not None
        and author_id == user.pk
        and state != Moderation.HIDDEN
    )
