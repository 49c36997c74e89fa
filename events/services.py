"""Every write of the events app: publishing, changing, cancelling, registering, invitations,
calendar feeds; attendance is in events.attendance.

Each service runs in one transaction and raises EventError with a message meant for people.
Services that change an event lock its row (select_for_update) first, as registrations do, so a
registration and a change of capacity never interleave. The mail they cause is rendered and
queued by events.mail in the same transaction; only its views import this module.

Services that are only ever called on their own run in transaction.atomic(durable=True), so a
caller cannot fold them into a larger transaction by mistake (Zulip's actions): rsvp_answer,
event_complete (and events.mail.resend.event_mail_resend). The others stay nestable because a
caller holds them in its transaction: every admin request runs in one (mirpal.middleware), so
whatever the admin calls (create, update, publish, cancel, duplicate, invite, registrations,
attendance) must nest; registration_respond runs inside rsvp_answer, event_publish inside
event_publish_and_invite.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.audiences import Audience
from events.enums import EventStatus, RegistrationStatus
from events.errors import EventError
from events.mail import registration as registration_changes
from events.mail.invitations import InviteResult, invitation_run_create
from events.mail.notices import event_cancelled_notify, event_changed_notify
from events.mail.registration import registration_changes_notify
from events.mail.tokens import RsvpRequest, rsvp_read
from events.models import Event, EventFeedToken, Invitation, Registration, Session
from members.models import User
from members.permissions import is_member
from mirpal.audit import audit_record, audit_snapshot
from mirpal.models import AuditAction
from mirpal.webhooks import webhooks_event_changed

# A change to any of these makes calendar clients replace their copy (RFC 5545 SEQUENCE).
SIGNIFICANT_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "time_zone",
        "venue_city",
        "venue_country",
        "venue_address",
        "platform",
        "join_url",
        "passcode",
        "status",
    }
)
# Fields event_update may change; status moves only through publish, cancel and complete.
EDITABLE_FIELDS = frozenset(
    {
        "slug",
        "kind",
        "series",
        "title_en",
        "title_ru",
        "description_en",
        "description_ru",
        "countries",
        "starts_at",
        "ends_at",
        "time_zone",
        "languages",
        "interpretation",
        "venue_city",
        "venue_city_ru",
        "venue_country",
        "venue_address",
        "platform",
        "join_url",
        "passcode",
        "recording_url",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "cancellation_reason",
    }
)


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def event_slug(*, title: str, starts_at, exclude_pk: int | None = None) -> str:
    """A readable, unique slug; it starts with the date, so it never clashes with a fixed path."""
    base = f"{starts_at:%Y-%m-%d}-{slugify(title)[:70]}".strip("-")
    slug, number = base, 2
    taken = Event.objects.exclude(pk=exclude_pk).filter(slug__startswith=base)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        slug, number = f"{base}-{number}", number + 1
    return slug


def confirmed_count(*, event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _check_capacity(*, event: Event) -> None:
    """Refuse a capacity below the places already confirmed; call it with the event row locked."""
    if event.capacity is None:
        return
    confirmed = confirmed_count(event=event)
    if event.capacity < confirmed:
        raise EventError(
            ngettext(
                "The capacity cannot be %(capacity)d: %(confirmed)d member is already confirmed.",
                "The capacity cannot be %(capacity)d: %(confirmed)d members are already confirmed.",
                confirmed,
            )
            % {"capacity": event.capacity, "confirmed": confirmed},
            field="capacity",
        )


@transaction.atomic
def event_create(*, event: Event, by: User | None) -> Event:
    """Save a new event (unsaved instance, fully filled in) as a draft with a fresh slug."""
    event.created_by = by
    event.status = EventStatus.DRAFT
    if not event.slug:
        event.slug = event_slug(title=event.title_en, starts_at=event.starts_at)
    try:
        event.full_clean()
    except ValidationError as error:
        raise EventError(_messages(error)) from error
    event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, by: User | None, **changes) -> set[str]:
    """Change an event's fields; returns the significant fields that changed (empty if none).

    A significant change (time, place, link) raises the calendar SEQUENCE by one. A capacity
    below the confirmed places is refused; a larger one moves people up from the wait list.
    Nothing is saved when any change is refused. A change of time, place or link to a published
    event mails whoever holds its .ics in this transaction (events.mail.notices).
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise EventError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    locked = _lock(event)
    changed = set()
    for name, value in changes.items():
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.add(name)
    if not changed:
        return set()
    try:
        locked.full_clean()
    except ValidationError as error:
        raise EventError(_messages(error)) from error
    _check_capacity(event=locked)
    significant = changed & SIGNIFICANT_FIELDS
    if significant:
        locked.sequence += 1
    locked.save()
    webhooks_event_changed(event=locked, topic="event.changed")
    if "capacity" in changed:
        _promote_waiting(event=locked)
    if significant:
        event_changed_notify(event=locked, changed=significant)
    _copy_back(source=locked, target=event)
    return significant


