"""Every write of the peer exchange's members: asking, answering, replying, marking the answer
that helped, "this helped me", editing what one wrote, and the files that come with it.

Each service is one transaction. The rules are checked here, whatever door the call came
through: who may write (exchange.permissions), the hourly limit, the review of a new member's
first posts, a locked or hidden thread. The mails go through exchange.notify, inside the
transaction (the outbox sends them after the commit).
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exchange.enums import AttachmentKind, Moderation
from exchange.errors import ExchangeError, PostingTooFast, ThreadClosed
from exchange.follows import thread_follow
from exchange.markup import language_guess, markdown_render
from exchange.models import Attachment, Edit, Helpful, Post, Thread
from exchange.notify import post_published_notify, thread_published_notify
from exchange.permissions import can_moderate, can_write
from exchange.visibility import Access, may_edit, post_is_visible, thread_access
from library.pdf import image_inspect, pdf_inspect
from mirpal.fragments import data_changed

# --- Attachments: PDFs through the library's content checks, pictures through Pillow's.

IMAGE_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    kind: str
    extension: str
    name: str
    size: int


def _looks_like_pdf(upload) -> bool:
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".pdf") or getattr(upload, "content_type", "") == "application/pdf":
        return True
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return b"%PDF-" in head


def attachment_inspect(upload) -> CheckedFile:
    """Check one upload by its content: a readable PDF (library.pdf.pdf_inspect, whatever its
    name) or a JPEG, PNG or WebP picture, within the library's size limit. Raises
    ValidationError with a message for the member."""
    name = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/"))[-200:]
    if _looks_like_pdf(upload):
        info = pdf_inspect(upload)
        return CheckedFile(upload, AttachmentKind.PDF, "pdf", name or "document.pdf", info.size)
    try:
        extension = image_inspect(upload)
    except ValidationError as error:
        if {getattr(item, "code", None) for item in error.error_list} & {
            "image_format",
            "not_image",
        }:
            raise ValidationError(
                _(
                    "“%(name)s” is neither a PDF nor a picture we can read. Attach a PDF "
                    "document or a JPEG, PNG or WebP picture."
                ),
                code="not_attachable",
                params={"name": name},
            ) from error
        raise
    return CheckedFile(upload, AttachmentKind.IMAGE, extension, name or "picture", upload.size)


def attachments_inspect(files: Sequence) -> list[CheckedFile]:
    """Check every file before any is stored: all of them are taken, or none."""
    limit = settings.EXCHANGE_MAX_ATTACHMENTS
    if len(files) > limit:
        raise ValidationError(
            ngettext("Attach at most %(limit)d file.", "Attach at most %(limit)d files.", limit)
            % {"limit": limit},
            code="too_many",
        )
    return [attachment_inspect(upload) for upload in files]


def _attachments_store(checked: Iterable[CheckedFile], *, thread=None, post=None) -> None:
    for item in checked:
        attachment = Attachment(
            thread=thread, post=post, kind=item.kind, name=item.name, size=item.size
        )
        item.upload.seek(0)
        # The uploaded name is never a path in the storage: a generated one cannot collide,
        # be guessed or carry a path; the member's name for it is kept in `name`.
        attachment.file.save(f"{uuid.uuid4().hex}.{item.extension}", item.upload, save=False)
        attachment.save()


# --- The rules every new thread and post passes.


def _pace_check(author) -> None:
    """At most EXCHANGE_POSTS_PER_HOUR threads and posts an hour, counted in the database. The
    author's row is locked first, so two posts sent at once are counted one after the other."""
    if can_moderate(author):
        return
    limit = settings.EXCHANGE_POSTS_PER_HOUR
    list(get_user_model().objects.select_for_update().filter(pk=author.pk).values_list("pk"))
    since = Now() - datetime.timedelta(hours=1)
    written = (
        Thread.objects.filter(author=author, created_at__gte=since).count()
        + Post.objects.filter(author=author, created_at__gte=since).count()
    )
    if written >= limit:
        raise PostingTooFast(
            ngettext(
                "You have posted %(limit)d time in the last hour, the most the network allows. "
                "Please wait a little and send it again: your text is still here.",
                "You have posted %(limit)d times in the last hour, the most the network allows. "
                "Please wait a little and send it again: your text is still here.",
                limit,
            )
            % {"limit": limit}
        )


