"""What a member asked and answered in the exchange, on their page in the directory
(members.sections: exchange.apps registers it), if they chose to show it
(Profile.show_exchange_activity)."""

from __future__ import annotations

from django.db.models import QuerySet

from exchange.enums import Moderation
from exchange.models import Post, Thread
from exchange.selectors import threads_visible_to

ACTIVITY_SHOWN = 10


def member_threads(*, author, viewer, limit: int = ACTIVITY_SHOWN) -> QuerySet[Thread]:
    """The newest threads `author` started that `viewer` may read. One query."""
    return (
        threads_visible_to(viewer)
        .filter(author=author)
        .only(
            "id",
            "kind",
            "title",
            "visibility",
            "answer_count",
            "accepted_answer_id",
            "created_at",
        )
        .order_by("-created_at", "-id")[:limit]
    )


def member_answers(*, author, viewer, limit: int = ACTIVITY_SHOWN) -> QuerySet[Post]:
    """The newest published answers `author` wrote, in threads `viewer` may read, with their
    thread's title. One query."""
    return (
        Post.objects.filter(
            author=author,
            parent__isnull=True,
            state=Moderation.PUBLISHED,
            thread__in=threads_visible_to(viewer),
        )
        .select_related("thread")
        .only(
            "id",
            "thread_id",
            "created_at",
            "thread__id",
            "thread__title",
            "thread__accepted_answer_id",
        )
        .order_by("-created_at", "-id")[:limit]
    )


def member_activity_section(*, profile, viewer) -> dict | None:
    """The context of templates/exchange/_member_section.html, or None when the member chose
    not to show their activity. Two queries."""
    if not profile.show_exchange_activity:
        return None
    return {
        "threads": list(member_threads(author=profile.user, viewer=viewer)),
        "answers": list(member_answers(author=profile.user, viewer=viewer)),
    }
