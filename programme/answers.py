"""The secretariat's official answers to proposals, and the activities of a year's programme.

Every answer goes through `proposal_answer`, from the proposal's page or from the admin: one
transaction that locks the proposal, changes its state, keeps a StateChange for its history,
writes an audit entry and mails the author and every supporter once each, in their own language,
through the outbox. Merging is programme.services' (q1's merge service), not here.

An activity planned in a published programme is announced to partners' webhooks
(activity.planned): when it is planned (`activity_plan`, or the admin's form), when it is planned
again after a cancellation, and for every planned activity when its year's programme is
published (`programme_publish`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from members.models import User
from mirpal.audit import audit_record, audit_snapshot
from mirpal.enums import WebhookTopic
from mirpal.mail import mail_render
from mirpal.models import AuditAction
from mirpal.outbox import outbox_enqueue
from mirpal.webhooks import webhooks_notify
from programme.enums import ActivityKind, ActivityStatus, ProposalState
from programme.models import Activity, Call, Proposal, StateChange, Support
from programme.payloads import activity_webhook_payload

# The answers given here; MERGED is the merge service's.
ANSWERS = (ProposalState.EVALUATING, ProposalState.ACCEPTED, ProposalState.NOT_THIS_YEAR)
MAIL_KIND = "programme_answer"


class AnswerRefused(ValidationError):
    """The answer cannot be given as asked; the message says why (shown on the form)."""


def _plan_fields(plan: dict) -> dict:
    fields = {
        "kind": plan.get("kind") or "",
        "quarter": plan.get("quarter"),
        "title_en": (plan.get("title_en") or "").strip(),
        "title_ru": (plan.get("title_ru") or "").strip(),
    }
    errors = {}
    if fields["kind"] not in ActivityKind.values:
        errors["plan_kind"] = _("Choose the kind of activity.")
    try:
        fields["quarter"] = int(fields["quarter"])
    except (TypeError, ValueError):
        fields["quarter"] = 0
    if fields["quarter"] not in (1, 2, 3, 4):
        errors["plan_quarter"] = _("Choose the quarter.")
    if not fields["title_en"] and not fields["title_ru"]:
        errors["plan_title_en"] = _("Give the activity a title in English or in Russian.")
    if errors:
        raise AnswerRefused(errors)
    return fields


def _same_plan(activity: Activity | None, plan: dict) -> bool:
    return activity is not None and all(
        getattr(activity, name) == value for name, value in plan.items()
    )


@transaction.atomic
def proposal_answer(
    *,
    proposal: Proposal,
    state: str,
    note: str = "",
    by,
    activity: Activity | None = None,
    plan: dict | None = None,
) -> StateChange | None:
    """Give the official answer `state` to `proposal` (evaluating; accepted with a planned
    activity, an existing one of the call's year or a new one from `plan` = {kind, quarter,
    title_en, title_ru}; not this year with the reason in `note`).

    One transaction (not durable: the admin calls it inside its own) under the proposal's row
    lock. Mails the author and each supporter once (outbox keys name the proposal, the state
    change and the person). The same answer given again (same state, note and activity, or a
    plan like the activity already planned) changes nothing and mails no one: returns None.
    Raises AnswerRefused (a ValidationError, keyed by form field where there is one).
    """
    if state not in ANSWERS:
        raise AnswerRefused(_("This answer is not given here."))
    locked = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if locked.state == ProposalState.MERGED:
        raise AnswerRefused(_("This proposal was merged into another: answer that one instead."))
    note = (note or "").strip()
    if state == ProposalState.NOT_THIS_YEAR and not note:
        raise AnswerRefused({"note": _("Give the reason why not this year.")})
    planned = _plan_fields(plan) if state == ProposalState.ACCEPTED and plan else None
    if state == ProposalState.ACCEPTED:
        if planned is None and activity is None:
            raise AnswerRefused(
                {"activity": _("Choose the planned activity, or plan a new one below.")}
            )
        if planned is not None and activity is not None:
            raise AnswerRefused({"activity": _("Choose an activity or plan a new one, not both.")})
        if activity is not None and activity.year != locked.call.year:
            raise AnswerRefused(
                {
                    "activity": _("Choose an activity of the programme year %(year)s.")
                    % {"year": locked.call.year}
                }
            )
    else:
        activity = None

    if locked.state == state and locked.answer == note:
        current = locked.activity if locked.activity_id else None
        if state != ProposalState.ACCEPTED:
            return None
        if planned is not None and _same_plan(current, planned):
            return None
        if activity is not None and current is not None and activity.pk == current.pk:
            return None

    if planned is not None:
        activity = activity_plan(
            year=locked.call.year,
            countries=locked.countries,
            topics=list(locked.topics.all()),
            by=by,
            **planned,
        )

    before = audit_snapshot(locked)
    from_state = locked.state
    locked.state = state
    locked.answer = note
    locked.activity = activity
    locked.answered_at = timezone.now()
    locked.save(update_fields=["state", "answer", "activity", "answered_at", "updated_at"])
    change = StateChange.objects.create(
        proposal=locked, from_state=from_state, to_state=state, note=note, actor=by
    )
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=locked,
        before=before,
        after=audit_snapshot(locked),
    )
    answer_mail(proposal=locked, change=change)
    proposal.refresh_from_db()
    return change


# --- The mail about an answer.


def _people(proposal: Proposal) -> list[tuple[User, bool]]:
    """The author and the supporters, active accounts only, each once: (user, is_author)."""
    ids = set(Support.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    users = User.objects.filter(pk__in=ids, is_active=True).select_related("profile")
    return [(user, user.pk == proposal.author_id) for user in sorted(users, key=lambda u: u.pk)]


def answer_mail(*, proposal: Proposal, change: StateChange) -> list[int]:
    """Queue the mail about `change` to the proposal's author and supporters, each in their
    language; keyed f"programme:answer:{proposal}:{change}:{user}", so at most once each.
    While the year's programme is unpublished it is members' mail (the outbox checks at
    sending that the person is still a member)."""
    url = settings.SITE_URL + reverse("programme:proposal", kwargs={"pk": proposal.pk})
    activity = proposal.activity if change.to_state == ProposalState.ACCEPTED else None
    mails = []
    for user, is_author in _people(proposal):
        profile = getattr(user, "profile", None)
        language = profile.mail_language if profile else settings.LANGUAGE_CODE
        with translation.override(language):
            mail = mail_render(
                template="programme/answer",
                context={
                    "name": user.get_full_name() or user.email,
                    "is_author": is_author,
                    "proposal": proposal,
                    "state": change.to_state,
                    "state_label": str(ProposalState(change.to_state).label),
                    "note": change.note,
                    "activity": activity,
                    "activity_title": activity.title if activity else "",
                    "activity_kind": activity.get_kind_display() if activity else "",
                    "proposal_url": url,
                    "LANGUAGE_CODE": language,
                },
                language=language,
                key=f"programme:answer:{proposal.pk}:{change.pk}:{user.pk}",
                kind=MAIL_KIND,
                to_email=user.email,
                recipient_id=user.pk,
            )
        # Until the programme is published, only members may read what the mail tells.
        mails.append(replace(mail, members_only=not proposal.call.programme_published))
    return outbox_enqueue(mails)


# --- Activities.


def _programme_published(year: int) -> bool:
    return Call.objects.filter(year=year, programme_published=True).exists()


def activity_announce(*, activity: Activity) -> int:
    """Tell partners' webhooks (activity.planned) of a planned activity of a published
    programme; nothing otherwise. Call it inside the transaction that planned it. Returns how
    many deliveries were written."""
    if activity.status != ActivityStatus.PLANNED or not _programme_published(activity.year):
        return 0
    deliveries = webhooks_notify(
        topic=WebhookTopic.ACTIVITY_PLANNED, data=activity_webhook_payload(activity)
    )
    return len(deliveries)


@transaction.atomic
def activity_plan(
    *,
    year: int,
    quarter: int,
    kind: str,
    title_en: str = "",
    title_ru: str = "",
    description_en: str = "",
    description_ru: str = "",
    countries: Iterable[str] = (),
    topics: Iterable = (),
    by,
) -> Activity:
    """Plan an activity of `year`'s programme for `quarter`: audited, and announced to
    partners' webhooks if that programme is published. One transaction (not durable)."""
    if not title_en.strip() and not title_ru.strip():
        raise AnswerRefused(_("Give the activity a title in English or in Russian."))
    activity = Activity.objects.create(
        year=year,
        quarter=quarter,
        kind=kind,
        title_en=title_en.strip(),
        title_ru=title_ru.strip(),
        description_en=description_en,
        description_ru=description_ru,
        countries=sorted(set(countries)),
        status=ActivityStatus.PLANNED,
    )
    activity.topics.set(list(topics))
    audit_record(actor=by, action=AuditAction.CREATE, obj=activity, after=audit_snapshot(activity))
    activity_announce(activity=activity)
    return activity