def _state_for(author) -> str:
    """HELD while the author has fewer than EXCHANGE_HOLD_FIRST_POSTS threads and posts
    published (moderators are never held)."""
    needed = settings.EXCHANGE_HOLD_FIRST_POSTS
    if needed <= 0 or can_moderate(author):
        return Moderation.PUBLISHED
    published = (
        Thread.objects.filter(author=author, state=Moderation.PUBLISHED).count()
        + Post.objects.filter(author=author, state=Moderation.PUBLISHED).count()
    )
    return Moderation.HELD if published < needed else Moderation.PUBLISHED


def _written_in(language: str, *texts: str) -> str:
    return language if language in ("ru", "en") else language_guess(" ".join(texts))


@transaction.atomic
def thread_create(
    *,
    author,
    kind: str,
    title: str,
    body: str,
    language: str,
    visibility: str,
    topics: Iterable,
    countries: Iterable[str] = (),
    files: Sequence = (),
) -> Thread:
    """Start a question or a discussion. `language` "" is guessed from the text. Published at
    once (its followers are told, through the outbox) or held for review under
    EXCHANGE_HOLD_FIRST_POSTS. The author follows the thread. Raises PermissionDenied for
    someone who may not write, PostingTooFast over the hourly limit, ValidationError for a file
    refused by its content or a thread without topic."""
    if not can_write(author):
        raise PermissionDenied
    topics = list(topics)
    if not topics:
        raise ValidationError(_("Choose at least one topic."), code="no_topic")
    _pace_check(author)
    checked = attachments_inspect(files)
    thread = Thread.objects.create(
        author=author,
        kind=kind,
        title=title.strip(),
        body=body,
        body_html=markdown_render(body),
        language=_written_in(language, title, body),
        visibility=visibility,
        countries=sorted(set(countries)),
        state=_state_for(author),
    )
    thread.topics.set(topics)
    _attachments_store(checked, thread=thread)
    thread_follow(user=author, thread=thread)
    if thread.state == Moderation.PUBLISHED:
        thread_published_notify(thread)
    return thread


@transaction.atomic
def post_create(
    *, author, thread: Thread, body: str, language: str, parent: Post | None = None,
    files: Sequence = (),
) -> Post:  # fmt: skip
    """Answer a thread (no parent) or reply to one of its answers (replies go one level deep).
    Published at once (the thread's followers are told) or held for review; the thread's
    counters are recomputed and the author follows the thread. Raises PermissionDenied for
    someone who may not write or read the thread, ThreadClosed on a locked, hidden or held
    thread, PostingTooFast over the hourly limit, ValidationError for a wrong parent or file."""
    if not can_write(author):
        raise PermissionDenied
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread_access(thread=thread, user=author) is not Access.READ:
        raise PermissionDenied
    if thread.is_locked:
        raise ThreadClosed(_("This thread is locked: it takes no new answers or replies."))
    if thread.state != Moderation.PUBLISHED:
        raise ThreadClosed(_("This thread takes answers once the secretariat has reviewed it."))
    if parent is not None and (
        parent.thread_id != thread.pk
        or parent.parent_id is not None
        or parent.state != Moderation.PUBLISHED
    ):
        raise ValidationError(_("You can reply only to a published answer of this thread."))
    _pace_check(author)
    checked = attachments_inspect(files)
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        author=author,
        body=body,
        body_html=markdown_render(body),
        language=_written_in(language, body),
        state=_state_for(author),
    )
    _attachments_store(checked, post=post)
    thread_counts_refresh(thread)
    thread_follow(user=author, thread=thread)
    if post.state == Moderation.PUBLISHED:
        post_published_notify(post)
    return post


