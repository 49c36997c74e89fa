"""Every write on the expert roster and on members' requests for an expert."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User
from members.notices import notices_expert_request_received
from members.permissions import is_member
from members.roster.enums import EXPERT_REQUEST_TRANSITIONS, ExpertRequestStatus
from members.roster.models import Expert, ExpertLink, ExpertRequest, ExpertRequestNote
from mirpal.fragments import data_changed
from mirpal.mail import mail_render
from mirpal.models import Topic
from mirpal.outbox import outbox_enqueue


class ExpertRequestError(Exception):
    """A change that the request's current state, or the person asking, does not allow."""


EXPERT_FIELDS = (
    "name_en",
    "name_ru",
    "photo",
    "title_en",
    "title_ru",
    "affiliation_en",
    "affiliation_ru",
    "bio_en",
    "bio_ru",
    "countries",
    "languages",
    "help_kinds",
    "contact_email",
    "contact_phone",
    "contact_notes",
    "user",
    "is_listed",
)


def topics_resolve(topics: Iterable[Topic | str], *, field: str = "topics") -> list[Topic]:
    """Topics given as objects or slugs; an unknown slug is a ValidationError naming it."""
    topics = list(topics)
    slugs = {topic for topic in topics if isinstance(topic, str)}
    found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=slugs)} if slugs else {}
    unknown = sorted(slugs - set(found))
    if unknown:
        raise ValidationError(
            {field: _("Unknown topic: %(slugs)s.") % {"slugs": ", ".join(unknown)}},
            code="unknown_topic",
        )
    return [found[topic] if isinstance(topic, str) else topic for topic in topics]


def _links_build(links: Sequence[tuple[str, str]]) -> list[ExpertLink]:
    """Validated link rows, built before anything is saved so a bad link saves nothing."""
    rows = [
        ExpertLink(label=label, url=url, position=index) for index, (label, url) in enumerate(links)
    ]
    for row in rows:
        row.full_clean(exclude=["expert"])
    return rows


def _links_replace(expert: Expert, rows: list[ExpertLink]) -> None:
    expert.links.all().delete()
    for row in rows:
        row.expert = expert
    ExpertLink.objects.bulk_create(rows)
    data_changed("roster")  # bulk_create sends no post_save


@transaction.atomic(durable=True)
def expert_create(
    *, topics: Iterable[Topic | str] = (), links: Sequence[tuple[str, str]] = (), **fields
) -> Expert:
    """Add an expert to the roster with their topics and public links, all or nothing.

    Raises ValidationError for a bad photo (too large, not an image), an unknown topic or any
    invalid field; nothing is saved then, the photo file included.
    """
    unknown = set(fields) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"unknown expert fields: {sorted(unknown)}")
    resolved = topics_resolve(topics)
    link_rows = _links_build(links)
    expert = Expert(**fields)
    expert.full_clean()
    expert.save()
    expert.topics.set(resolved)
    _links_replace(expert, link_rows)
    return expert


@transaction.atomic(durable=True)
def expert_update(
    *,
    expert: Expert,
    topics: Iterable[Topic | str] | None = None,
    links: Sequence[tuple[str, str]] | None = None,
    **fields,
) -> Expert:
    """Change an expert's record; validation as for expert_create, all or nothing."""
    unknown = set(fields) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"unknown expert fields: {sorted(unknown)}")
    resolved = topics_resolve(topics) if topics is not None else None
    link_rows = _links_build(links) if links is not None else None
    for name, value in fields.items():
        setattr(expert, name, value)
    expert.full_clean()
    expert.save()
    if resolved is not None:
        expert.topics.set(resolved)
    if link_rows is not None:
        _links_replace(expert, link_rows)
    return expert


def _dates_check(starts_on: datetime.date, ends_on: datetime.date) -> None:
    errors = {}
    if starts_on < timezone.localdate():
        errors["starts_on"] = _("The dates cannot be in the past.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date cannot be before the start date.")
    if errors:
        raise ValidationError(errors, code="bad_dates")


