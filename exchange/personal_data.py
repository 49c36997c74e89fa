"""The peer exchange's part of a person's data (mirpal.personal_data).

The download holds the threads they started, their answers and replies, the "this helped me"
marks they gave, what they follow, the posts they reported and the experts they invited.

Closing the account keeps what they wrote in the discussions, so that the questions and answers
others rely on still make sense, but detaches it: no author (pages show "a former member"), and
their names and addresses taken out of the text, of the earlier versions kept by edits and of
other members' mentions of them. Their marks and follows are deleted (the counters follow);
their reports stay in the moderation record without their name.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F, Q

from exchange.enums import Moderation
from exchange.markup import MENTION, markdown_render
from exchange.models import Attachment, Edit, ExpertInvitation, Flag, Follow, Helpful, Post, Thread
from mirpal.enums import MailKind
from mirpal.fragments import data_changed
from mirpal.models import OutboxMessage
from mirpal.personal_data import ERASED, DataSubject, choice, export_value, personal_data_register


def _thread(thread: Thread) -> dict:
    return {"title": thread.title, "address": thread.get_absolute_url()}


def _attachments(owner) -> list[dict]:
    return [{"name": item.name, "size": item.size} for item in owner.attachments.all()]


def _exchange_export(user) -> dict:
    threads = (
        Thread.objects.filter(author=user)
        .prefetch_related("topics", "attachments")
        .order_by("created_at", "pk")
    )
    posts = (
        Post.objects.filter(author=user)
        .select_related("thread")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    marks = Helpful.objects.filter(user=user).select_related("post__thread").order_by("created_at")
    follows = Follow.objects.filter(user=user).select_related("topic", "thread")
    flags = (
        Flag.objects.filter(flagged_by=user)
        .select_related("thread", "post__thread")
        .order_by("created_at", "pk")
    )
    invitations = (
        ExpertInvitation.objects.filter(invited_by=user)
        .select_related("thread", "expert")
        .order_by("created_at", "pk")
    )
    return {
        "threads": [
            {
                **_thread(thread),
                "kind": choice(thread.kind, thread.get_kind_display()),
                "written_in": thread.language,
                "visibility": choice(thread.visibility, thread.get_visibility_display()),
                "state": choice(thread.state, thread.get_state_display()),
                "topics": [topic.name for topic in thread.topics.all()],
                "countries": thread.countries,
                "text": thread.body,
                "attachments": _attachments(thread),
                "created_at": export_value(thread.created_at),
                "edited_at": export_value(thread.edited_at),
            }
            for thread in threads
        ],
        "answers_and_replies": [
            {
                "thread": _thread(post.thread),
                "address": post.get_absolute_url(),
                "reply": post.parent_id is not None,
                "written_in": post.language,
                "state": choice(post.state, post.get_state_display()),
                "text": post.body,
                "attachments": _attachments(post),
                "helped_me_marks": post.helpful_count,
                "marked_as_the_answer": post.thread.accepted_answer_id == post.pk,
                "created_at": export_value(post.created_at),
                "edited_at": export_value(post.edited_at),
            }
            for post in posts
        ],
        "helped_me": [
            {
                "thread": _thread(mark.post.thread),
                "answer": mark.post.get_absolute_url(),
                "date": export_value(mark.created_at),
            }
            for mark in marks
        ],
        "follows": [
            {
                "topic": follow.topic.name if follow.topic_id else None,
                "country": choice(follow.country, follow.get_country_display()),
                "thread": _thread(follow.thread) if follow.thread_id else None,
                "since": export_value(follow.created_at),
            }
            for follow in sorted(follows, key=lambda follow: (follow.created_at, follow.pk))
        ],
        "reports": [
            {
                "thread": _thread(flag.thread or flag.post.thread),
                "answer": flag.post.get_absolute_url() if flag.post_id else None,
                "reason": choice(flag.reason, flag.get_reason_display()),
                "note": flag.note,
                "outcome": choice(flag.outcome, flag.get_outcome_display()),
                "date": export_value(flag.created_at),
            }
            for flag in flags
        ],
        "expert_invitations": [
            {
                "thread": _thread(invitation.thread),
                "expert": invitation.expert.name,
                "date": export_value(invitation.created_at),
            }
            for invitation in invitations
        ],
    }


def text_unname(text: str, subject: DataSubject) -> str:
    """`text` without the person: mentions of them become ERASED, and so do their addresses
    and names, as whole words only, so that a short name never cuts into another word."""
    pk = str(subject.user.pk)
    text = MENTION.sub(
        lambda match: ERASED if match["kind"] == "member" and match["pk"] == pk else match[0],
        text or "",
    )
    for needle in subject.needles():
        text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
    return text


def _exchange_erase(subject: DataSubject) -> None:
    user = subject.user
    mention = f"(member:{user.pk})"
    # Their marks go: the answers' and threads' counters lose them, as when a mark is taken back.
    marks = Helpful.objects.filter(user=user).select_related("post")
    marked_posts = [mark.post_id for mark in marks]
    counted_threads = [
        mark.post.thread_id
        for mark in marks
        if mark.post.parent_id is None and mark.post.state == Moderation.PUBLISHED
    ]
    Helpful.objects.filter(user=user).delete()
    for post_id in marked_posts:
        Post.objects.filter(pk=post_id, helpful_count__gt=0).update(
            helpful_count=F("helpful_count") - 1
        )
    for thread_id in counted_threads:
        Thread.objects.filter(pk=thread_id, helpful_count__gt=0).update(
            helpful_count=F("helpful_count") - 1
        )
    Follow.objects.filter(user=user).delete()
    ExpertInvitation.objects.filter(invited_by=user).update(invited_by=None)

    threads = list(
        Thread.objects.select_for_update().filter(Q(author=user) | Q(body__contains=mention))
    )
    for thread in threads:
        if thread.author_id == user.pk:
            thread.title = text_unname(thread.title, subject)
            thread.author = None
        thread.body = text_unname(thread.body, subject)
        thread.body_html = markdown_render(thread.body)
    Thread.objects.bulk_update(threads, ["title", "body", "body_html", "author"])
    posts = list(
        Post.objects.select_for_update().filter(Q(author=user) | Q(body__contains=mention))
    )
    for post in posts:
        post.body = text_unname(post.body, subject)
        post.body_html = markdown_render(post.body)
        if post.author_id == user.pk:
            post.author = None
    Post.objects.bulk_update(posts, ["body", "body_html", "author"], batch_size=500)
    attachments = list(Attachment.objects.filter(Q(thread__in=threads) | Q(post__in=posts)))
    for attachment in attachments:
        attachment.name = text_unname(attachment.name, subject)
    Attachment.objects.bulk_update(attachments, ["name"])

    # What an edit kept of an earlier version names them as the version itself did.
    edits = list(
        Edit.objects.filter(
            Q(thread__in=threads) | Q(post__in=posts) | Q(body_before__contains=mention)
        )
    )
    for edit in edits:
        edit.title_before = text_unname(edit.title_before, subject)
        edit.body_before = text_unname(edit.body_before, subject)
        edit.reason = text_unname(edit.reason, subject)
    Edit.objects.bulk_update(edits, ["title_before", "body_before", "reason"])
    Edit.objects.filter(edited_by=user).update(edited_by=None)

    flags = list(Flag.objects.filter(flagged_by=user))
    for flag in flags:
        flag.note = text_unname(flag.note, subject)
        flag.flagged_by = None
    Flag.objects.bulk_update(flags, ["note", "flagged_by"])
    _mail_unname(subject)
    subject.about([*threads, *posts, *flags, *edits])
    # Bulk updates send no signal; the cached lists show who wrote what.
    transaction.on_commit(lambda: data_changed("exchange"))


def _mail_unname(subject: DataSubject) -> None:
    """The discussion mail sent to others (and digests) quoted what they wrote under their name:
    the copies the outbox keeps lose it as the posts do. Mail to the person is the ground's."""
    found = Q(pk__in=[])
    for needle in subject.needles():
        found |= (
            Q(subject__icontains=needle)
            | Q(body_text__icontains=needle)
            | Q(body_html__icontains=needle)
        )
    rows = list(
        OutboxMessage.objects.filter(Q(kind__startswith="exchange_") | Q(kind=MailKind.DIGEST))
        .filter(found)
        .exclude(recipient=subject.user)
        .only("pk", "subject", "body_text", "body_html")
    )
    for row in rows:
        row.subject = text_unname(row.subject, subject)
        row.body_text = text_unname(row.body_text, subject)
        row.body_html = text_unname(row.body_html, subject)
    OutboxMessage.objects.bulk_update(rows, ["subject", "body_text", "body_html"], batch_size=500)


def personal_data_register_exchange() -> None:
    personal_data_register("exchange", export=_exchange_export, erase=_exchange_erase, position=45)
