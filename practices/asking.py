"""Asking the people behind a case: a peer-exchange thread addressed to the case's contacts.

The thread is an ordinary question of the exchange (exchange.services.thread_create: the rules on
who writes, the hourly limit, the review of a new member's first posts all hold). The contacts
are mentioned in it, `@[Name](member:<profile id>)` and `@[Name](expert:<expert id>)`
(exchange.markup), so exchange.notify mails them as it mails any mention; a listed expert who has
no account is invited instead (exchange.invitations.expert_invite, which writes to the address
the secretariat keeps). The case lists the thread among its discussions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from exchange.enums import ThreadKind
from exchange.enums import Visibility as ThreadVisibility
from exchange.invitations import expert_invite
from exchange.models import Thread
from exchange.services import thread_create
from members.enums import MembershipStatus
from members.models import Expert, User
from practices.enums import Visibility
from practices.models import Case

# As exchange.selectors.Mentionable: no brackets or line breaks in a mentioned name.
_NAME_MAX = 120


@dataclass(frozen=True)
class Contact:
    kind: str  # "member" or "expert", as exchange.markup.MENTION writes them
    pk: int  # the member's profile, or the expert
    name: str
    expert: Expert | None = None

    @property
    def token(self) -> str:
        name = " ".join(self.name.replace("[", " ").replace("]", " ").split())[:_NAME_MAX]
        return f"@[{name}]({self.kind}:{self.pk})"


def case_contacts(case: Case) -> list[Contact]:
    """Whom a question about `case` can reach: its contact members with an approved profile and
    its contact experts on the public roster (from the case's prefetched contacts, if any)."""
    contacts = []
    members: Iterable[User] = case.contact_members.all()
    for user in members:
        profile = getattr(user, "profile", None)
        if user.is_active and profile is not None and profile.status == MembershipStatus.APPROVED:
            contacts.append(Contact("member", profile.pk, user.get_full_name() or str(profile)))
    for expert in case.contact_experts.all():
        if expert.is_listed:
            contacts.append(Contact("expert", expert.pk, expert.name, expert=expert))
    return contacts


def addressed_body(body: str, contacts: list[Contact]) -> str:
    """The question's text with a last line that mentions each contact (so each is told)."""
    if not contacts:
        return body
    return body.rstrip() + "\n\n" + " ".join(contact.token for contact in contacts)


def question_visibility(case: Case, asked: str) -> str:
    """A question about a members-only case stays among members, whatever the form said."""
    return asked if case.visibility == Visibility.PUBLIC else ThreadVisibility.MEMBERS


@transaction.atomic
def case_question_open(
    *, case: Case, author, title: str, body: str, topics: Iterable, visibility: str
) -> Thread:
    """Open a question about `case` in the peer exchange, addressed to its contacts, and list it
    on the case. One transaction: the thread, its mails (mentions, followers of its topics and
    countries: exchange.notify through the outbox), the invitations of experts without an
    account and the link to the case commit together. A question held for review mails nobody
    until the secretariat releases it. Raises what thread_create raises (PermissionDenied,
    PostingTooFast, ValidationError)."""
    contacts = case_contacts(case)
    thread = thread_create(
        author=author,
        kind=ThreadKind.QUESTION,
        title=title,
        body=addressed_body(body, contacts),
        language="",
        visibility=question_visibility(case, visibility),
        topics=topics,
        countries=case.countries,
    )
    for contact in contacts:
        if contact.expert is not None and contact.expert.user_id is None:
            expert_invite(thread=thread, expert=contact.expert, by=author)
    case.threads.add(thread)
    return thread
