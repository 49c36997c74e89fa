"""Mail about events: invitations with one-click answers, reminders, nudges, updates, cancellations
and the members' digests.

Every mail is rendered in its recipient's mail language with the times in their own time zone, and
written to the outbox (mirpal.outbox) in the transaction of the action that caused it, under an
idempotency key that names recipient, event, kind and version; the database holds the key unique,
so no action, retry or repeated beat run mails anyone twice. Keys of one event all start with
f"event:{pk}:", which is how the secretariat's counts find them.

The "experts" audience means experts of the roster whose linked account is an approved member:
an expert without an account could not answer through the links (registering needs membership),
so the secretariat writes to them directly.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import ical
from events.display import event_times
from events.enums import EventStatus, RegistrationStatus
from events.models import Event, Invitation, InvitationAnswer, Registration
from events.services import EventError, RegistrationResult, registration_respond
from members.enums import MembershipStatus
from members.models import User
from mirpal.mail import mail_render
from mirpal.models import DigestFrequency, MailKind, OutboxMessage, OutboxStatus
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import unsubscribe_headers, unsubscribe_url, users_wanting

KIND_INVITATION = "event_invitation"
KIND_REMINDER = "event_reminder"
KIND_NUDGE = "event_nudge"
KIND_UPDATE = "event_update"
KIND_CANCELLATION = "event_cancellation"
KIND_DIGEST = "digest"

MAIL_KIND_LABELS = {
    KIND_INVITATION: gettext_lazy("Invitations"),
    KIND_NUDGE: gettext_lazy("Nudges to answer"),
    KIND_REMINDER: gettext_lazy("Reminders"),
    KIND_UPDATE: gettext_lazy("Changes of time or link"),
    KIND_CANCELLATION: gettext_lazy("Cancellation notices"),
}

# A change of these is worth a mail to the people registered; the time zone alone moves nothing.
NOTIFY_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "join_url",
        "passcode",
        "platform",
        "venue_city",
        "venue_country",
        "venue_address",
    }
)
RSVP_SALT = "events.rsvp"


class AudienceKind(models.TextChoices):
    ALL = "all", gettext_lazy("All approved members")
    COUNTRY = "country", gettext_lazy("Members from one country")
    ORGANISATION_TYPE = "organisation_type", gettext_lazy("Members of one type of organisation")
    TOPIC = "topic", gettext_lazy("Members interested in one topic")
    EXPERTS = "experts", gettext_lazy("Experts of the roster who are members")
    USERS = "users", gettext_lazy("Members picked by hand")


@dataclass(frozen=True)
class Audience:
    kind: str
    country: str = ""
    organisation_type: str = ""
    topic_id: int | None = None
    user_ids: tuple[int, ...] = ()


def audience_user_ids(audience: Audience) -> set[int]:
    """Approved members in this audience whose preferences let invitations through."""
    return users_wanting(kind=MailKind.INVITATIONS, user_ids=audience_members(audience))


def audience_members(audience: Audience) -> set[int]:
    """Approved members in this audience, whatever their mail preferences."""
    users = User.objects.filter(is_active=True, profile__status=MembershipStatus.APPROVED)
    if audience.kind == AudienceKind.COUNTRY:
        users = users.filter(profile__country=audience.country)
    elif audience.kind == AudienceKind.ORGANISATION_TYPE:
        users = users.filter(profile__organisation_type=audience.organisation_type)
    elif audience.kind == AudienceKind.TOPIC:
        users = users.filter(profile__interests=audience.topic_id)
    elif audience.kind == AudienceKind.EXPERTS:
        users = users.filter(expert__isnull=False)
    elif audience.kind == AudienceKind.USERS:
        users = users.filter(pk__in=audience.user_ids)
    elif audience.kind != AudienceKind.ALL:
        raise EventError(_("Unknown audience."))
    return set(users.values_list("pk", flat=True))


def _recipients(user_ids) -> list[User]:
    return list(User.objects.filter(pk__in=list(user_ids)).select_related("profile").order_by("pk"))


# --- One-click answers


class RsvpLinkInvalid(Exception):
    """The link was cut, changed or has expired; the message says which, for the member."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def rsvp_token(*, event: Event, user_id: int, answer: str) -> str:
    return signing.dumps({"e": event.pk, "u": user_id, "a": answer}, salt=RSVP_SALT, compress=True)