def _copy_back(*, source: Event, target: Event) -> None:
    if source is target:
        return
    for field in Event._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


@transaction.atomic
def event_publish(*, event: Event, by: User | None) -> Event:
    """Publish a draft: it appears in the lists and members can register (within the window)."""
    locked = _lock(event)
    if locked.status != EventStatus.DRAFT:
        raise EventError(
            _("Only a draft can be published; this event is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    try:
        locked.full_clean()
    except ValidationError as error:
        raise EventError(_messages(error)) from error
    before = audit_snapshot(locked)
    locked.status = EventStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.sequence += 1
    locked.save()
    after = audit_snapshot(locked)
    audit_record(actor=by, action=AuditAction.PUBLISH, obj=locked, before=before, after=after)
    webhooks_event_changed(event=locked, topic="event.published")
    _copy_back(source=locked, target=event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: User | None, reason: str) -> Event:
    """Cancel a draft or published event; registrations stay, so feeds show it as cancelled.
    A published event's registrants and invitees are mailed a cancelling .ics
    (events.mail.notices)."""
    locked = _lock(event)
    if locked.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise EventError(
            _("This event is %(status)s and can no longer be cancelled.")
            % {"status": locked.get_status_display()}
        )
    was_published = locked.status == EventStatus.PUBLISHED
    before = audit_snapshot(locked)
    locked.status = EventStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancellation_reason = reason.strip()
    locked.sequence += 1
    locked.save()
    after = audit_snapshot(locked)
    audit_record(actor=by, action=AuditAction.CANCEL, obj=locked, before=before, after=after)
    webhooks_event_changed(event=locked, topic="event.cancelled")
    if was_published:
        event_cancelled_notify(event=locked)
    _copy_back(source=locked, target=event)
    return event


@transaction.atomic(durable=True)
def event_complete(*, event: Event, by: User | None) -> Event:
    """Mark a published event that has ended as completed; the audit log records who did."""
    locked = _lock(event)
    if locked.status != EventStatus.PUBLISHED or not locked.has_ended(timezone.now()):
        raise EventError(_("Only a published event that has ended can be marked completed."))
    before = audit_snapshot(locked)
    locked.status = EventStatus.COMPLETED
    locked.sequence += 1
    locked.save()
    after = audit_snapshot(locked)
    audit_record(actor=by, action=AuditAction.CHANGE, obj=locked, before=before, after=after)
    _copy_back(source=locked, target=event)
    return event


@transaction.atomic
def event_duplicate(*, event: Event, by: User | None) -> Event:
    """A draft copy of the event with its topics, speakers and agenda, but no registrations."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.slug = event_slug(title=event.title_en, starts_at=event.starts_at)
    copy.status = EventStatus.DRAFT
    copy.sequence = 0
    copy.published_at = copy.cancelled_at = None
    copy.cancellation_reason = ""
    copy.recording_url = ""
    copy.created_by = by
    copy.save()
    copy.topics.set(event.topics.all())
    copy.speakers.set(event.speakers.all())
    for session in event.sessions.prefetch_related("speakers"):
        new_session = Session.objects.create(
            event=copy,
            title_en=session.title_en,
            title_ru=session.title_ru,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
        new_session.speakers.set(session.speakers.all())
    return copy


# --- Registration


def registration_window_open(*, event: Event, now) -> bool:
    opens = event.registration_opens_at
    return (opens is None or opens <= now) and now < event.registration_closes()


def _promote_waiting(*, event: Event) -> list[Registration]:
    """Confirm people from the wait list, first come first served, while places are free.

    Call it with the event row locked. Returns the promoted registrations, each mailed that a
    place has become free (events.mail.registration).
    """
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "waiting_since", "pk"
    )
    if event.capacity is None:
        promoted = list(waiting)
    else:
        free = event.capacity - confirmed_count(event=event)
        promoted = list(waiting[: max(free, 0)])
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.waiting_since = None
        registration.save(update_fields=["status", "waiting_since", "updated_at"])
    if promoted:
        registration_changes_notify(
            event=event,
            changes=[(registration, registration_changes.PROMOTED) for registration in promoted],
        )
    return promoted


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    promoted: list[Registration]


@transaction.atomic
def registration_respond(
    *, event: Event, user: User, going: bool, by: User | None = None
) -> RegistrationResult:
    """Record a member's answer. Going: a place if one is free, else the end of the wait list.
    Not going: frees the place, and the first person waiting takes it.

    The event row is locked for the whole decision, so concurrent requests are served one at a
    time and the event is never overbooked. Each change of a place is mailed to its member in
    this transaction (events.mail.registration): registered, on the wait list, moved up,
    cancelled (`by` someone else than the member: the secretariat). Answering as before changes
    nothing and mails nothing; an invitee who declines without having had a place gets no mail.
    """
    if not is_member(user):
        raise EventError(_("Only members of the network can register for events."))
    locked = _lock(event)
    now = timezone.now()
    if locked.status != EventStatus.PUBLISHED:
        raise EventError(_("Registration is possible only for published events."))
    if locked.starts_at <= now:
        raise EventError(_("This event has already started."))
    registration = Registration.objects.filter(event=locked, user=user).first()
    previous = registration.status if registration else None
    if going:
        if previous in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
            return RegistrationResult(registration, [])
        if not registration_window_open(event=locked, now=now):
            raise EventError(_("Registration for this event is closed."))
        has_place = locked.capacity is None or confirmed_count(event=locked) < locked.capacity
        status = RegistrationStatus.CONFIRMED if has_place else RegistrationStatus.WAITING
        waiting_since = None if has_place else now
    else:
        if previous == RegistrationStatus.DECLINED:
            return RegistrationResult(registration, [])
        status, waiting_since = RegistrationStatus.DECLINED, None
    if registration is None:
        registration = Registration.objects.create(
            event=locked, user=user, status=status, waiting_since=waiting_since
        )
    else:
        registration.status, registration.waiting_since = status, waiting_since
        registration.save(update_fields=["status", "waiting_since", "updated_at"])
    change = _registration_change(previous=previous, status=status, by_member=by in (None, user))
    if change:
        registration_changes_notify(event=locked, changes=[(registration, change)])
    promoted = []
    if previous == RegistrationStatus.CONFIRMED and status == RegistrationStatus.DECLINED:
        promoted = _promote_waiting(event=locked)
    return RegistrationResult(registration, promoted)


def _registration_change(*, previous: str | None, status: str, by_member: bool) -> str | None:
    """The change a member is mailed about (events.mail.registration), if any."""
    if status == RegistrationStatus.CONFIRMED:
        return registration_changes.CONFIRMED
    if status == RegistrationStatus.WAITING:
        return registration_changes.WAITING
    if previous in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        return registration_changes.CANCELLED if by_member else registration_changes.REMOVED
    return None


def registration_cancel(*, event: Event, user: User, by: User | None = None) -> RegistrationResult:
    """The member is no longer going: cancelled by themselves, or by the secretariat (`by`);
    see registration_respond."""
    return registration_respond(event=event, user=user, going=False, by=by)


@transaction.atomic(durable=True)
def rsvp_answer(*, token: str) -> tuple[RsvpRequest, RegistrationResult]:
    """Record the answer a signed link carries (events.mail.tokens), through registration_respond.

    Idempotent: following the same link twice leaves one registration. Raises RsvpLinkInvalid or
    EventError (closed, started, not a member any more) with a message for the member.
    """
    request = rsvp_read(token=token)
    result = registration_respond(event=request.event, user=request.user, going=request.going)
    Invitation.objects.filter(event=request.event, user=request.user).update(
        answer=request.answer, answered_at=timezone.now()
    )
    return request, result


# --- Invitations


@transaction.atomic
def event_invite(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Invite the audience to a published event: whom is decided here in one transaction, and a
    worker writes the invitations after the commit (events.mail.invitations.invitation_run_create).
    """
    return invitation_run_create(event=event, audience=audience, by=by)


@transaction.atomic
def event_publish_and_invite(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Publish a draft (a published event stays as it is) and decide the invitations, together."""
    if Event.objects.filter(pk=event.pk, status=EventStatus.DRAFT).exists():
        event_publish(event=event, by=by)
    return invitation_run_create(event=event, audience=audience, by=by)


# --- Personal calendar feed


@transaction.atomic
def feed_token_get_or_create(*, user: User) -> EventFeedToken:
    """The member's feed token, created on first use; safe to call again."""
    token, _created = EventFeedToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def feed_token_regenerate(*, user: User) -> EventFeedToken:
    """A new secret for the member's feed; the old address stops working at once."""
    token, created = EventFeedToken.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token", "created_at"])
    return token