def thread_counts_refresh(thread: Thread) -> Thread:
    """Recompute the thread's kept figures from its published posts: answers, "helped me" marks
    on them, the first answer by someone other than the asker, the last activity. Call it inside
    the transaction that changed a post's state; it updates `thread` in place too."""
    answers = Q(parent__isnull=True)
    not_asker = ~Q(author_id=thread.author_id) if thread.author_id else Q()
    figures = Post.objects.filter(thread_id=thread.pk, state=Moderation.PUBLISHED).aggregate(
        answers=Count("id", filter=answers),
        helpful=Sum("helpful_count", filter=answers, default=0),
        first=Min("created_at", filter=answers & not_asker),
        last=Max("created_at"),
    )
    Thread.objects.filter(pk=thread.pk).update(
        answer_count=figures["answers"],
        helpful_count=figures["helpful"],
        first_answer_at=figures["first"],
        last_activity_at=figures["last"] or F("created_at"),
    )
    thread.refresh_from_db(
        fields=["answer_count", "helpful_count", "first_answer_at", "last_activity_at"]
    )
    _lists_changed()
    return thread


def _lists_changed() -> None:
    # QuerySet.update sends no signal: the cached lists hear of the new figures here, now and
    # again after the commit, so that a list rendered in between from the old figures (and
    # cached under the first new version) does not outlive the transaction.
    data_changed("exchange")
    transaction.on_commit(lambda: data_changed("exchange"))


# --- The answer that helped, and "this helped me".


def _may_mark(user, thread: Thread) -> bool:
    return can_moderate(user) or (can_write(user) and thread.author_id == user.pk)


@transaction.atomic
def answer_accept(*, user, post: Post) -> Thread:
    """Mark `post` as the answer that helped (replacing any other): by the thread's author or a
    moderator, on a published answer (not a reply). Raises PermissionDenied or ExchangeError."""
    thread = Thread.objects.select_for_update().get(pk=post.thread_id)
    if not _may_mark(user, thread):
        raise PermissionDenied
    if thread_access(thread=thread, user=user) is not Access.READ:
        raise PermissionDenied
    if post.parent_id is not None or post.state != Moderation.PUBLISHED:
        raise ExchangeError(_("Only a published answer can be marked as the one that helped."))
    if thread.accepted_answer_id != post.pk:
        thread.accepted_answer = post
        thread.save(update_fields=["accepted_answer"])
    return thread


