"""Mail about events: invitations with one-click answers, reminders, nudges and the members'
digests, and the rendering every event mail shares (_event_mail). Change and cancellation notices
are in events.mail_changes, a member's own registration in events.mail_registration, sending one
mail again in events.mail_resend.

Every mail is rendered in its recipient's mail language with the times in their own time zone, and
written to the outbox (mirpal.outbox) in the transaction of the action that caused it, under an
idempotency key that names recipient, event, kind and version; the database holds the key unique,
so no action, retry or repeated beat run mails anyone twice. Keys of one event all start with
f"event:{pk}:", which is how the secretariat's counts find them. Invitations are written a little
later: the click records an InvitationRun, whom it invites, and a worker writes their mails in
chunks (mirpal.mailruns), so that twenty thousand members never hold up the request.

The "experts" audience means experts of the roster whose linked account is an approved member:
an expert without an account could not answer through the links (registering needs membership),
so the secretariat writes to them directly.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import asdict, dataclass, replace
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import ical
from events.display import event_times
from events.enums import EventStatus, RegistrationStatus
from events.models import Event, Invitation, InvitationAnswer, InvitationRun, Registration
from events.selectors import join_link_lead
from events.services import EventError, RegistrationResult, registration_respond
from members.enums import MembershipStatus, OrganisationType
from members.models import User
from mirpal.countries import Country
from mirpal.mail import mail_render
from mirpal.mailruns import MailCounts, RunStatus, RunStopped, mail_counts, run_dispatch, run_write
from mirpal.models import (
    DigestFrequency,
    MailKind,
    MailPreference,
    OutboxMessage,
    OutboxStatus,
    Topic,
)
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import unsubscribe_headers, unsubscribe_url, users_wanting

KIND_INVITATION = "event_invitation"
KIND_REMINDER = "event_reminder"
KIND_NUDGE = "event_nudge"
KIND_UPDATE = "event_update"
KIND_CANCELLATION = "event_cancellation"
KIND_REGISTRATION = "event_registration"
KIND_DIGEST = "digest"

MAIL_KIND_LABELS = {
    KIND_INVITATION: gettext_lazy("Invitations"),
    KIND_NUDGE: gettext_lazy("Nudges to answer"),
    KIND_REMINDER: gettext_lazy("Reminders"),
    KIND_UPDATE: gettext_lazy("Changes of time or link"),
    KIND_CANCELLATION: gettext_lazy("Cancellation notices"),
    KIND_REGISTRATION: gettext_lazy("Registration confirmations"),
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
    return set(audience_queryset(audience).values_list("pk", flat=True))


def audience_queryset(audience: Audience) -> models.QuerySet[User]:
    """Approved members in this audience, as one query whatever its size."""
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
    return users


def audience_describe(audience: dict) -> str:
    """A stored audience (asdict of Audience) in words: "Members from one country: Kazakhstan"."""
    kind = audience.get("kind", "")
    label = str(AudienceKind(kind).label) if kind in AudienceKind.values else kind
    detail = ""
    if kind == AudienceKind.COUNTRY:
        detail = str(Country(audience["country"]).label)
    elif kind == AudienceKind.ORGANISATION_TYPE:
        detail = str(OrganisationType(audience["organisation_type"]).label)
    elif kind == AudienceKind.TOPIC:
        topic = Topic.objects.filter(pk=audience.get("topic_id")).first()
        detail = topic.name if topic else ""
    elif kind == AudienceKind.USERS:
        detail = str(len(audience.get("user_ids", [])))
    return f"{label}: {detail}" if detail else label


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


# The .ics of every mail of one run, addressed to its member (events.ical.MailCalendars).
_Calendars = ical.MailCalendars
# A registrant's PARTSTAT in the .ics; an invitee who has not answered is NEEDS-ACTION.
PARTSTATS = {RegistrationStatus.CONFIRMED: "ACCEPTED", RegistrationStatus.WAITING: "TENTATIVE"}


def _join_link_due(event: Event, now: datetime.datetime) -> bool:
    """Whether a mail sent now may carry the join link to someone entitled to it: the window of
    the event page (events.selectors.join_link_access), not earlier."""
    return (
        bool(event.join_url or event.passcode)
        and event.status == EventStatus.PUBLISHED
        and event.starts_at - join_link_lead() <= now
        and not event.has_ended(now)
    )


def _event_mail(
    *,
    template: str,
    kind: str,
    key: str,
    event: Event,
    user: User,
    calendars: _Calendars | None = None,
    preference_kind: str | None = None,
    may_join: bool = False,
    partstat: str = "NEEDS-ACTION",
    removal: bool = False,
    now: datetime.datetime | None = None,
    extra: dict | None = None,
) -> Mail:
    """One member's mail about an event, in their language and time zone.

    `may_join`: the member may see the join link (a confirmed place). The mail carries the link
    and passcode only when written within the join-link window; before it, the event page and
    when the link appears there. `calendars` attaches the .ics addressed to the member: a REQUEST
    with their PARTSTAT, or a CANCEL when the event is cancelled or `removal` takes their place.
    """
    now = now or timezone.now()
    language = user.profile.mail_language
    zone = _zone(user)
    headers = {}
    if preference_kind:
        headers = unsubscribe_headers(user_id=user.pk, kind=preference_kind)
    join_due = may_join and _join_link_due(event, now)
    with translation.override(language), timezone.override(zone):
        context = {
            "name": user.get_full_name() or user.email,
            "event": event,
            "times": event_times(
                event.starts_at, event.ends_at, event_zone=event.time_zone, viewer_zone=zone
            ),
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "join_url": event.join_url if join_due else "",
            "passcode": event.passcode if join_due else "",
            "join_later": may_join
            and not join_due
            and bool(event.join_url or event.passcode)
            and now < event.starts_at - join_link_lead(),
            "join_lead_minutes": int(join_link_lead().total_seconds() // 60),
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
    attachments = []
    if calendars:
        method = ical.mail_method(event, removal=removal)
        attendee = ical.Attendee(
            email=user.email,
            name=user.get_full_name(),
            partstat=partstat if method == "REQUEST" else None,
        )
        content = calendars.ics(event, language=language, attendee=attendee, removal=removal)
        attachments.append(
            {
                "filename": "event.ics",
                "content": content.decode(),
                # RFC 6047 2.4: the part names the iTIP method, as calendar clients look for it.
                "mimetype": f"text/calendar; method={method}",
            }
        )
    return replace(mail, attachments=attachments, members_only=True)


def _rsvp_links(event: Event, user: User) -> dict[str, str]:
    return {
        "going_url": rsvp_url(event=event, user_id=user.pk, answer=InvitationAnswer.GOING),
        "not_going_url": rsvp_url(event=event, user_id=user.pk, answer=InvitationAnswer.NOT_GOING),
    }


def invitation_mail(*, event: Event, user: User, key: str, calendars: _Calendars) -> Mail:
    """One member's invitation: the .ics as a REQUEST to them and the two signed answers."""
    return _event_mail(
        template="event_invitation",
        kind=KIND_INVITATION,
        key=key,
        event=event,
        user=user,
        calendars=calendars,
        preference_kind=MailKind.INVITATIONS,
        extra=_rsvp_links(event, user),
    )


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


