"""Inviting a roster expert to answer a thread."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from exchange.models import ExpertInvitation, Thread
from exchange.notify import expert_invited_notify
from members.models import Expert


class InvitationNotAllowed(Exception):
    pass


def expert_invite(*, thread: Thread, expert: Expert, by) -> tuple[ExpertInvitation, bool]:
    """Invite this listed expert to answer the thread; once: a second invitation of the same
    expert returns the first (the database keeps the pair unique) and mails nothing.

    One transaction: the invitation and its mail (to the expert's member account, if they have
    one: exchange.notify.expert_invited_notify) commit together. Who may invite is the view's
    check (exchange.follows.may_invite_experts). Returns the invitation and whether it is new.
    """
    if not expert.is_listed:
        raise InvitationNotAllowed(expert.pk)
    try:
        with transaction.atomic():
            invitation = ExpertInvitation.objects.create(
                thread=thread, expert=expert, invited_by=by
            )
            expert_invited_notify(invitation)
    except IntegrityError:
        return ExpertInvitation.objects.get(thread=thread, expert=expert), False
    return invitation, True
