"""The peer exchange's part of the members' digest (events.mail.digests), for members whose
`discussions` preference is "digest": new questions in the topics and countries they follow, and
new answers and replies in the threads they follow, of the digest's period. What they wrote
themselves is left out. Registered in exchange.apps."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from events.mail.digests import DigestEntry, DigestSection
from exchange.enums import Moderation
from exchange.models import Follow, Post, Thread
from mirpal.enums import DiscussionMail


def discussion_digest_sections(*, users, start, end) -> dict[int, list[DigestSection]]:
    """Sections for those of these members who chose discussions in the digest; five queries
    at most, whatever the number of members and threads."""
    wanting = {
        user.pk
        for user in users
        if getattr(getattr(user, "mail_preference", None), "discussions", None)
        == DiscussionMail.DIGEST
    }
    if not wanting:
        return {}
    topics, countries, threads = defaultdict(set), defaultdict(set), defaultdict(set)
    for user_id, topic_id, country, thread_id in Follow.objects.filter(
        user_id__in=wanting
    ).values_list("user_id", "topic_id", "country", "thread_id"):
        if topic_id:
            topics[user_id].add(topic_id)
        elif country:
            countries[user_id].add(country)
        else:
            threads[user_id].add(thread_id)

    all_topics = set().union(*topics.values())
    all_countries = set().union(*countries.values())
    new_threads = []
    if all_topics or all_countries:
        new_threads = list(
            Thread.objects.filter(
                Q(topics__in=all_topics) | Q(countries__overlap=list(all_countries)),
                state=Moderation.PUBLISHED,
                created_at__gte=start,
                created_at__lt=end,
            )
            .distinct()
            .prefetch_related("topics")
            .order_by("created_at", "pk")
        )

    followed_threads = set().union(*threads.values())
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    titles: dict[int, Thread] = {}
    if followed_threads:
        for row in (
            Post.objects.filter(
                thread_id__in=followed_threads,
                thread__state=Moderation.PUBLISHED,
                state=Moderation.PUBLISHED,
                created_at__gte=start,
                created_at__lt=end,
            )
            .values("thread_id", "author_id")
            .annotate(posts=Count("id"))
            .order_by()
        ):
            counts[row["thread_id"]][row["author_id"]] = row["posts"]
        titles = {
            thread.pk: thread
            for thread in Thread.objects.filter(pk__in=list(counts)).order_by(
                "-last_activity_at", "-pk"
            )
        }

    sections: dict[int, list[DigestSection]] = {}
    for user_id in sorted(wanting):
        asked = [
            DigestEntry(title=thread.title, url=settings.SITE_URL + thread.get_absolute_url())
            for thread in new_threads
            if thread.author_id != user_id
            and (
                {topic.pk for topic in thread.topics.all()} & topics[user_id]
                or set(thread.countries) & countries[user_id]
            )
        ]
        replied = []
        for thread_id, thread in titles.items():
            if thread_id not in threads[user_id]:
                continue
            number = sum(n for author, n in counts[thread_id].items() if author != user_id)
            if number:
                replied.append(
                    DigestEntry(
                        title=thread.title,
                        url=settings.SITE_URL + thread.get_absolute_url(),
                        note=ngettext_lazy(
                            "%(count)d new answer or reply",
                            "%(count)d new answers and replies",
                            "count",
                        )
                        % {"count": number},
                    )
                )
        found = []
        if asked:
            found.append(DigestSection(_("New questions in the discussions you follow"), asked))
        if replied:
            found.append(DigestSection(_("New answers in the discussions you follow"), replied))
        if found:
            sections[user_id] = found
    return sections
