"""Every write of good-practice cases: a member proposes one, edits it while it awaits review or
after the secretariat asked for changes (which sends it back for review), and the secretariat
asks for changes, publishes or declines it.

Each service is one transaction (not durable: the admin calls them inside its own request
transaction) that locks the case first, writes its audit entry and its mail to the proposer
through the outbox (in the proposer's mail language, keyed by the step's audit entry, so a step
mails once), and, when a public case is published, the partners' webhook deliveries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mirpal.audit import audit_record, audit_snapshot
from mirpal.enums import WebhookTopic
from mirpal.mail import mail_render
from mirpal.models import AuditAction, AuditEntry
from mirpal.outbox import outbox_enqueue
from mirpal.webhooks import webhooks_notify
from practices.enums import ReviewState, Visibility
from practices.models import CASE_TEXT_FIELDS, Case
from practices.notices import case_review_notice
from practices.payloads import case_webhook_payload
from practices.visibility import can_propose, can_review


class CaseReviewError(Exception):
    """A step the case's review state, or the person taking it, does not allow."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# The columns a proposer or a reviewer writes; the review columns change only through the steps.
CASE_FIELDS = frozenset(
    [f"{name}_{language}" for name in CASE_TEXT_FIELDS for language in ("en", "ru")]
    + ["countries", "year_from", "year_to", "status", "visibility"]
)
CASE_RELATIONS = frozenset(
    ["topics", "contact_members", "contact_experts", "documents", "events", "threads"]
)
# What a member may attach on the site; documents, events and discussions are the secretariat's.
PROPOSER_RELATIONS = frozenset(["topics", "contact_members", "contact_experts"])

# The states a case waits for the secretariat in, and the proposer may still change it in.
OPEN_STATES = frozenset([ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED])

# Paths of the practices pages that a slug must not take.
RESERVED_SLUGS = frozenset(["propose", "mine", "compare", "collections"])

MAIL_KIND = "practices_review"

_CYRILLIC = {
    **dict(
        zip("абвгдезийклмнопрстуфыэіўғқңөұүһә", "abvgdeziyklmnoprstufyeiugknouuha", strict=True)
    ),
    **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu"},
    **{"я": "ya", "ї": "i", "є": "e", "ъ": "", "ь": ""},
}


def _transliterate(text: str) -> str:
    return "".join(_CYRILLIC.get(char.lower(), char) for char in text)


def case_slug(*, title: str, exclude_pk: int | None = None) -> str:
    """A readable, unique slug from the title (a Russian title transliterated), never one of
    the section's own paths."""
    base = slugify(_transliterate(title))[:80].strip("-") or "case"
    if base in RESERVED_SLUGS:
        base = f"{base}-case"
    taken = set(
        Case.objects.exclude(pk=exclude_pk)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _split(data: dict, *, allowed_relations: frozenset) -> tuple[dict, dict]:
    unknown = set(data) - CASE_FIELDS - allowed_relations
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    fields = {name: value for name, value in data.items() if name in CASE_FIELDS}
    relations = {name: list(value) for name, value in data.items() if name in allowed_relations}
    for name in ("countries",):
        if name in fields:
            fields[name] = sorted(set(fields[name]))
    return fields, relations


def _texts_clean(fields: dict) -> dict:
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }


def _relations_set(case: Case, relations: dict) -> None:
    for name, values in relations.items():
        getattr(case, name).set(values)


def case_audit_state(case: Case) -> dict:
    """The audit snapshot of a case, with its relations by id."""
    state = audit_snapshot(case)
    for name in sorted(CASE_RELATIONS):
        state[name] = sorted(getattr(case, name).values_list("pk", flat=True)) if case.pk else []
    return state


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _copy_back(*, source: Case, target: Case) -> None:
    if source is target:
        return
    for field in Case._meta.concrete_fields:
        if field.name != "search_vector":
            setattr(target, field.attname, getattr(source, field.attname))


def _proposer_mail(case: Case, *, step: str, entry: AuditEntry) -> list[int]:
    """The proposer's mail about this step, in their mail language, once (keyed by the step's
    audit entry). An account gone or closed is not mailed."""
    user = case.proposed_by
    if user is None or not user.is_active or not user.email:
        return []
    profile = getattr(user, "profile", None)
    language = profile.mail_language if profile is not None else settings.LANGUAGE_CODE
    mail = mail_render(
        template=f"practices/case_{step}",
        context={
            "name": user.get_full_name() or user.email,
            "case": case,
            "note": case.review_note,
            "resubmitted": step == "received" and entry.action == AuditAction.CHANGE,
            "public": case.visibility == Visibility.PUBLIC,
            "case_url": settings.SITE_URL + case.get_absolute_url(),
            "edit_url": settings.SITE_URL + reverse("practices:edit", args=[case.slug]),
            "mine_url": settings.SITE_URL + reverse("practices:mine"),
            "LANGUAGE_CODE": language,
        },
        language=language,
        key=f"practices:case:{case.pk}:{step}:{entry.pk}",
        kind=MAIL_KIND,
        to_email=user.email,
        recipient_id=user.pk,
    )
    return outbox_enqueue([mail])


def _validated(case: Case) -> None:
    """The model's checks (both titles empty, years out of order, no country…) as a
    ValidationError keyed by field."""
    case.full_clean(exclude=["search_vector"])


