"""Following topics, countries and threads in the peer exchange: the services that start and
stop a follow, and the reads the follow buttons and the "what I follow" page need.

A follow is one row per member and target; the database keeps each unique
(exchange.models.Follow), so following twice, or two clicks at once, leave one row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from exchange.enums import Moderation
from exchange.models import ExpertInvitation, Follow, Thread
from exchange.permissions import can_moderate, can_write
from members.models import Expert
from mirpal.countries import Country
from mirpal.models import Topic

# The countries one may follow: the nine, not "international / other".
FOLLOWABLE_COUNTRIES = [code for code in Country.values if code != Country.OTHER]


class FollowTargetInvalid(Exception):
    pass


def _target(*, topic=None, country: str = "", thread=None) -> dict:
    given = [
        name
        for name, value in (("topic", topic), ("country", country), ("thread", thread))
        if value
    ]
    if len(given) != 1:
        raise FollowTargetInvalid("exactly one of topic, country and thread")
    if country and country not in FOLLOWABLE_COUNTRIES:
        raise FollowTargetInvalid(country)
    return {"topic": topic, "country": country or "", "thread": thread}


def follow_add(*, user, topic=None, country: str = "", thread=None) -> Follow:
    """Follow one topic, country or thread (idempotent: a second call returns the same row,
    also when two requests race: the unique constraint decides and the loser reads the row)."""
    target = _target(topic=topic, country=country, thread=thread)
    lookup = {name: value for name, value in target.items() if value}
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(user=user, **target)
    except IntegrityError:
        follow = Follow.objects.get(user=user, **lookup)
    return follow


def follow_remove(*, user, topic=None, country: str = "", thread=None) -> int:
    """Stop following it; harmless when not followed. Returns how many rows went (0 or 1)."""
    target = _target(topic=topic, country=country, thread=thread)
    lookup = {name: value for name, value in target.items() if value}
    deleted, _by_model = Follow.objects.filter(user=user, **lookup).delete()
    return deleted


def thread_follow(*, user, thread) -> Follow:
    """Follow this thread (idempotent): a thread you wrote or answered is followed this way."""
    return follow_add(user=user, thread=thread)


def thread_unfollow(*, user, thread) -> int:
    return follow_remove(user=user, thread=thread)


# --- Reads.


@dataclass(frozen=True)
class Following:
    """What one member follows, for the "what I follow" page (three queries)."""

    topics: list[Topic]
    countries: list[tuple[str, str]]  # (code, name)
    threads: list[Thread]

    @property
    def is_empty(self) -> bool:
        return not (self.topics or self.countries or self.threads)


def following_of(*, user) -> Following:
    follows = Follow.objects.filter(user=user)
    topics = list(
        Topic.objects.filter(
            pk__in=follows.filter(topic__isnull=False).values("topic_id")
        ).order_by("position", "slug")
    )
    labels = dict(Country.choices)
    codes = set(follows.exclude(country="").values_list("country", flat=True))
    countries = [(code, str(labels[code])) for code in Country.values if code in codes]
    # Threads are listed while they are shown: a thread hidden since keeps its row but no line.
    threads = list(
        Thread.objects.filter(
            pk__in=follows.filter(thread__isnull=False).values("thread_id"),
            state=Moderation.PUBLISHED,
        ).order_by("-last_activity_at", "-id")
    )
    return Following(topics=topics, countries=countries, threads=threads)


def is_following(*, user, topic=None, country: str = "", thread=None) -> bool:
    if not (user.is_authenticated and can_write(user)):
        return False
    lookup = {
        name: value
        for name, value in _target(topic=topic, country=country, thread=thread).items()
        if value
    }
    return Follow.objects.filter(user=user, **lookup).exists()


def may_invite_experts(*, user, thread) -> bool:
    """The thread's author (a member still) or a moderator invites experts to answer it."""
    if not user.is_authenticated or thread.state != Moderation.PUBLISHED:
        return False
    return can_moderate(user) or (thread.author_id == user.pk and can_write(user))


def experts_invited_to(*, thread) -> list[Expert]:
    return [
        invitation.expert
        for invitation in ExpertInvitation.objects.filter(thread=thread)
        .select_related("expert")
        .order_by("created_at", "pk")
    ]


def experts_invitable() -> list[Expert]:
    """The roster's listed experts, for the invitation's select."""
    return list(Expert.objects.filter(is_listed=True).order_by("name_en", "pk"))


INVITATIONS_SHOWN = 5


def invitations_to_answer(*, user) -> list[ExpertInvitation]:
    """The latest invitations to answer addressed to this person's expert entry (one query);
    shown on My MIRPAL."""
    if not user.is_authenticated:
        return []
    return list(
        ExpertInvitation.objects.filter(expert__user=user, thread__state=Moderation.PUBLISHED)
        .select_related("thread")
        .order_by("-created_at", "-pk")[:INVITATIONS_SHOWN]
    )
