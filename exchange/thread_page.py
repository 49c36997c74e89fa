"""The reads of one thread's page: the thread, the posts this viewer sees, grouped as answers
with their replies, the accepted answer first, and which answers the viewer found helpful. A
fixed number of queries, however many answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from exchange.models import Attachment, Helpful, Post, Thread
from exchange.moderation import moderator_edited, thread_moderator_edited
from exchange.visibility import posts_visible_q
from mirpal.models import Topic

# Answers a page shows, as Stack Overflow does: a long thread stays readable on a phone and
# cheap to render, and every post keeps an address of its own (Post.get_absolute_url).
ANSWERS_PER_PAGE = 30


@dataclass
class ThreadPage:
    thread: Thread
    accepted: Post | None
    answers: list[Post] = field(default_factory=list)
    helpful_ids: frozenset[int] = frozenset()
    number: int = 1
    has_next: bool = False
    first_index: int = 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.answers) + (self.accepted is not None) - 1


def thread_get(*, pk: int) -> Thread:
    """The thread with what its head shows: author and profile, topics, attachments."""
    return (
        Thread.objects.select_related("author__profile")
        .annotate(edited_by_secretariat=thread_moderator_edited())
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("position", "slug")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        )
        .get(pk=pk)
    )


def _answers(*, thread: Thread, viewer, moderator: bool):
    """The answers this viewer sees, in the order the pages show them (the accepted one apart)."""
    answers = (
        Post.objects.filter(thread_id=thread.pk, parent__isnull=True)
        .filter(posts_visible_q(user=viewer, moderator=moderator))
        .order_by("created_at", "id")
    )
    if thread.accepted_answer_id:
        answers = answers.exclude(pk=thread.accepted_answer_id)
    return answers


def post_page_number(*, post: Post, viewer, moderator: bool) -> int:
    """The page of its thread that shows this answer, or the answer this reply is under."""
    answer_id = post.parent_id or post.pk
    thread = post.thread
    if answer_id == thread.accepted_answer_id:
        return 1
    answer = Post.objects.filter(pk=answer_id).only("created_at").first()
    if answer is None:
        return 1
    before = (
        _answers(thread=thread, viewer=viewer, moderator=moderator)
        .filter(
            Q(created_at__lt=answer.created_at) | Q(created_at=answer.created_at, id__lt=answer.pk)
        )
        .count()
    )
    return before // ANSWERS_PER_PAGE + 1


def thread_page(*, thread: Thread, viewer, moderator: bool, number: int = 1) -> ThreadPage:
    """One page of answers (the accepted answer first, on the first page), each with its
    replies; three queries, however long the thread."""
    number = max(1, number)
    offset = (number - 1) * ANSWERS_PER_PAGE
    page_ids = list(
        _answers(thread=thread, viewer=viewer, moderator=moderator).values_list("id", flat=True)[
            offset : offset + ANSWERS_PER_PAGE + 1
        ]
    )
    has_next = len(page_ids) > ANSWERS_PER_PAGE
    shown = page_ids[:ANSWERS_PER_PAGE]
    if number == 1 and thread.accepted_answer_id:
        shown.append(thread.accepted_answer_id)
    posts = list(
        Post.objects.filter(Q(pk__in=shown) | Q(parent_id__in=shown), thread_id=thread.pk)
        .filter(posts_visible_q(user=viewer, moderator=moderator))
        .select_related("author__profile")
        .annotate(edited_by_secretariat=moderator_edited())
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    answers, replies = [], {}
    for post in posts:
        post.thread = thread
        if post.parent_id is None:
            answers.append(post)
        else:
            replies.setdefault(post.parent_id, []).append(post)
    for answer in answers:
        answer.replies_shown = replies.get(answer.pk, [])
    accepted = next((answer for answer in answers if answer.pk == thread.accepted_answer_id), None)
    if accepted is not None:
        answers.remove(accepted)
    helpful_ids: frozenset[int] = frozenset()
    if viewer.is_authenticated and (answers or accepted):
        helpful_ids = frozenset(
            Helpful.objects.filter(
                user=viewer,
                post_id__in=[answer.pk for answer in answers] + ([accepted.pk] if accepted else []),
            ).values_list("post_id", flat=True)
        )
    return ThreadPage(
        thread=thread,
        accepted=accepted,
        answers=answers,
        helpful_ids=helpful_ids,
        number=number,
        has_next=has_next,
        # The accepted answer, shown first on the first page, is the first of the count.
        first_index=1 if number == 1 else offset + 1 + bool(thread.accepted_answer_id),
    )
