"""Scheduling polls: invitees answer each proposed slot; the secretariat picks one, and the event
is created from it and its invitations written by the events app's own flow.

The ranking and the holiday and working-hours flags are programme.scheduling's (pure functions);
this module reads what they need and holds the two writes, each one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.audiences import Audience, AudienceKind
from events.errors import EventError
from events.models import Event
from events.services import event_create, event_publish_and_invite
from members.models import User
from members.permissions import is_member
from mirpal.audit import audit_record, audit_snapshot
from mirpal.countries import Country
from mirpal.models import AuditAction
from programme.enums import PollState, SlotAnswer
from programme.models import Answer, Poll, Slot
from programme.scheduling import HOLIDAYS_SUSPENDED, Invitee, SlotRank, rank_slots

# What the secretariat may give the event beside the slot: how people join or where they go.
EVENT_DETAILS = frozenset(
    {"platform", "join_url", "passcode", "venue_city", "venue_country", "venue_address"}
)


class PollError(Exception):
    """A rule of the polls says no; `message` is shown to the person who tried."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


# --- Reads


def poll_invitees(*, poll: Poll) -> list[Invitee]:
    """The invitees with their country and zone (UTC and "XX" for an account without a
    profile); one query."""
    people = []
    for user in poll.invitees.select_related("profile").order_by("pk"):
        profile = getattr(user, "profile", None)
        people.append(
            Invitee(
                user_id=user.pk,
                country=profile.country if profile else Country.OTHER,
                zone=(profile.time_zone if profile else "") or "UTC",
            )
        )
    return people


def poll_answers(*, poll: Poll) -> dict[tuple[int, int], str]:
    """(slot id, user id) → answer, for the whole poll; one query."""
    return {
        (slot_id, user_id): answer
        for slot_id, user_id, answer in Answer.objects.filter(slot__poll=poll).values_list(
            "slot_id", "user_id", "answer"
        )
    }


@dataclass(frozen=True)
class PollReading:
    invitees: list[Invitee]
    answers: dict[tuple[int, int], str]
    ranking: list[SlotRank]


def poll_read(*, poll: Poll) -> PollReading:
    """The invitees, the answers and the slots best first (programme.scheduling's rule): three
    queries whatever the numbers of slots and invitees."""
    invitees = poll_invitees(poll=poll)
    answers = poll_answers(poll=poll)
    ranking = rank_slots(
        list(poll.slots.all()), invitees, answers, duration_minutes=poll.duration_minutes
    )
    return PollReading(invitees=invitees, answers=answers, ranking=ranking)


def poll_is_invitee(*, poll: Poll, user) -> bool:
    return user.is_authenticated and poll.invitees.filter(pk=user.pk).exists()


def poll_countries(invitees: list[Invitee]) -> list[str]:
    """The invitees' countries among the nine, in the order of the countries' list."""
    present = {invitee.country for invitee in invitees}
    return [code for code in Country.values if code in present and code != Country.OTHER]


def poll_holidays_suspended(invitees: list[Invitee]) -> bool:
    """Whether an invitee is in a country whose holidays the package does not list (Ukraine)."""
    return any(invitee.country in HOLIDAYS_SUSPENDED for invitee in invitees)


# --- Writes


@transaction.atomic(durable=True)
def poll_answer(*, poll: Poll, user: User, answers: Mapping[int, str]) -> int:
    """Record an invitee's yes / if need be / no for some of the poll's slots (slot id → answer);
    an answer given again replaces the earlier one, and slots left out keep theirs. Only invitees
    who are still approved members answer, and only while the poll is open. One transaction;
    returns how many answers were written."""
    locked = Poll.objects.select_for_update().get(pk=poll.pk)
    if locked.state != PollState.OPEN:
        raise PollError(_("This poll is closed: a slot has been chosen or the poll was closed."))
    if not is_member(user) or not locked.invitees.filter(pk=user.pk).exists():
        raise PollError(_("Only the members invited to this poll can answer it."))
    slot_ids = set(locked.slots.values_list("pk", flat=True))
    unknown = set(answers) - slot_ids
    if unknown:
        raise PollError(_("One of the slots answered is not part of this poll."))
    if any(answer not in SlotAnswer.values for answer in answers.values()):
        raise PollError(_("Answer each slot with yes, if need be or no."))
    rows = [
        Answer(slot_id=slot_id, user=user, answer=answer)
        for slot_id, answer in sorted(answers.items())
    ]
    Answer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["slot", "user"],
        update_fields=["answer", "answered_at"],
    )
    return len(rows)


def _event_zone(by: User | None) -> str:
    profile = getattr(by, "profile", None) if by is not None else None
    return (profile.time_zone if profile else "") or Event._meta.get_field("time_zone").default


@transaction.atomic
def poll_choose(*, poll: Poll, slot: Slot, by: User | None, **details) -> Event:
    """Choose the slot: create the event from it, publish it and invite the poll's invitees
    through the events app's invitations (events.services.event_publish_and_invite: an
    invitation run whose mails a worker writes to the outbox after the commit).

    The event takes the poll's titles and kind, the slot's start and the poll's length, the
    invitees' countries, the zone of the person choosing, the activity's description and topics,
    and the `details` given (platform, join link, venue: EVENT_DETAILS), which an online or
    in-person event needs. The poll becomes decided and points at the slot and the event; its
    activity, if it has none yet, at the event. One transaction with the audit entry: refused
    (PollError) when the poll is no longer open, so a second click creates nothing.
    """
    unknown = set(details) - EVENT_DETAILS
    if unknown:
        raise PollError(_("These fields cannot be set here: %s") % ", ".join(sorted(unknown)))
    locked = Poll.objects.select_for_update(of=("self",)).select_related("activity").get(pk=poll.pk)
    if locked.state != PollState.OPEN:
        raise PollError(
            _(
                "A slot has already been chosen for this poll, or the poll was closed; "
                "nothing new was created."
            )
        )
    if slot.poll_id != locked.pk:
        raise PollError(_("This slot is not part of this poll."))
    if slot.starts_at <= timezone.now():
        raise PollError(_("This slot has already begun; choose a later one."))
    invitees = poll_invitees(poll=locked)
    activity = locked.activity
    event = Event(
        kind=locked.event_kind,
        title_en=locked.title_en,
        title_ru=locked.title_ru,
        description_en=activity.description_en if activity else "",
        description_ru=activity.description_ru if activity else "",
        countries=poll_countries(invitees),
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + datetime.timedelta(minutes=locked.duration_minutes),
        time_zone=_event_zone(by),
        **{name: (value or "").strip() for name, value in details.items()},
    )
    try:
        event_create(event=event, by=by)
        if activity is not None:
            event.topics.set(activity.topics.all())
        event_publish_and_invite(
            event=event,
            audience=Audience(
                kind=AudienceKind.USERS,
                user_ids=tuple(invitee.user_id for invitee in invitees),
            ),
            by=by,
        )
    except EventError as error:
        raise PollError(error.message) from error
    before = audit_snapshot(locked)
    locked.state = PollState.DECIDED
    locked.chosen_slot = slot
    locked.event = event
    locked.save(update_fields=["state", "chosen_slot", "event"])
    audit_record(
        actor=by, action=AuditAction.CHANGE, obj=locked, before=before, after=audit_snapshot(locked)
    )
    if activity is not None and activity.event_id is None:
        activity.event = event
        activity.save(update_fields=["event", "updated_at"])
    poll.state, poll.chosen_slot, poll.event = locked.state, slot, event
    return event