def rsvp_url(*, event: Event, user_id: int, answer: str) -> str:
    token = rsvp_token(event=event, user_id=user_id, answer=answer)
    return settings.SITE_URL + reverse("events:rsvp", args=[token])


@dataclass(frozen=True)
class RsvpRequest:
    event: Event
    user: User
    answer: str

    @property
    def going(self) -> bool:
        return self.answer == InvitationAnswer.GOING


def rsvp_read(*, token: str, now: datetime.datetime | None = None) -> RsvpRequest:
    """Check the link's signature and that the event has not ended; changes nothing."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=RSVP_SALT)
    except signing.BadSignature as error:
        raise RsvpLinkInvalid(
            _("This link is not valid: it may have been cut or changed on the way.")
        ) from error
    if not isinstance(data, dict) or data.get("a") not in InvitationAnswer.values:
        raise RsvpLinkInvalid(_("This link is not valid."))
    event = Event.objects.filter(pk=data.get("e")).first()
    user = User.objects.select_related("profile").filter(pk=data.get("u")).first()
    if event is None or user is None:
        raise RsvpLinkInvalid(
            _("This link is not valid: the event or the account no longer exists.")
        )
    if event.has_ended(now):
        raise RsvpLinkInvalid(_("This link has expired: the event is over."))
    return RsvpRequest(event=event, user=user, answer=data["a"])


@transaction.atomic
def rsvp_answer(*, token: str) -> tuple[RsvpRequest, RegistrationResult]:
    """Record the answer a signed link carries, through the registration service.

    Idempotent: following the same link twice leaves one registration. Raises RsvpLinkInvalid or
    EventError (closed, started, not a member any more) with a message for the member.
    """
    request = rsvp_read(token=token)
    result = registration_respond(event=request.event, user=request.user, going=request.going)
    Invitation.objects.filter(event=request.event, user=request.user).update(
        answer=request.answer, answered_at=timezone.now()
    )
    return request, result


# --- Rendering


def _zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class _Calendars:
    """The event's public .ics once per language, for every mail of one run."""

    def __init__(self):
        self._cache: dict[tuple[int, int, str], dict[str, str]] = {}

    def attachment(self, event: Event, language: str) -> dict[str, str]:
        key = (event.pk, event.sequence, language)
        if key not in self._cache:
            content = ical.event_ics(event, language=language).decode()
            self._cache[key] = {
                "filename": "event.ics",
                "content": content,
                "mimetype": "text/calendar",
            }
        return self._cache[key]


