"""Who sees and does what in the work programme, decided on the server.

Proposals, supports and comments are for approved members (and the secretariat) while a year's
programme is unpublished; once the secretariat publishes it (Call.programme_published) its page
and proposals are public, but only approved members propose, support and comment, and only while
the call is open. The secretariat (programme.answer_proposal) answers, merges and runs polls.
"""

from __future__ import annotations

from django.utils import timezone

from members.permissions import is_member
from programme.models import Call

ANSWER_PROPOSAL = "programme.answer_proposal"


def can_answer(user) -> bool:
    return user.is_authenticated and user.has_perm(ANSWER_PROPOSAL)


def can_take_part(user) -> bool:
    """Approved members (and the secretariat) propose, support and comment."""
    return is_member(user)


def call_readable(*, call: Call, user) -> bool:
    return call.programme_published or is_member(user)


def call_open(call: Call, *, now=None) -> bool:
    return call.is_open_at(now or timezone.now())


def calls_readable_by(user):
    """The calls whose proposals and programme this person may read."""
    if is_member(user):
        return Call.objects.all()
    return Call.objects.filter(programme_published=True)