# --- Invitations: the click records a run, a worker writes it (mirpal.mailruns)


@dataclass(frozen=True)
class InviteResult:
    invited: int
    skipped: int
    run: InvitationRun | None = None


INVITATION_RUN_STOPS = {
    "not_published": gettext_lazy("the event is no longer published"),
    "started": gettext_lazy("the event has started"),
}


def _invitable_or_stop(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise RunStopped("not_published")
    if event.starts_at <= timezone.now():
        raise RunStopped("started")


@transaction.atomic
def event_invite(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Decide to invite the audience to a published event; a worker writes the invitations.

    In the caller's transaction (publishing, say) and in a constant number of queries whatever the
    audience's size, it fixes who is invited: approved members of the audience who accept
    invitations, less those invited before or registered, so sending again to a wider audience
    reaches only the new people. They are kept as an InvitationRun, whose writing (an Invitation
    row and a mail each, with the public .ics and two signed links) is queued after the commit.
    Refused while an earlier run for the event is still being written: its members are not all
    marked invited yet, and a second click must not start a second run.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status != EventStatus.PUBLISHED:
        raise EventError(_("Invitations can be sent only for a published event."))
    if locked.starts_at <= timezone.now():
        raise EventError(_("This event has already started."))
    if InvitationRun.objects.filter(event=locked, status=RunStatus.WRITING).exists():
        raise EventError(
            _("Invitations to this event are still being written; invite more once they are done.")
        )
    members = (
        audience_queryset(audience)
        .filter(~Exists(MailPreference.objects.filter(user=OuterRef("pk"), invitations=False)))
        .annotate(
            invited=Exists(Invitation.objects.filter(event=locked, user=OuterRef("pk"))),
            registered=Exists(Registration.objects.filter(event=locked, user=OuterRef("pk"))),
        )
        .order_by("pk")
        .values_list("pk", "invited", "registered")
    )
    wanted = list(members)
    new_ids = [pk for pk, invited, registered in wanted if not (invited or registered)]
    run = None
    if new_ids:
        run = InvitationRun.objects.create(
            event=locked,
            audience=asdict(audience),
            recipient_ids=new_ids,
            total=len(new_ids),
            created_by=by,
            queued_at=timezone.now(),
        )
        transaction.on_commit(partial(invitation_run_dispatch, run_id=run.pk))
    return InviteResult(invited=len(new_ids), skipped=len(wanted) - len(new_ids), run=run)


@transaction.atomic
def event_publish_and_invite(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Publish a draft (a published event stays as it is) and decide the invitations, together."""
    from events.services import event_publish

    if Event.objects.filter(pk=event.pk, status=EventStatus.DRAFT).exists():
        event_publish(event=event, by=by)
    return event_invite(event=event, audience=audience, by=by)


def invitation_run_dispatch(*, run_id: int) -> bool:
    from events.tasks import invitation_run_write_task

    return run_dispatch(runs=InvitationRun.objects, task=invitation_run_write_task, run_id=run_id)


def invitation_run_write(*, run_id: int) -> bool:
    """Write the run's invitations chunk by chunk (mirpal.mailruns) for a while; True if some
    remain, for the task to queue it again. A re-run resumes where the last one committed and
    mails nobody twice; an event cancelled or started meanwhile stops the run."""
    calendars = _Calendars()

    def write(run: InvitationRun, user_ids: list[int]) -> None:
        event = Event.objects.get(pk=run.event_id)
        _invitable_or_stop(event)
        Invitation.objects.bulk_create(
            [Invitation(event=event, user_id=user_id) for user_id in user_ids],
            ignore_conflicts=True,
        )
        keys = _unsent({user_id: invitation_key(event, user_id) for user_id in user_ids})
        outbox_enqueue(
            [
                _event_mail(
                    template="event_invitation",
                    kind=KIND_INVITATION,
                    key=keys[user.pk],
                    event=event,
                    user=user,
                    calendars=calendars,
                    preference_kind=MailKind.INVITATIONS,
                    extra=_rsvp_links(event, user),
                )
                for user in _recipients(keys)
            ]
        )
        # The chunk was rendered without the event's lock; a cancellation that committed meanwhile
        # mailed only the invitees it could see, so wait for any change under way and look again.
        _invitable_or_stop(Event.objects.select_for_update(no_key=True).get(pk=event.pk))

    return run_write(runs=InvitationRun.objects, run_id=run_id, write=write)


@dataclass(frozen=True)
class InvitationProgress:
    runs: list[InvitationRun]
    mails: MailCounts


def invitation_progress(*, event: Event) -> InvitationProgress:
    """The event's invitation runs, latest first, and how its invitation mails stand: 2 queries."""
    runs = list(
        event.invitation_runs.defer("recipient_ids")
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:20]
    )
    mails = mail_counts(kind=KIND_INVITATION, key_prefix=event_mail_prefix(event))
    return InvitationProgress(runs=runs, mails=mails)


# --- Reminders and nudges


def reminder_key(event: Event, hours: int, user_id: int) -> str:
    """One reminder per offset and registrant, whatever changes after it: a change is told by
    its own update notice, not by a second "starting soon"."""
    return f"event:{event.pk}:reminder-{hours}h:{user_id}"


def _reminded(event: Event, hours: int) -> set[int]:
    """Members who had this reminder already, under this key or the earlier one that named the
    calendar revision (…:v<sequence>) or a resend of either."""
    prefix = f"event:{event.pk}:reminder-{hours}h:"
    keys = OutboxMessage.objects.filter(
        kind=KIND_REMINDER, idempotency_key__startswith=prefix
    ).values_list("idempotency_key", flat=True)
    return {int(key[len(prefix) :].split(":")[0]) for key in keys}


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
    event has not started; its key (event, offset, member) makes a second run, or a run after
    the event changed, queue nothing. Confirmed registrants who accept reminders get it; it
    carries the join link only when written within the join-link window.
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
            queued += _reminders_for(event=event, hours=hours, now=now)
    return queued


def reminder_mail(
    *, event: Event, user: User, hours: int, key: str, calendars: _Calendars, now=None
) -> Mail:
    return _event_mail(
        template="event_reminder",
        kind=KIND_REMINDER,
        key=key,
        event=event,
        user=user,
        calendars=calendars,
        preference_kind=MailKind.REMINDERS,
        may_join=True,
        partstat="ACCEPTED",
        now=now,
        extra={"hours": hours},
    )


@transaction.atomic
def _reminders_for(*, event: Event, hours: int, now: datetime.datetime) -> int:
    confirmed = Registration.objects.filter(
        event=event,
        status=RegistrationStatus.CONFIRMED,
        user__profile__status=MembershipStatus.APPROVED,
    ).values_list("user_id", flat=True)
    wanting = users_wanting(kind=MailKind.REMINDERS, user_ids=confirmed) - _reminded(event, hours)
    calendars = _Calendars(now)
    mails = [
        reminder_mail(
            event=event,
            user=user,
            hours=hours,
            key=reminder_key(event, hours, user.pk),
            calendars=calendars,
            now=now,
        )
        for user in _recipients(wanting)
    ]
    return len(outbox_enqueue(mails))


# An invitee is nudged after this long, or after half the time the invitation left them to answer
# when that is shorter, and never on the day it came.
NUDGE_WAIT = datetime.timedelta(days=2)


def nudge_key(event: Event, user_id: int) -> str:
    return f"event:{event.pk}:nudge:{user_id}:v1"


def nudges_send_due(*, now: datetime.datetime | None = None) -> int:
    """Queue a nudge to invitees who have not answered, once, within the last
    EVENTS_NUDGE_DAYS_BEFORE_CLOSE days before registration closes, to those who have had the
    invitation long enough (NUDGE_WAIT or half their time to answer, and not since today).
    Returns how many."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.EVENTS_NUDGE_DAYS_BEFORE_CLOSE)
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now)
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .annotate(closes=Coalesce("registration_closes_at", "starts_at"))
        .filter(closes__gt=now, closes__lte=now + window)
        .order_by("starts_at", "pk")
    )
    return sum(_nudges_for(event=event, now=now) for event in events)


def _invitations_received(event: Event, invited_at: dict[int, datetime.datetime]) -> dict:
    """When each invitation reached its member: its outbox row's sending time, or its queuing
    time while it waits; the Invitation's own time if the row is gone. An invitation that failed
    or was not sent reached nobody and is left out."""
    keys = {invitation_key(event, user_id): user_id for user_id in invited_at}
    received = dict(invited_at)
    rows = OutboxMessage.objects.filter(idempotency_key__in=list(keys)).values_list(
        "idempotency_key", "status", "sent_at", "created_at"
    )
    for key, status, sent_at, created_at in rows:
        if status in (OutboxStatus.FAILED, OutboxStatus.SKIPPED):
            del received[keys[key]]
        else:
            received[keys[key]] = sent_at or created_at
    return received


def nudge_mail(*, event: Event, user: User, key: str) -> Mail:
    return _event_mail(
        template="event_nudge",
        kind=KIND_NUDGE,
        key=key,
        event=event,
        user=user,
        preference_kind=MailKind.INVITATIONS,
        extra={**_rsvp_links(event, user), "closes": event.registration_closes()},
    )


@transaction.atomic
def _nudges_for(*, event: Event, now: datetime.datetime) -> int:
    silent = dict(
        Invitation.objects.filter(
            event=event, answer="", user__profile__status=MembershipStatus.APPROVED
        )
        .exclude(user__event_registrations__event=event)
        .values_list("user_id", "invited_at")
    )
    wanting = users_wanting(kind=MailKind.INVITATIONS, user_ids=silent)
    received = _invitations_received(event, {user_id: silent[user_id] for user_id in wanting})
    # Waited long enough: received <= now - min(NUDGE_WAIT, (closes - received) / 2).
    cutoff = max(now - NUDGE_WAIT, now + (now - event.registration_closes()))
    ready = {user_id for user_id, moment in received.items() if moment <= cutoff}
    keys = _unsent({user_id: nudge_key(event, user_id) for user_id in ready})
    mails = [
        nudge_mail(event=event, user=user, key=keys[user.pk])
        for user in _recipients(keys)
        if now.astimezone(_zone(user)).date() != received[user.pk].astimezone(_zone(user)).date()
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
