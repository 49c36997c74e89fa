"""Messages from the secretariat to members: news, calls for papers.

A message goes through the outbox like every other mail: one row per member under the key
f"news:{message.pk}:{user.pk}", written in the transaction that records the message, rendered in
the member's mail language, for members who have not turned news off, with the one-click
unsubscribe headers, and not sent to anyone whose membership ends before it leaves.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from events.mailings import Audience, AudienceKind, audience_members
from members.enums import OrganisationType
from members.models import User
from mirpal.audit import audit_record, audit_snapshot
from mirpal.countries import Country
from mirpal.mail import mail_render
from mirpal.models import AuditAction, MailKind, Message, Topic
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import unsubscribe_headers, unsubscribe_url, users_wanting

KIND_NEWS = "news"


def message_key(message: Message, user_id: int) -> str:
    return f"news:{message.pk}:{user_id}"


def message_mail(*, message: Message, user: User, language: str | None = None) -> Mail:
    """The mail one member gets, in their mail language unless `language` is given (previews)."""
    language = language or user.profile.mail_language
    body = message.body_ru if language == "ru" else message.body_en
    subject = message.subject_ru if language == "ru" else message.subject_en
    mail = mail_render(
        template="news",
        context={
            "name": user.get_full_name() or user.email,
            "subject": subject,
            "body": body,
            "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=MailKind.NEWS),
            "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
        },
        language=language,
        key=message_key(message, user.pk),
        kind=KIND_NEWS,
        to_email=user.email,
        recipient_id=user.pk,
        headers=unsubscribe_headers(user_id=user.pk, kind=MailKind.NEWS),
    )
    return replace(mail, members_only=True)


def audience_describe(audience: dict) -> str:
    """The audience a message went to, in words: "Members from one country: Kazakhstan"."""
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


def message_recipient_ids(*, audience: Audience) -> set[int]:
    """Approved members of the audience who accept news from the secretariat."""
    return users_wanting(kind=MailKind.NEWS, user_ids=audience_members(audience))


@transaction.atomic
def message_send(
    *,
    token: uuid.UUID,
    subject_en: str,
    subject_ru: str,
    body_en: str,
    body_ru: str,
    audience: Audience,
    by: User | None,
) -> Message:
    """Record the message and queue one mail per member of the audience, in one transaction.

    Idempotent: the token comes from the form, so the same form sent twice returns the message
    already recorded and queues nothing new (the outbox keys are unique too). The mails leave
    after the commit. The audit log notes who sent it and to how many.
    """
    existing = Message.objects.filter(token=token).first()
    if existing is not None:
        return existing
    message = Message.objects.create(
        token=token,
        subject_en=subject_en.strip(),
        subject_ru=subject_ru.strip(),
        body_en=body_en.strip(),
        body_ru=body_ru.strip(),
        audience=asdict(audience),
        sent_by=by,
    )
    recipients = User.objects.filter(
        pk__in=sorted(message_recipient_ids(audience=audience))
    ).select_related("profile")
    written = outbox_enqueue([message_mail(message=message, user=user) for user in recipients])
    message.recipients_count = len(written)
    message.save(update_fields=["recipients_count"])
    audit_record(actor=by, action=AuditAction.SEND, obj=message, after=audit_snapshot(message))
    return message
