"""Invitations: the click decides whom an InvitationRun invites, a worker writes it
(mirpal.mailruns), each invitee getting the .ics as a REQUEST and the two signed answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import ical
from events.audiences import Audience, audience_queryset
from events.enums import EventStatus
from events.errors import EventError
from events.mail.kinds import KIND_INVITATION, event_mail_prefix
from events.mail.rendering import event_mail, keys_unsent, recipients
from events.mail.tokens import rsvp_links
from events.models import Event, Invitation, InvitationRun, Registration
from members.models import User
from mirpal.enums import MailKind, RunStatus
from mirpal.mailruns import MailCounts, RunStopped, mail_counts, run_dispatch, run_write
from mirpal.models import MailPreference
from mirpal.outbox import Mail, outbox_enqueue


def invitation_mail(*, event: Event, user: User, key: str, calendars: ical.MailCalendars) -> Mail:
    """One member's invitation: the .ics as a REQUEST to them and the two signed answers."""
    return event_mail(
        template="event_invitation",
        kind=KIND_INVITATION,
        key=key,
        event=event,
        user=user,
        calendars=calendars,
        preference_kind=MailKind.INVITATIONS,
        extra=rsvp_links(event, user),
    )


def invitation_key(event: Event, user_id: int) -> str:
    return f"event:{event.pk}:invitation:{user_id}:v1"


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
def invitation_run_create(*, event: Event, audience: Audience, by: User | None) -> InviteResult:
    """Decide to invite the audience to a published event; a worker writes the invitations.

    Inside the transaction of events.services.event_invite or event_publish_and_invite (call
    those, not this) and in a constant number of queries whatever the audience's size,
    it fixes who is invited: approved members of the audience who accept invitations, less those
    invited before or registered, so sending again to a wider audience reaches only the new
    people. They are kept as an InvitationRun, whose writing (an Invitation row and a mail each,
    with the public .ics and two signed links) is queued after the commit. Refused while an
    earlier run for the event is still being written: its members are not all marked invited
    yet, and a second click must not start a second run.
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


def invitation_run_dispatch(*, run_id: int) -> bool:
    # Imported here: events.tasks imports this module to run invitation_run_write.
    from events.tasks import invitation_run_write_task

    return run_dispatch(runs=InvitationRun.objects, task=invitation_run_write_task, run_id=run_id)


def invitation_run_write(*, run_id: int) -> bool:
    """Write the run's invitations chunk by chunk (mirpal.mailruns) for a while; True if some
    remain, for the task to queue it again. A re-run resumes where the last one committed and
    mails nobody twice; an event cancelled or started meanwhile stops the run."""
    calendars = ical.MailCalendars()

    def write(run: InvitationRun, user_ids: list[int]) -> None:
        event = Event.objects.get(pk=run.event_id)
        _invitable_or_stop(event)
        Invitation.objects.bulk_create(
            [Invitation(event=event, user_id=user_id) for user_id in user_ids],
            ignore_conflicts=True,
        )
        keys = keys_unsent({user_id: invitation_key(event, user_id) for user_id in user_ids})
        outbox_enqueue(
            [
                invitation_mail(event=event, user=user, key=keys[user.pk], calendars=calendars)
                for user in recipients(keys)
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