def _event_mail(
    *,
    template: str,
    kind: str,
    key: str,
    event: Event,
    user: User,
    calendars: _Calendars | None = None,
    preference_kind: str | None = None,
    with_join_link: bool = False,
    extra: dict | None = None,
) -> Mail:
    language = user.profile.mail_language
    zone = _zone(user)
    headers = {}
    if preference_kind:
        headers = unsubscribe_headers(user_id=user.pk, kind=preference_kind)
    with translation.override(language), timezone.override(zone):
        context = {
            "name": user.get_full_name() or user.email,
            "event": event,
            "times": event_times(
                event.starts_at, event.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "join_url": event.join_url if with_join_link else "",
            "passcode": event.passcode if with_join_link else "",
            "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
            "unsubscribe_url": (
                unsubscribe_url(user_id=user.pk, kind=preference_kind) if preference_kind else ""
            ),
            **(extra or {}),
        }
        mail = mail_render(
            template=template,
            context=context,
            language=language,
            key=key,
            kind=kind,
            to_email=user.email,
            recipient_id=user.pk,
            headers=headers,
        )
    attachments = [calendars.attachment(event, language)] if calendars else []
    return replace(mail, attachments=attachments, members_only=True)


def _rsvp_links(event: Event, user: User) -> dict[str, str]:
    return {
        "going_url": rsvp_url(event=event, user_id=user.pk, answer=InvitationAnswer.GOING),
        "not_going_url": rsvp_url(event=event, user_id=user.pk, answer=InvitationAnswer.NOT_GOING),
    }


def invitation_key(event: Event, user_id: int) -> str:
    return f"event:{event.pk}:invitation:{user_id}:v1"


def _unsent(keys_by_user: dict[int, str]) -> dict[int, str]:
    """Drop users whose key is in the outbox already, so a repeated run renders nothing."""
    taken = set(
        OutboxMessage.objects.filter(idempotency_key__in=list(keys_by_user.values())).values_list(
            "idempotency_key", flat=True
        )
    )
    return {user_id: key for user_id, key in keys_by_user.items() if key not in taken}


# --- Invitations


@dataclass(frozen=True)
class InviteResult:
    invited: int
    skipped: int


@transaction.atomic
def event_invite(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Invite the audience to a published event: an Invitation row and an outbox mail each.

    Runs in one transaction with the caller's action (publishing, say); the mails go after the
    commit. Members invited before or already registered are skipped, so sending again to a wider
    audience reaches only the new people. Each mail carries the public .ics and two signed links.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status != EventStatus.PUBLISHED:
        raise EventError(_("Invitations can be sent only for a published event."))
    if locked.starts_at <= timezone.now():
        raise EventError(_("This event has already started."))
    wanted = audience_user_ids(audience)
    invited = set(
        Invitation.objects.filter(event=locked, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    registered = set(
        Registration.objects.filter(event=locked, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    new_ids = sorted(wanted - invited - registered)
    Invitation.objects.bulk_create(
        [Invitation(event=locked, user_id=user_id) for user_id in new_ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    calendars = _Calendars()
    mails = [
        _event_mail(
            template="event_invitation",
            kind=KIND_INVITATION,
            key=invitation_key(locked, user.pk),
            event=locked,
            user=user,
            calendars=calendars,
            preference_kind=MailKind.INVITATIONS,
            extra=_rsvp_links(locked, user),
        )
        for user in _recipients(new_ids)
    ]
    outbox_enqueue(mails)
    return InviteResult(invited=len(new_ids), skipped=len(wanted) - len(new_ids))


@transaction.atomic
def event_publish_and_invite(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Publish a draft (a published event stays as it is) and invite the audience: all or none."""
    from events.services import event_publish

    if Event.objects.filter(pk=event.pk, status=EventStatus.DRAFT).exists():
        event_publish(event=event, by=by)
    return event_invite(event=event, audience=audience, by=by)


# --- Reminders and nudges


def reminder_key(event: Event, hours: int, user_id: int) -> str:
    return f"event:{event.pk}:reminder-{hours}h:{user_id}:v{event.sequence}"


def _due_offset(event: Event, now: datetime.datetime) -> int | None:
    """The reminder due now: the nearest offset whose moment has passed (an earlier one missed
    while the scheduler was down is not sent as well)."""
    due = [
        hours
        for hours in settings.EVENTS_REMINDER_OFFSETS_HOURS
        if event.starts_at - datetime.timedelta(hours=hours) <= now
    ]
    return min(due) if due else None


def reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """Queue every reminder whose moment has passed, for events that have not started.

    A reminder missed because the scheduler was down still goes on the next run, as long as the
    event has not started; its key (event, offset, member, calendar revision) makes a second run
    queue nothing. Confirmed registrants who accept reminders get it, with the join link.
    Returns how many reminders were queued.
    """
    now = now or timezone.now()
    offsets = settings.EVENTS_REMINDER_OFFSETS_HOURS
    if not offsets:
        return 0
    horizon = now + datetime.timedelta(hours=max(offsets))
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=horizon
    ).order_by("starts_at", "pk")
    queued = 0
    for event in events:
        hours = _due_offset(event, now)
        if hours is not None:
            queued += _reminders_for(event=event, hours=hours)
    return queued


@transaction.atomic
def _reminders_for(*, event: Event, hours: int) -> int:
    confirmed = Registration.objects.filter(
        event=event,
        status=RegistrationStatus.CONFIRMED,
        user__profile__status=MembershipStatus.APPROVED,
    ).values_list("user_id", flat=True)
    wanting = users_wanting(kind=MailKind.REMINDERS, user_ids=confirmed)
    keys = _unsent({user_id: reminder_key(event, hours, user_id) for user_id in wanting})
    calendars = _Calendars()
    mails = [
        _event_mail(
            template="event_reminder",
            kind=KIND_REMINDER,
            key=keys[user.pk],
            event=event,
            user=user,
            calendars=calendars,
            preference_kind=MailKind.REMINDERS,
            with_join_link=True,
            extra={"hours": hours},
        )
        for user in _recipients(keys)
    ]
    return len(outbox_enqueue(mails))


def nudges_send_due(*, now: datetime.datetime | None = None) -> int:
    """Queue a nudge to invitees who have not answered, once, within the last
    EVENTS_NUDGE_DAYS_BEFORE_CLOSE days before registration closes. Returns how many."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.EVENTS_NUDGE_DAYS_BEFORE_CLOSE)
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now)
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .annotate(closes=Coalesce("registration_closes_at", "starts_at"))
        .filter(closes__gt=now, closes__lte=now + window)
        .order_by("starts_at", "pk")
    )
    return sum(_nudges_for(event=event) for event in events)


@transaction.atomic
def _nudges_for(*, event: Event) -> int:
    silent = (
        Invitation.objects.filter(
            event=event, answer="", user__profile__status=MembershipStatus.APPROVED
        )
        .exclude(user__event_registrations__event=event)
        .values_list("user_id", flat=True)
    )
    wanting = users_wanting(kind=MailKind.INVITATIONS, user_ids=silent)
    keys = _unsent({user_id: f"event:{event.pk}:nudge:{user_id}:v1" for user_id in wanting})
    mails = [
        _event_mail(
            template="event_nudge",
            kind=KIND_NUDGE,
            key=keys[user.pk],
            event=event,
            user=user,
            preference_kind=MailKind.INVITATIONS,
            extra={**_rsvp_links(event, user), "closes": event.registration_closes()},
        )
        for user in _recipients(keys)
    ]
    return len(outbox_enqueue(mails))


# --- Changes and cancellation (called by events.services inside their transaction)


def event_changed_notify(*, event: Event, changed: set[str]) -> int:
    """Mail the people registered (and on the wait list) that the time, place or link changed,
    with the updated .ics; keyed by the new calendar revision, so each change mails once."""
    if (
        event.status != EventStatus.PUBLISHED
        or not changed & NOTIFY_FIELDS
        or event.has_ended(timezone.now())
    ):
        return 0
    registrations = dict(
        Registration.objects.filter(
            event=event,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
            user__profile__status=MembershipStatus.APPROVED,
        ).values_list("user_id", "status")
    )
    keys = _unsent(
        {
            user_id: f"event:{event.pk}:update:{user_id}:v{event.sequence}"
            for user_id in registrations
        }
    )
    calendars = _Calendars()
    mails = [
        _event_mail(
            template="event_update",
            kind=KIND_UPDATE,
            key=keys[user.pk],
            event=event,
            user=user,
            calendars=calendars,
            with_join_link=registrations[user.pk] == RegistrationStatus.CONFIRMED,
            extra={
                "time_changed": bool(changed & {"starts_at", "ends_at"}),
                "link_changed": bool(changed & {"join_url", "passcode", "platform"}),
                "place_changed": bool(changed & {"venue_city", "venue_country", "venue_address"}),
            },
        )
        for user in _recipients(keys)
    ]
    return len(outbox_enqueue(mails))


def event_cancelled_notify(*, event: Event) -> int:
    """Mail the registrants, the wait list and the invitees who have not declined that the event
    is cancelled, with a cancelling .ics (METHOD:CANCEL) that removes it from their calendars."""
    if event.has_ended(timezone.now()):
        return 0
    registered = set(
        Registration.objects.filter(
            event=event, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
        ).values_list("user_id", flat=True)
    )
    declined = set(
        Registration.objects.filter(event=event, status=RegistrationStatus.DECLINED).values_list(
            "user_id", flat=True
        )
    )
    invited = set(
        Invitation.objects.exclude(answer=InvitationAnswer.NOT_GOING)
        .filter(event=event)
        .values_list("user_id", flat=True)
    )
    approved = set(
        User.objects.filter(
            pk__in=registered | invited, profile__status=MembershipStatus.APPROVED
        ).values_list("pk", flat=True)
    )
    people = (registered | (invited - declined)) & approved
    keys = _unsent(
        {
            user_id: f"event:{event.pk}:cancellation:{user_id}:v{event.sequence}"
            for user_id in people
        }
    )
    calendars = _Calendars()
    mails = [
        _event_mail(
            template="event_cancellation",
            kind=KIND_CANCELLATION,
            key=keys[user.pk],
            event=event,
            user=user,
            calendars=calendars,
        )
        for user in _recipients(keys)
    ]
    return len(outbox_enqueue(mails))


# --- The secretariat's view of an event's mail


@dataclass(frozen=True)
class MailCountRow:
    kind: str
    label: str
    pending: int
    sent: int
    failed: int
    skipped: int


@dataclass(frozen=True)
class EventMailStatus:
    rows: list[MailCountRow]
    failed: list[OutboxMessage]
    invited: int
    answered_going: int
    answered_not_going: int


def event_mail_prefix(event: Event) -> str:
    return f"event:{event.pk}:"


def event_mail_status(*, event: Event) -> EventMailStatus:
    """Counts by kind and state of the mail about this event, and the permanent failures."""
    mail = OutboxMessage.objects.filter(idempotency_key__startswith=event_mail_prefix(event))
    counts: dict[tuple[str, str], int] = {
        (row["kind"], row["status"]): row["n"]
        for row in mail.values("kind", "status").annotate(n=Count("id")).order_by()
    }
    rows = [
        MailCountRow(
            kind=kind,
            label=str(label),
            pending=counts.get((kind, OutboxStatus.PENDING), 0)
            + counts.get((kind, OutboxStatus.SENDING), 0),
            sent=counts.get((kind, OutboxStatus.SENT), 0),
            failed=counts.get((kind, OutboxStatus.FAILED), 0),
            skipped=counts.get((kind, OutboxStatus.SKIPPED), 0),
        )
        for kind, label in MAIL_KIND_LABELS.items()
    ]
    answers = dict(
        Invitation.objects.filter(event=event)
        .values("answer")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("answer", "n")
    )
    failed = list(
        mail.filter(status=OutboxStatus.FAILED).select_related("recipient").order_by("-id")[:200]
    )
    return EventMailStatus(
        rows=rows,
        failed=failed,
        invited=sum(answers.values()),
        answered_going=answers.get(InvitationAnswer.GOING, 0),
        answered_not_going=answers.get(InvitationAnswer.NOT_GOING, 0),
    )


@transaction.atomic
def event_mail_resend(*, event: Event, email: str, kind: str, by: User | None) -> int:
    """Send one member again the latest mail of this kind about the event, as a new outbox row
    keyed `<original key>:resend-<n>` (so it gets its own Message-ID). Returns the new row's id."""
    if kind not in MAIL_KIND_LABELS:
        raise EventError(_("Choose which mail to send again."))
    original = (
        OutboxMessage.objects.filter(
            idempotency_key__startswith=event_mail_prefix(event),
            kind=kind,
            to_email__iexact=email.strip(),
        )
        .exclude(idempotency_key__contains=":resend-")
        .order_by("-id")
        .first()
    )
    if original is None:
        raise EventError(
            _("%(email)s was sent no mail of this kind about this event.") % {"email": email}
        )
    resends = OutboxMessage.objects.filter(
        idempotency_key__startswith=original.idempotency_key + ":resend-"
    ).count()
    ids = outbox_enqueue(
        [
            Mail(
                key=f"{original.idempotency_key}:resend-{resends + 1}",
                kind=original.kind,
                to_email=original.to_email,
                subject=original.subject,
                body_text=original.body_text,
                body_html=original.body_html,
                recipient_id=original.recipient_id,
                headers=original.headers,
                attachments=original.attachments,
                members_only=original.members_only,
            )
        ]
    )
    if not ids:
        raise EventError(_("This mail is being sent again already."))
    return ids[0]


# --- Digests


def digest_period(
    *, frequency: str, now: datetime.datetime
) -> tuple[str, datetime.datetime, datetime.datetime]:
    """The last full week (Monday to Monday, UTC) or month before now, and its label."""
    today = now.astimezone(datetime.UTC).date()
    if frequency == DigestFrequency.WEEKLY:
        end = today - datetime.timedelta(days=today.weekday())
        start = end - datetime.timedelta(days=7)
        year, week, _day = start.isocalendar()
        label = f"{year}-W{week:02d}"
    elif frequency == DigestFrequency.MONTHLY:
        end = today.replace(day=1)
        start = (end - datetime.timedelta(days=1)).replace(day=1)
        label = f"{start:%Y-%m}"
    else:
        raise ValueError(frequency)

    def moment(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)

    return label, moment(start), moment(end)


@dataclass(frozen=True)
class DigestItem:
    kind: str  # "event", "document" or "article"
    obj: object
    url: str
    topic_ids: frozenset[int]
    countries: frozenset[str]


def _digest_items(*, start, end, now) -> list[DigestItem]:
    events = (
        Event.objects.filter(
            status=EventStatus.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
            starts_at__gt=now,
        )
        .prefetch_related("topics")
        .order_by("starts_at", "pk")
    )
    items = [
        DigestItem(
            "event",
            event,
            settings.SITE_URL + event.get_absolute_url(),
            frozenset(topic.pk for topic in event.topics.all()),
            frozenset(event.countries),
        )
        for event in events
    ]
    try:
        from library.models import Article, Document
    except ImportError:  # the library app is optional for the digest
        return items
    for document in (
        Document.objects.filter(created_at__gte=start, created_at__lt=end)
        .prefetch_related("topics")
        .order_by("-published_on", "pk")
    ):
        items.append(
            DigestItem(
                "document",
                document,
                settings.SITE_URL + reverse("library:document", args=[document.pk]),
                frozenset(topic.pk for topic in document.topics.all()),
                frozenset(document.countries),
            )
        )
    for article in (
        Article.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("issue")
        .prefetch_related("topics")
        .order_by("issue__number", "page_start", "pk")
    ):
        items.append(
            DigestItem(
                "article",
                article,
                settings.SITE_URL + reverse("library:article", args=[article.pk]),
                frozenset(topic.pk for topic in article.topics.all()),
                frozenset(article.countries),
            )
        )
    return items


def digests_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Queue the digest of the last week or month to each approved member on that frequency who
    follows a topic (their interests) or a country matching something new: events published and
    still to come, library documents and articles added. Members with nothing matching get no
    mail. Keyed f"digest:{frequency}:{period}:{user}", so a repeated run sends nothing new."""
    now = now or timezone.now()
    period, start, end = digest_period(frequency=frequency, now=now)
    items = _digest_items(start=start, end=end, now=now)
    if not items:
        return 0
    users = User.objects.filter(is_active=True, profile__status=MembershipStatus.APPROVED)
    if frequency == DigestFrequency.WEEKLY:
        # No preference row means the defaults, which include the weekly digest.
        users = users.exclude(
            mail_preference__digest__in=[DigestFrequency.MONTHLY, DigestFrequency.NEVER]
        )
    else:
        users = users.filter(mail_preference__digest=frequency)
    users = list(
        users.select_related("profile", "mail_preference").prefetch_related("profile__interests")
    )
    keys = {user.pk: f"digest:{frequency}:{period}:{user.pk}" for user in users}
    keys = _unsent(keys)
    queued = 0
    batch: list[Mail] = []
    for user in users:
        if user.pk not in keys:
            continue
        topics = {topic.pk for topic in user.profile.interests.all()}
        preference = getattr(user, "mail_preference", None)
        countries = set(preference.followed_countries) if preference else set()
        matching = [item for item in items if item.topic_ids & topics or item.countries & countries]
        if not matching:
            continue
        batch.append(_digest_mail(user=user, key=keys[user.pk], items=matching, period=period))
        if len(batch) >= 500:
            queued += _enqueue_now(batch)
            batch = []
    return queued + _enqueue_now(batch)


def _enqueue_now(mails: list[Mail]) -> int:
    with transaction.atomic():
        return len(outbox_enqueue(mails))


def _digest_mail(*, user: User, key: str, items: list[DigestItem], period: str) -> Mail:
    language = user.profile.mail_language
    zone = _zone(user)
    with translation.override(language), timezone.override(zone):
        events = [
            {
                "item": item,
                "times": event_times(
                    item.obj.starts_at,
                    item.obj.ends_at,
                    event_zone=item.obj.time_zone,
                    viewer_zone=zone,
                ),
            }
            for item in items
            if item.kind == "event"
        ]
        mail = mail_render(
            template="event_digest",
            context={
                "name": user.get_full_name() or user.email,
                "period": period,
                "events": events,
                "library": [item for item in items if item.kind != "event"],
                "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
                "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=MailKind.DIGEST),
            },
            language=language,
            key=key,
            kind=KIND_DIGEST,
            to_email=user.email,
            recipient_id=user.pk,
            headers=unsubscribe_headers(user_id=user.pk, kind=MailKind.DIGEST),
        )
    return replace(mail, members_only=True)
