"""Every write of the events app: publishing, changing, cancelling, registering, attendance.

Each service runs in one transaction and raises EventError with a message meant for people.
Services that change an event lock its row (select_for_update) first, as registrations do, so a
registration and a change of capacity never interleave. The next issue hooks invitations and
reminders on what event_publish, event_update and event_cancel return.
"""

from __future__ import annotations

import contextlib
import csv
import io
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.enums import AttendanceSource, EventStatus, RegistrationStatus
from events.models import Attendance, Event, EventFeedToken, Registration, Session
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


class EventError(Exception):
    """A rule of the events app refused the action; the message is for the person who tried."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


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
    event mails whoever holds its .ics in this transaction (events.mail_changes).
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
        from events.mail_changes import event_changed_notify

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
    A published event's registrants and invitees are mailed a cancelling .ics (events.mailings)."""
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
        from events.mail_changes import event_cancelled_notify

        event_cancelled_notify(event=locked)
    _copy_back(source=locked, target=event)
    return event


@transaction.atomic
def event_complete(*, event: Event, by: User | None) -> Event:
    """Mark a published event that has ended as completed."""
    locked = _lock(event)
    if locked.status != EventStatus.PUBLISHED or not locked.has_ended(timezone.now()):
        raise EventError(_("Only a published event that has ended can be marked completed."))
    locked.status = EventStatus.COMPLETED
    locked.sequence += 1
    locked.save()
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
    place has become free (events.mail_registration).
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
        from events.mail_registration import PROMOTED, registration_changes_notify

        registration_changes_notify(
            event=event, changes=[(registration, PROMOTED) for registration in promoted]
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
    this transaction (events.mail_registration): registered, on the wait list, moved up,
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
        from events.mail_registration import registration_changes_notify

        registration_changes_notify(event=locked, changes=[(registration, change)])
    promoted = []
    if previous == RegistrationStatus.CONFIRMED and status == RegistrationStatus.DECLINED:
        promoted = _promote_waiting(event=locked)
    return RegistrationResult(registration, promoted)


def _registration_change(*, previous: str | None, status: str, by_member: bool) -> str | None:
    """The change a member is mailed about (events.mail_registration), if any."""
    from events import mail_registration as change

    if status == RegistrationStatus.CONFIRMED:
        return change.CONFIRMED
    if status == RegistrationStatus.WAITING:
        return change.WAITING
    if previous in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        return change.CANCELLED if by_member else change.REMOVED
    return None


def registration_cancel(*, event: Event, user: User, by: User | None = None) -> RegistrationResult:
    """The member is no longer going: cancelled by themselves, or by the secretariat (`by`);
    see registration_respond."""
    return registration_respond(event=event, user=user, going=False, by=by)


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


# --- Attendance


@transaction.atomic
def attendance_mark(
    *,
    event: Event,
    users: list[User],
    by: User | None,
    source: str = AttendanceSource.MANUAL,
    minutes: dict[int, int | None] | None = None,
) -> int:
    """Mark these people as present; marking someone twice updates their row. Returns the count."""
    minutes = minutes or {}
    for user in users:
        Attendance.objects.update_or_create(
            event=event,
            user=user,
            defaults={"source": source, "marked_by": by, "minutes": minutes.get(user.pk)},
        )
    return len(users)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class AttendanceImportError(EventError):
    def __init__(self, errors: list[RowError]):
        super().__init__(_("Nothing was imported: fix the rows listed and upload the file again."))
        self.errors = errors


EMAIL_HEADERS = ("email", "user email", "e-mail", "attendee email", "participant email")
MINUTES_HEADERS = ("duration (minutes)", "duration (mins)", "duration", "minutes", "time in call")
# No video meeting lasts a week; the cap also keeps each person's sum inside the integer column.
ATTENDANCE_MINUTES_MAX = 7 * 24 * 60


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [name.strip().lower().lstrip("\ufeff") for name in header]
    for name in names:
        if name in cleaned:
            return cleaned.index(name)
    return None


def attendance_import_csv(*, event: Event, content: bytes, by: User | None) -> int:
    """Import attendance from a video platform's participant report (Zoom, Teams, Webex...).

    The file needs an email column and may have a duration in minutes; rows of the same person
    (people who rejoined) add up. Every row is checked first: if any row is wrong, nothing is
    saved and AttendanceImportError lists each bad row by its line number.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AttendanceImportError([RowError(0, _("The file is not UTF-8 text."))]) from error
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise AttendanceImportError([RowError(0, _("The file is empty."))])
    email_at = _column(rows[0], EMAIL_HEADERS)
    minutes_at = _column(rows[0], MINUTES_HEADERS)
    if email_at is None:
        raise AttendanceImportError(
            [RowError(1, _("No email column: the first row must name a column “Email”."))]
        )
    errors: list[RowError] = []
    found: dict[str, int | None] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        email = row[email_at].strip().lower() if email_at < len(row) else ""
        if not email or "@" not in email:
            errors.append(
                RowError(line, _("“%(value)s” is not an email address.") % {"value": email})
            )
            continue
        duration = None
        if minutes_at is not None and minutes_at < len(row) and row[minutes_at].strip():
            value = row[minutes_at].strip()
            try:
                duration = int(float(value.replace(",", ".")))
                if duration < 0:
                    raise ValueError
            except (ValueError, OverflowError):  # OverflowError: "inf", "1e400"
                errors.append(
                    RowError(line, _("“%(value)s” is not a number of minutes.") % {"value": value})
                )
                continue
            if (found.get(email) or 0) + duration > ATTENDANCE_MINUTES_MAX:
                errors.append(
                    RowError(
                        line,
                        _(
                            "“%(value)s” minutes would make this participant present for more "
                            "than a week: check the duration column."
                        )
                        % {"value": value},
                    )
                )
                continue
        if email in found and duration is not None:
            found[email] = (found[email] or 0) + duration
        else:
            found.setdefault(email, duration)
    users = {user.email.lower(): user for user in User.objects.filter(email__in=list(found))}
    for line, row in enumerate(rows[1:], start=2):
        if email_at < len(row):
            email = row[email_at].strip().lower()
            if email in found and email not in users:
                errors.append(
                    RowError(line, _("No member has the address %(email)s.") % {"email": email})
                )
    if errors:
        raise AttendanceImportError(sorted(errors, key=lambda error: error.line))
    if not found:
        raise AttendanceImportError([RowError(2, _("The file has no participants."))])
    with transaction.atomic():
        try:
            return attendance_mark(
                event=event,
                users=[users[email] for email in found],
                by=by,
                source=AttendanceSource.IMPORT,
                minutes={users[email].pk: value for email, value in found.items()},
            )
        except IntegrityError as error:  # pragma: no cover - the checks above prevent it
            raise AttendanceImportError([RowError(0, str(error))]) from error