@transaction.atomic
def answer_unaccept(*, user, thread: Thread) -> Thread:
    """Take back the mark of the answer that helped (idempotent)."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not _may_mark(user, thread):
        raise PermissionDenied
    if thread.accepted_answer_id is not None:
        thread.accepted_answer = None
        thread.save(update_fields=["accepted_answer"])
    return thread


def _helpful_check(*, user, post: Post) -> None:
    if not can_write(user):
        raise PermissionDenied
    if thread_access(thread=post.thread, user=user) is not Access.READ:
        raise PermissionDenied
    if post.parent_id is not None or post.state != Moderation.PUBLISHED:
        raise ExchangeError(_("Only a published answer can be marked as helpful."))
    if post.author_id == user.pk:
        # Not offered on the page: only a forged request gets here.
        raise PermissionDenied


@transaction.atomic
def helpful_mark(*, user, post: Post) -> bool:
    """Say "this helped me" on an answer: once per member and answer (the database's unique
    constraint decides between two clicks at once), never on one's own. Returns whether a mark
    was added; the answer's and the thread's counts follow by F() updates."""
    _helpful_check(user=user, post=post)
    _mark, created = Helpful.objects.get_or_create(post=post, user=user)
    if created:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
        Thread.objects.filter(pk=post.thread_id).update(helpful_count=F("helpful_count") + 1)
        _lists_changed()
    return created


@transaction.atomic
def helpful_unmark(*, user, post: Post) -> bool:
    """Take back "this helped me" (idempotent). Returns whether a mark was removed."""
    deleted, _rows = Helpful.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, helpful_count__gt=0).update(
            helpful_count=F("helpful_count") - 1
        )
        if post.state == Moderation.PUBLISHED:
            Thread.objects.filter(pk=post.thread_id, helpful_count__gt=0).update(
                helpful_count=F("helpful_count") - 1
            )
        _lists_changed()
    return bool(deleted)


# --- Editing what one wrote.


@transaction.atomic
def thread_edit(
    *,
    user,
    thread: Thread,
    title: str,
    body: str,
    kind: str | None = None,
    language: str | None = None,
    visibility: str | None = None,
    topics: Iterable | None = None,
    countries: Iterable[str] | None = None,
    files: Sequence = (),
    reason: str = "",
) -> Thread:
    """Change a thread: by its author (not once it is locked or hidden) or a moderator. What it
    said before is kept in an Edit row when the title or text changes; the text is rendered
    again. New files are added to those it had."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not may_edit(user, author_id=thread.author_id, state=thread.state):
        raise PermissionDenied
    if thread.is_locked and not can_moderate(user):
        raise ThreadClosed(_("This thread is locked: it can no longer be changed."))
    if topics is not None:
        topics = list(topics)
        if not topics:
            raise ValidationError(_("Choose at least one topic."), code="no_topic")
    checked = attachments_inspect(files)
    title = title.strip()
    if title != thread.title or body != thread.body:
        Edit.objects.create(
            thread=thread,
            edited_by=user,
            title_before=thread.title,
            body_before=thread.body,
            reason=reason,
        )
        thread.title, thread.body = title, body
        thread.body_html = markdown_render(body)
    if kind is not None:
        thread.kind = kind
    if language is not None:
        thread.language = _written_in(language, title, body)
    if visibility is not None:
        thread.visibility = visibility
    if countries is not None:
        thread.countries = sorted(set(countries))
    thread.edited_at = Now()
    thread.save(
        update_fields=[
            "title", "body", "body_html", "kind", "language", "visibility", "countries",
            "edited_at",
        ]
    )  # fmt: skip
    thread.refresh_from_db(fields=["edited_at"])
    if topics is not None:
        thread.topics.set(topics)
    _attachments_store(checked, thread=thread)
    return thread


@transaction.atomic
def post_edit(
    *,
    user,
    post: Post,
    body: str,
    language: str | None = None,
    files: Sequence = (),
    reason: str = "",
) -> Post:
    """Change an answer or reply: by its author (not in a locked thread, nor once hidden) or a
    moderator. What it said before is kept in an Edit row; the text is rendered again."""
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not may_edit(user, author_id=post.author_id, state=post.state):
        raise PermissionDenied
    if not can_moderate(user):
        if thread_access(thread=post.thread, user=user) is not Access.READ:
            raise PermissionDenied
        if post.thread.is_locked:
            raise ThreadClosed(_("This thread is locked: it can no longer be changed."))
    checked = attachments_inspect(files)
    if body != post.body:
        Edit.objects.create(post=post, edited_by=user, body_before=post.body, reason=reason)
        post.body = body
        post.body_html = markdown_render(body)
    if language is not None:
        post.language = _written_in(language, body)
    post.edited_at = Now()
    post.save(update_fields=["body", "body_html", "language", "edited_at"])
    post.refresh_from_db(fields=["edited_at"])
    _attachments_store(checked, post=post)
    return post


def post_visible_check(*, post: Post, user) -> None:
    """Raise PermissionDenied unless `user` may see `post` and its thread (for the pages that
    act on one post)."""
    if thread_access(thread=post.thread, user=user) is not Access.READ:
        raise PermissionDenied
    if not post_is_visible(post=post, user=user):
        raise PermissionDenied
