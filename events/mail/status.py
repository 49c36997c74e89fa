"""The secretariat's view of an event's mail: counts by kind and state, permanent failures and
how the invitations were answered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from events.enums import InvitationAnswer
from events.mail.kinds import MAIL_KIND_LABELS, event_mail_prefix
from events.models import Event, Invitation
from mirpal.enums import OutboxStatus
from mirpal.models import OutboxMessage


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