@transaction.atomic(durable=True)
def expert_request_create(
    *,
    requester: User,
    topic: Topic | str,
    countries: Iterable[str],
    language: str,
    help_kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    purpose: str,
) -> ExpertRequest:
    """An approved member asks the secretariat for an expert; the request starts as "new".

    One transaction: the request, its first history row, the acknowledgement mail to the
    requester (in their mail language) and the notices to the handlers who want them at once
    (members.notices) commit together. Raises ExpertRequestError if the
    requester is not an approved member, ValidationError for an unknown topic, dates in the past,
    an end before the start or any other invalid field.
    """
    if not is_member(requester):
        raise ExpertRequestError("only approved members may ask for an expert")
    (resolved,) = topics_resolve([topic], field="topic")
    _dates_check(starts_on, ends_on)
    request = ExpertRequest(
        requester=requester,
        topic=resolved,
        countries=list(countries),
        language=language,
        help_kind=help_kind,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose.strip(),
    )
    request.full_clean()
    request.save()
    step = ExpertRequestNote.objects.create(
        request=request, from_status="", to_status=ExpertRequestStatus.NEW, author=requester
    )
    outbox_enqueue([_request_mail(request, step, template="expert_request_received")])
    notices_expert_request_received(request=request)
    return request


def expert_request_transition(
    *,
    request: ExpertRequest,
    to_status: str,
    by: User | None,
    note: str = "",
    expert: Expert | None = None,
) -> ExpertRequestNote:
    """Move a request to another state, record the step with its note and mail the requester.

    Matching needs an expert (the one given, or the one already matched when the request goes
    from matched to done). The row is locked first, so two staff acting at once cannot both move
    it from a stale state. The state, the history row and the mail commit together. Raises
    ExpertRequestError when the current state does not allow the change.
    """
    with transaction.atomic(durable=True):
        locked = (
            ExpertRequest.objects.select_for_update(of=("self",))
            .select_related("requester__profile", "topic")
            .get(pk=request.pk)
        )
        if to_status not in EXPERT_REQUEST_TRANSITIONS.get(locked.status, ()):
            raise ExpertRequestError(f"cannot move a {locked.status} request to {to_status}")
        if to_status == ExpertRequestStatus.MATCHED:
            if expert is None:
                raise ExpertRequestError("choose the expert to match this request with")
            locked.matched_expert = expert
        elif to_status == ExpertRequestStatus.IN_REVIEW:
            locked.matched_expert = None
        step = ExpertRequestNote.objects.create(
            request=locked,
            from_status=locked.status,
            to_status=to_status,
            note=note.strip(),
            expert=locked.matched_expert,
            author=by,
        )
        locked.status = to_status
        locked.save(update_fields=["status", "matched_expert", "updated_at"])
        outbox_enqueue([_request_mail(locked, step, template="expert_request_changed")])
    request.status = locked.status
    request.matched_expert = locked.matched_expert
    return step


@transaction.atomic(durable=True)
def expert_request_note_add(*, request: ExpertRequest, by: User, note: str) -> ExpertRequestNote:
    """Keep an internal note on a request; the requester neither sees nor is mailed it."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write the note first.")}, code="empty_note")
    return ExpertRequestNote.objects.create(request=request, note=note, internal=True, author=by)


def _request_mail(request: ExpertRequest, step: ExpertRequestNote, *, template: str):
    user = request.requester
    profile = getattr(user, "profile", None)
    language = profile.mail_language if profile is not None else settings.LANGUAGE_CODE
    return mail_render(
        template=template,
        context={
            "name": user.get_full_name() or user.email,
            "request": request,
            "status": step.to_status,
            "status_label": ExpertRequestStatus(step.to_status).label,
            "note": step.note,
            "expert": step.expert,
            "request_url": settings.SITE_URL
            + reverse("members:expert_request_detail", args=[request.pk]),
        },
        language=language,
        key=f"expert-request:{request.pk}:step:{step.pk}",
        kind="expert_request",
        to_email=user.email,
        recipient_id=user.pk,
    )