@transaction.atomic
def case_propose(*, by, acknowledge: bool = True, **data) -> Case:
    """A member proposes a case: it waits for the secretariat's review (SUBMITTED).

    `data` holds the case's columns (CASE_FIELDS) and its topics and contacts. The slug comes
    from the title. One transaction: the case, its relations, the audit entry and (unless
    `acknowledge` is False, as when the secretariat enters a case in the admin) the proposer's
    "received" mail. Raises PermissionDenied for someone who may not propose, ValidationError for
    an invalid case (no title, no country, years out of order…)."""
    if not (can_propose(by) or can_review(by)):
        raise PermissionDenied
    fields, relations = _split(data, allowed_relations=CASE_RELATIONS)
    case = Case(**_texts_clean(fields), proposed_by=by, review_state=ReviewState.SUBMITTED)
    case.slug = case_slug(title=case.title_en or case.title_ru)
    _validated(case)
    case.save()
    _relations_set(case, relations)
    entry = audit_record(
        actor=by, action=AuditAction.CREATE, obj=case, after=case_audit_state(case)
    )
    if acknowledge:
        _proposer_mail(case, step="received", entry=entry)
        case_review_notice(case)
    return case


def may_edit(*, case: Case, user) -> bool:
    """Reviewers change any case; its proposer changes it while it waits for review."""
    if not user.is_authenticated:
        return False
    if can_review(user):
        return True
    return case.proposed_by_id == user.pk and case.review_state in OPEN_STATES


@transaction.atomic
def case_update(*, case: Case, by, **data) -> Case:
    """Change a case's texts, facts and relations, as its proposer (on the site) or a reviewer
    (on the site or in the admin).

    The proposer may change it only while it awaits review or changes were asked for, and not
    its documents, events or discussions; their edit of a case with changes requested sends it
    back for review (SUBMITTED, a new submission time) and mails them that it was received. A
    reviewer's edit changes no state; a published case they make public is announced to the
    partners then. Raises PermissionDenied or CaseReviewError when the person or the state does
    not allow it, ValidationError for an invalid case; nothing is saved then."""
    locked = _lock(case)
    proposer = by is not None and locked.proposed_by_id == by.pk
    reviewer = can_review(by)
    if not (proposer or reviewer):
        raise PermissionDenied
    if not reviewer and locked.review_state not in OPEN_STATES:
        raise CaseReviewError(
            _("This case is no longer open to changes. Write to the secretariat to change it.")
        )
    fields, relations = _split(
        data, allowed_relations=CASE_RELATIONS if reviewer else PROPOSER_RELATIONS
    )
    before = case_audit_state(locked)
    was_public = locked.is_public
    for name, value in _texts_clean(fields).items():
        setattr(locked, name, value)
    resubmitted = proposer and locked.review_state == ReviewState.CHANGES_REQUESTED
    if resubmitted:
        locked.review_state = ReviewState.SUBMITTED
        locked.submitted_at = timezone.now()
    _validated(locked)
    locked.save()
    _relations_set(locked, relations)
    entry = audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=locked,
        before=before,
        after=case_audit_state(locked),
    )
    if resubmitted:
        _proposer_mail(locked, step="received", entry=entry)
    if locked.is_public and not was_public:
        webhooks_notify(topic=WebhookTopic.CASE_PUBLISHED, data=case_webhook_payload(locked))
    _copy_back(source=locked, target=case)
    return case


def _review_step(*, case: Case, by, to_state: str, note: str, action: str, step: str) -> Case:
    if not can_review(by):
        raise PermissionDenied
    locked = _lock(case)
    if locked.review_state not in OPEN_STATES:
        raise CaseReviewError(
            _("Only a case awaiting review can be reviewed; this one is “%(state)s”.")
            % {"state": locked.get_review_state_display()}
        )
    before = case_audit_state(locked)
    locked.review_state = to_state
    locked.review_note = note
    if to_state == ReviewState.PUBLISHED:
        locked.published_at = timezone.now()
    locked.save()
    entry = audit_record(
        actor=by, action=action, obj=locked, before=before, after=case_audit_state(locked)
    )
    _proposer_mail(locked, step=step, entry=entry)
    if locked.is_public:
        webhooks_notify(topic=WebhookTopic.CASE_PUBLISHED, data=case_webhook_payload(locked))
    _copy_back(source=locked, target=case)
    return case


def _note_required(note: str, message) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message}, code="note_required")
    return note


@transaction.atomic
def case_request_changes(*, case: Case, note: str, by) -> Case:
    """Send a case awaiting review back to its proposer with what to change (the note, which
    is required); they are mailed it and edit the case, which resubmits it."""
    note = _note_required(note, _("Say what the proposer should change."))
    return _review_step(
        case=case,
        by=by,
        to_state=ReviewState.CHANGES_REQUESTED,
        note=note,
        action=AuditAction.CHANGE,
        step="changes",
    )


@transaction.atomic
def case_publish(*, case: Case, by, note: str = "") -> Case:
    """Publish a case awaiting review (or with changes requested): it gets its publication
    time, the proposer is mailed (with the optional note), and partners subscribed to
    case.published are told of it if it is public (a members-only case notifies no one)."""
    return _review_step(
        case=case,
        by=by,
        to_state=ReviewState.PUBLISHED,
        note=(note or "").strip(),
        action=AuditAction.PUBLISH,
        step="published",
    )


@transaction.atomic
def case_decline(*, case: Case, reason: str, by) -> Case:
    """Decline a case awaiting review, with the reason (required) the proposer is mailed."""
    reason = _note_required(reason, _("Give the proposer the reason for declining."))
    return _review_step(
        case=case,
        by=by,
        to_state=ReviewState.DECLINED,
        note=reason,
        action=AuditAction.REJECT,
        step="declined",
    )


def cases_publish_bulk(*, cases: Iterable[Case], by) -> tuple[list[Case], list[Case]]:
    """Publish each case in its own savepoint; returns (published, skipped by their state)."""
    published, skipped = [], []
    for case in cases:
        try:
            published.append(case_publish(case=case, by=by))
        except CaseReviewError:
            skipped.append(case)
    return published, skipped
