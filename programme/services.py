"""Every write of the proposals part: proposing, supporting and withdrawing a support,
commenting, and the secretariat's merge of proposals.

Each service is one transaction and checks the rules whatever door the call came through: who
may take part (programme.visibility), whether the call is open, the supports each member has
per call (settings.PROGRAMME_SUPPORTS_PER_YEAR, counted under a lock per member and call). The
kept figures (support_count, comment_count) change in the same transaction as their rows.

Supporting one's own proposal is refused: the proposal already says its author's institution
needs it, and a support is the sign that others need it too (Decidim allows it; the network
wants its supports to measure demand beyond the author).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mirpal.audit import audit_record, audit_snapshot
from mirpal.fragments import data_changed
from mirpal.models import AuditAction
from programme.enums import ProposalState
from programme.models import NETWORK_COUNTRIES, Call, Comment, Proposal, StateChange, Support
from programme.proposal_mail import proposal_merged_notify
from programme.selectors import SUPPORTABLE
from programme.visibility import call_open, can_answer, can_take_part

_NETWORK_CODES = {code for code, _label in NETWORK_COUNTRIES}


class ProgrammeError(Exception):
    """A rule of the work programme says no; `message` is shown on the page."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


class CallClosed(ProgrammeError):
    """The call is not open: nothing is proposed, supported, withdrawn or commented."""


class SupportLimitReached(ProgrammeError):
    """The member has given all their supports of this call."""


def _call_open_check(call: Call) -> None:
    if not call_open(call):
        if call.opens_at > timezone.now():
            raise CallClosed(
                _("The call for proposals for %(year)d is not open yet.") % {"year": call.year}
            )
        raise CallClosed(
            _(
                "The call for proposals for %(year)d is closed: proposals, supports and comments "
                "are no longer taken."
            )
            % {"year": call.year}
        )


def _lists_changed() -> None:
    # QuerySet.update sends no signal: the cached pages hear of the new figures here.
    data_changed("programme")


# --- Proposing.


@transaction.atomic
def proposal_create(
    *,
    call: Call,
    by,
    title: str,
    need: str,
    activity_kind: str,
    countries: Sequence[str],
    language: str,
    why_now: str = "",
    topics: Iterable = (),
) -> Proposal:
    """Propose in an open call, as an approved member (or the secretariat). Raises
    PermissionDenied for anyone else, CallClosed outside the call's dates, ValidationError for
    countries outside the nine or none. Audited."""
    if not can_take_part(by):
        raise PermissionDenied
    call = Call.objects.get(pk=call.pk)
    _call_open_check(call)
    countries = sorted(set(countries))
    if not countries:
        raise ValidationError(_("Choose at least one country."), code="no_country")
    if not set(countries) <= _NETWORK_CODES:
        raise ValidationError(_("Choose countries of the network only."), code="country")
    proposal = Proposal.objects.create(
        call=call,
        author=by,
        title=title.strip(),
        need=need.strip(),
        why_now=why_now.strip(),
        activity_kind=activity_kind,
        countries=countries,
        language=language,
    )
    proposal.topics.set(list(topics))
    audit_record(actor=by, action=AuditAction.CREATE, obj=proposal, after=audit_snapshot(proposal))
    return proposal


# --- Supports.


def _member_call_lock(*, call_id: int, user_id: int) -> None:
    """Hold, until the transaction ends, the lock on this member's supports in this call: two
    supports given at once (two tabs, a double click) are counted one after the other."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"programme.support:{call_id}:{user_id}"],
        )


def _support_count_refresh(proposal_ids: Iterable[int]) -> None:
    for proposal_id in set(proposal_ids):
        Proposal.objects.filter(pk=proposal_id).update(
            support_count=Support.objects.filter(proposal_id=proposal_id).count()
        )
    _lists_changed()


@transaction.atomic
def support_give(*, proposal: Proposal, by) -> Support:
    """Support a proposal (submitted or being evaluated) of an open call: once per member and
    proposal (a second time returns the support given), never one's own, and at most
    PROGRAMME_SUPPORTS_PER_YEAR per member and call. The limit holds under concurrency: the
    member's supports of the call are counted under an advisory lock held to the commit.
    Raises PermissionDenied, CallClosed, SupportLimitReached or ProgrammeError."""
    if not can_take_part(by):
        raise PermissionDenied
    _member_call_lock(call_id=proposal.call_id, user_id=by.pk)
    proposal = (
        Proposal.objects.select_for_update(no_key=True).select_related("call").get(pk=proposal.pk)
    )
    _call_open_check(proposal.call)
    if proposal.state not in SUPPORTABLE:
        raise ProgrammeError(
            _("This proposal has had its answer (%(state)s): it takes no more supports.")
            % {"state": proposal.get_state_display()}
        )
    if proposal.author_id == by.pk:
        raise ProgrammeError(
            _(
                "This is your own proposal: it already speaks for your institution. Give your "
                "supports to the proposals of others."
            )
        )
    existing = Support.objects.filter(proposal=proposal, user=by).first()
    if existing is not None:
        return existing
    limit = settings.PROGRAMME_SUPPORTS_PER_YEAR
    if Support.objects.filter(call_id=proposal.call_id, user=by).count() >= limit:
        raise SupportLimitReached(
            ngettext(
                "You have given all %(limit)d support for %(year)d. Withdraw it to support "
                "another proposal.",
                "You have given all %(limit)d supports for %(year)d. Withdraw one to support "
                "another proposal.",
                limit,
            )
            % {"limit": limit, "year": proposal.call.year}
        )
    support = Support.objects.create(call_id=proposal.call_id, proposal=proposal, user=by)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    _lists_changed()
    return support


@transaction.atomic
def support_withdraw(*, proposal: Proposal, by) -> bool:
    """Take back one's support, while the call is open; returns whether there was one. The
    support goes back to the member's allowance for the call."""
    if not can_take_part(by):
        raise PermissionDenied
    _member_call_lock(call_id=proposal.call_id, user_id=by.pk)
    proposal = (
        Proposal.objects.select_for_update(no_key=True).select_related("call").get(pk=proposal.pk)
    )
    _call_open_check(proposal.call)
    deleted, _rows = Support.objects.filter(proposal=proposal, user=by).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        _lists_changed()
    return bool(deleted)


