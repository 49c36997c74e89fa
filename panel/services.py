"""Messages from the secretariat to members: news, calls for papers.

A message goes through the outbox like every other mail: one row per member under the key
f"news:{message.pk}:{user.pk}", written by a worker after the transaction that records the message
and whom it goes to (mirpal.mailruns), rendered in the member's mail language, for members who
have not turned news off, with the one-click unsubscribe headers, and not sent to anyone whose
membership ends before it leaves.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events.audiences import Audience, audience_members
from members.models import User
from mirpal.audit import audit_record, audit_snapshot
from mirpal.enums import MailKind
from mirpal.mail import mail_render
from mirpal.mailruns import MailCounts, mail_counts, run_dispatch, run_write
from mirpal.models import AuditAction, Message
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


def message_recipient_ids(*, audience: Audience) -> set[int]:
    """Approved members of the audience who accept news from the secretariat."""
    return users_wanting(kind=MailKind.NEWS, user_ids=audience_members(audience))


@transaction.atomic(durable=True)
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
    """Record the message and whom it goes to; a worker writes their mails (mirpal.mailruns).

    One transaction of its own (durable: never run inside another) and a constant number of
    queries whatever the audience's size: the members are fixed now, and the writing (one outbox
    row per member, in their mail language) is queued after the commit. Idempotent: the token
    comes from the form, so the same form sent twice, even at the same moment, returns the message
    already recorded and queues nothing new (the outbox keys are unique too). The audit log notes
    who sent it and to how many.
    """
    existing = Message.objects.filter(token=token).first()
    if existing is not None:
        return existing
    recipient_ids = sorted(message_recipient_ids(audience=audience))
    try:
        with transaction.atomic():
            message = Message.objects.create(
                token=token,
                subject_en=subject_en.strip(),
                subject_ru=subject_ru.strip(),
                body_en=body_en.strip(),
                body_ru=body_ru.strip(),
                audience=asdict(audience),
                sent_by=by,
                recipient_ids=recipient_ids,
                recipients_count=len(recipient_ids),
                queued_at=timezone.now(),
            )
    except IntegrityError:
        return Message.objects.get(token=token)
    snapshot = audit_snapshot(message)
    del snapshot["recipient_ids"]
    audit_record(actor=by, action=AuditAction.SEND, obj=message, after=snapshot)
    transaction.on_commit(partial(message_dispatch, message_id=message.pk))
    return message


def message_dispatch(*, message_id: int) -> bool:
    # Imported here: panel.tasks imports this module for message_write.
    from panel.tasks import message_write_task

    return run_dispatch(runs=Message.objects, task=message_write_task, run_id=message_id)


def message_write(*, message_id: int) -> bool:
    """Write the message's mails chunk by chunk for a while; True if some remain, for the task to
    queue it again. A re-run resumes where the last one committed and mails nobody twice."""

    def write(message: Message, user_ids: list[int]) -> None:
        recipients = User.objects.filter(pk__in=user_ids).select_related("profile").order_by("pk")
        outbox_enqueue([message_mail(message=message, user=user) for user in recipients])

    return run_write(runs=Message.objects, run_id=message_id, write=write)


def message_mail_counts(*, message: Message) -> MailCounts:
    return mail_counts(kind=KIND_NEWS, key_prefix=f"news:{message.pk}:")
