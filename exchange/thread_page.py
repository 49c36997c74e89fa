"""The reads of one thread's page: the thread, the posts this viewer sees, grouped as answers
with their replies, the accepted answer first, and which answers the viewer found helpful. A
fixed number of queries, however many answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from exchange.models import Attachment, Helpful, Post, Thread
from exchange.moderation import moderator_edited, thread_moderator_edited
from exchange.visibility import posts_visible_q
from mirpal.models import Topic


@dataclass
class ThreadPage:
    thread: Thread
    accepted: Post | None
    answers: list[Post] = field(default_factory=list)
    helpful_ids: frozenset[int] = frozenset()


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


def thread_page(*, thread: Thread, viewer, moderator: bool) -> ThreadPage:
    posts = list(
        Post.objects.filter(thread_id=thread.pk)
        .filter(posts_visible_q(user=viewer, moderator=moderator))
        .select_related("author__profile")
        .annotate(edited_by_secretariat=moderator_edited())
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    answers, replies = [], {}
    for post in posts:
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
    if viewer.is_authenticated and answers + ([accepted] if accepted else []):
        helpful_ids = frozenset(
            Helpful.objects.filter(user=viewer, post__thread_id=thread.pk).values_list(
                "post_id", flat=True
            )
        )
    return ThreadPage(thread=thread, accepted=accepted, answers=answers, helpful_ids=helpful_ids)