# --- Comments.


@transaction.atomic
def comment_add(*, proposal: Proposal, by, body: str) -> Comment:
    """Comment on a proposal of an open call, as an approved member; not on a merged one (the
    conversation goes on where it was merged into). The proposal's comment_count follows."""
    if not can_take_part(by):
        raise PermissionDenied
    proposal = (
        Proposal.objects.select_for_update(no_key=True).select_related("call").get(pk=proposal.pk)
    )
    _call_open_check(proposal.call)
    if proposal.state == ProposalState.MERGED:
        raise ProgrammeError(_("This proposal was merged into another: comment there, please."))
    body = body.strip()
    if not body:
        raise ValidationError(_("Write your comment first."), code="empty")
    comment = Comment.objects.create(proposal=proposal, author=by, body=body)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    _lists_changed()
    return comment


# --- Merging, by the secretariat.


@transaction.atomic
def proposal_merge(
    *, sources: Sequence[Proposal], target: Proposal, by, note: str = ""
) -> Proposal:
    """Merge these proposals into `target` (same call; none of them merged already): each source
    becomes MERGED, pointing at the target, with a StateChange row and an audit entry; proposals
    merged into a source earlier now point at the target. Their supports move to the target,
    each member once: a member who supported the target and a source, or two sources, keeps one
    support there and has the other back in their allowance. The support counts of all of them
    are recomputed. The authors and supporters of each source are mailed once, in their
    language, through the outbox (keyed per source and person). Returns the target."""
    if not can_answer(by):
        raise PermissionDenied
    source_ids = {source.pk for source in sources}
    if not source_ids:
        raise ProgrammeError(_("Choose the proposals to merge."))
    if target.pk in source_ids:
        raise ProgrammeError(_("A proposal cannot be merged into itself."))
    locked = {
        proposal.pk: proposal
        for proposal in Proposal.objects.select_for_update()
        .filter(pk__in=source_ids | {target.pk})
        .order_by("pk")
    }
    target = locked[target.pk]
    sources = [locked[pk] for pk in sorted(source_ids)]
    if target.state == ProposalState.MERGED:
        raise ProgrammeError(
            _("The proposal chosen was merged itself: choose the one it went into.")
        )
    for source in sources:
        if source.call_id != target.call_id:
            raise ProgrammeError(_("Only proposals of the same call can be merged."))
        if source.state == ProposalState.MERGED:
            raise ProgrammeError(_("“%(title)s” was merged already.") % {"title": source.title})

    # Who is told, before the supports move: each source's author and supporters.
    told = {
        source.pk: set(Support.objects.filter(proposal=source).values_list("user_id", flat=True))
        | ({source.author_id} if source.author_id else set())
        for source in sources
    }

    # Each member once on the target: the target's supporters keep theirs; of a member's
    # supports of the sources, the earliest moves and the others are freed.
    # The target's author never supports their own proposal.
    kept = set(Support.objects.filter(proposal=target).values_list("user_id", flat=True))
    if target.author_id:
        kept.add(target.author_id)
    freed, moved = [], []
    for support in Support.objects.filter(proposal_id__in=source_ids).order_by("created_at", "id"):
        if support.user_id in kept:
            freed.append(support.pk)
        else:
            kept.add(support.user_id)
            moved.append(support.pk)
    Support.objects.filter(pk__in=freed).delete()
    Support.objects.filter(pk__in=moved).update(proposal=target)

    now = timezone.now()
    note = note.strip()
    Proposal.objects.filter(merged_into_id__in=source_ids).update(merged_into=target)
    for source in sources:
        before = audit_snapshot(source)
        StateChange.objects.create(
            proposal=source,
            from_state=source.state,
            to_state=ProposalState.MERGED,
            note=note,
            actor=by,
        )
        source.state = ProposalState.MERGED
        source.merged_into = target
        source.answer = note
        source.answered_at = now
        source.save(update_fields=["state", "merged_into", "answer", "answered_at", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.CHANGE,
            obj=source,
            before=before,
            after=audit_snapshot(source),
        )
    _support_count_refresh([target.pk, *source_ids])
    target.refresh_from_db()
    for source in sources:
        proposal_merged_notify(source=source, target=target, user_ids=told[source.pk])
    return target
