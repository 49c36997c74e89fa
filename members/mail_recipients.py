"""Which outbox rows may still go to their recipient; registered with the outbox in apps.py."""

from __future__ import annotations

from members.enums import MembershipStatus
from members.models import Profile
from mirpal.models import OutboxMessage


def outbox_rows_to_lapsed_members(rows: list[OutboxMessage]) -> set[int]:
    """The members-only rows whose recipient is no longer an approved member (one query, none
    when the batch has no members-only mail)."""
    recipient_ids = {row.recipient_id for row in rows if row.members_only}
    if not recipient_ids:
        return set()
    approved = set(
        Profile.objects.filter(
            user_id__in=recipient_ids, status=MembershipStatus.APPROVED
        ).values_list("user_id", flat=True)
    )
    return {row.id for row in rows if row.members_only and row.recipient_id not in approved}
