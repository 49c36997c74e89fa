"""Discussions found by the library's search box: their own group on the search page.

The library sits below the exchange and cannot import it; exchange.apps registers
`discussions_search_group` with library.search.search_group_register, and the search page asks
it for its group. The words are parsed as the library parses them (library.search.search_query:
Russian, English and simple configurations), so a Russian word form finds its other forms in the
threads' and answers' vectors, which are stemmed in both languages.

Bounded whatever the word: the newest CANDIDATES threads matching in their title or question and
the newest CANDIDATES answers matching are the candidates; only they are ranked, and the group
reads one more than it shows to know whether to link to the rest. Nothing counts every match.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.db.models import F, Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils.http import urlencode

from exchange.enums import Moderation, WrittenIn
from exchange.models import Post, Thread
from exchange.selectors import threads_visible_to
from library.search import SearchFilters, headline_html, search_query
from library.search_sql import FRAGMENT_DELIMITER, MARK_START, MARK_STOP, SNIPPET_BODY_CHARS

DISCUSSIONS_SHOWN = 5
# Matches of each kind (in threads, in answers) ranked at most, the newest.
CANDIDATES = 200


@dataclass(frozen=True)
class DiscussionMatches:
    threads: list[Thread]
    more: bool


def _filtered(threads, filters: SearchFilters):
    """The library's filters that mean something for a thread; None when one excludes every
    thread (a kind of document, a language no post is written in)."""
    if filters.kind:
        return None
    if filters.language:
        if filters.language not in WrittenIn.values:
            return None
        threads = threads.filter(language=filters.language)
    if filters.topic:
        threads = threads.filter(topics__slug=filters.topic)
    if filters.country:
        threads = threads.filter(countries__contains=[filters.country])
    if filters.year:
        threads = threads.filter(created_at__year=filters.year)
    return threads


def discussions_search(
    *, filters: SearchFilters, user, limit: int = DISCUSSIONS_SHOWN
) -> DiscussionMatches | None:
    """The best `limit` threads `user` may read whose title, question or a published answer
    holds the words, best ranked first (a match in the title or question before one in an
    answer only), with their marked titles and question snippets; `more` when others match.
    None when there are no words or the filters leave no thread. One query."""
    text = filters.query.strip()
    if not text:
        return None
    visible = _filtered(threads_visible_to(user), filters)
    if visible is None:
        return None
    query = search_query(text)
    in_threads = (
        visible.filter(search_vector=query).order_by("-created_at", "-id").values("id")[:CANDIDATES]
    )
    in_answers = (
        Post.objects.filter(
            search_vector=query, state=Moderation.PUBLISHED, parent__isnull=True, thread__in=visible
        )
        .order_by("-created_at", "-id")
        .values("thread_id")[:CANDIDATES]
    )
    found = list(
        Thread.objects.filter(Q(id__in=in_threads) | Q(id__in=in_answers))
        .only(
            "id",
            "kind",
            "title",
            "language",
            "visibility",
            "answer_count",
            "accepted_answer_id",
            "created_at",
        )
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            title_marked=SearchHeadline(
                "title",
                query,
                config="russian",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                highlight_all=True,
            ),
            snippet_marked=SearchHeadline(
                Left("body", SNIPPET_BODY_CHARS),
                query,
                config="russian",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=FRAGMENT_DELIMITER,
            ),
        )
        .order_by("-rank", "-created_at", "-id")[: limit + 1]
    )
    for thread in found:
        thread.title_html = headline_html(thread.title_marked or thread.title)
        thread.snippet_html = headline_html(thread.snippet_marked)
    return DiscussionMatches(threads=found[:limit], more=len(found) > limit)


def discussions_search_group(*, filters: SearchFilters, user) -> dict | None:
    """The search page's group of discussions (library.search.search_group_register): the
    context of templates/exchange/_search_group.html, or None to show no group."""
    matches = discussions_search(filters=filters, user=user)
    if matches is None or not matches.threads:
        return None
    # The exchange's list has no words to search by; it keeps the topic and country.
    narrowed = {"topic": filters.topic, "country": filters.country}
    query = urlencode({name: value for name, value in narrowed.items() if value})
    more_url = reverse("exchange:list") + (f"?{query}" if query else "")
    return {"matches": matches, "more_url": more_url}