@transaction.atomic
def activity_link(
    *,
    activity: Activity,
    event=None,
    document=None,
    case=None,
    status: str | None = None,
    by,
) -> Activity:
    """Record what an activity became (an event, a document, a case: those given replace the
    links it had, those left None stay) and, if given, its status. Audited; an activity planned
    again after a cancellation is announced as planned. One transaction (not durable)."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    before = audit_snapshot(locked)
    was = locked.status
    if event is not None:
        locked.event = event
    if document is not None:
        locked.document = document
    if case is not None:
        locked.case = case
    if status is not None:
        if status not in ActivityStatus.values:
            raise AnswerRefused({"status": _("Choose a known status.")})
        locked.status = status
    locked.save()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=locked,
        before=before,
        after=audit_snapshot(locked),
    )
    if was != ActivityStatus.PLANNED and locked.status == ActivityStatus.PLANNED:
        activity_announce(activity=locked)
    return locked


@transaction.atomic
def programme_publish(*, call: Call, by) -> int:
    """Publish the programme of `call`'s year: its page and proposals become public, and each
    planned activity of the year is announced to partners' webhooks. Publishing a published
    programme does nothing. Returns how many activities were announced."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.programme_published:
        return 0
    before = audit_snapshot(locked)
    locked.programme_published = True
    locked.save(update_fields=["programme_published"])
    audit_record(
        actor=by,
        action=AuditAction.PUBLISH,
        obj=locked,
        before=before,
        after=audit_snapshot(locked),
    )
    call.programme_published = True
    announced = 0
    planned = Activity.objects.filter(year=locked.year, status=ActivityStatus.PLANNED)
    for activity in planned.prefetch_related("topics"):
        announced += activity_announce(activity=activity)
    return announced
