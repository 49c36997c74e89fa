"""Reads for the peer exchange's lists and its people picker, with the prefetching that keeps
their query counts constant."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation

from exchange.enums import Moderation, Visibility
from exchange.models import Thread
from exchange.permissions import can_read_members_only
from members.enums import MembershipStatus
from members.models import Profile
from members.roster.models import Expert
from mirpal.countries import Country
from mirpal.models import Topic
from mirpal.pages import UncountedPage, uncounted_page

# The orders a list offers, each read from its index (Thread.Meta.indexes).
SORTS = {
    "active": ("-last_activity_at", "-id"),  # exchange_thread_recent_idx
    "newest": ("-created_at", "-id"),  # exchange_thread_newest_idx
    "helpful": ("-helpful_count", "-id"),  # exchange_thread_helpful_idx
}
VIEWS = ("unanswered", "answered")

# The nine countries of the network, which lists filter by ("other" is no place to browse).
NETWORK_COUNTRIES = tuple(code for code in Country.values if code != Country.OTHER)

# What a row of a list shows (templates/exchange/_thread_row.html), and nothing more: the bodies
# and the search vector stay in the database.
ROW_FIELDS = (
    "id",
    "kind",
    "title",
    "language",
    "visibility",
    "countries",
    "answer_count",
    "helpful_count",
    "accepted_answer_id",
    "last_activity_at",
    "created_at",
    "author__id",
    "author__first_name",
    "author__last_name",
    "author__profile__id",
    "author__profile__country",
)

PEOPLE_SHOWN = 10
PEOPLE_QUERY_MIN = 2
# A mention's name as markup.MENTION accepts it: no brackets, no line breaks, 120 characters.
_MENTION_NAME_MAX = 120


def threads_visible_to(user) -> QuerySet[Thread]:
    """The threads this person may read in lists: published ones, and for anyone who is not an
    approved member (anonymous visitors, applicants, suspended or rejected members) only the
    public ones. Held and hidden threads are the moderators' queue, never a list."""
    threads = Thread.objects.filter(state=Moderation.PUBLISHED)
    if not can_read_members_only(user):
        threads = threads.filter(visibility=Visibility.PUBLIC)
    return threads


def topics_shown() -> QuerySet[Topic]:
    return Topic.objects.only("id", "slug", "name_en", "name_ru").order_by("position", "slug")


def thread_list(
    *,
    user,
    topic: Topic | str | None = None,
    country: str | None = None,
    view: str | None = None,
    sort: str = "active",
) -> QuerySet[Thread]:
    """The threads a list shows to `user`, filtered by a topic (a Topic or its slug), a country
    code and a view ("unanswered": no answer yet; "answered": an answer was marked as the one that
    helped), in one of SORTS, with only the fields a row shows and their topics prefetched (one
    query for the page, one for its topics). No count: the page reads one row past its end to
    know whether another follows (thread_page)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    if view not in (None, *VIEWS):
        raise ValueError(f"unknown view {view!r}")
    threads = (
        threads_visible_to(user)
        .select_related("author__profile")
        .only(*ROW_FIELDS)
        .prefetch_related(Prefetch("topics", queryset=topics_shown()))
        .order_by(*SORTS[sort])
    )
    if isinstance(topic, Topic):
        threads = threads.filter(topics=topic.pk)
    elif topic:
        threads = threads.filter(topics__slug=topic)
    if country:
        threads = threads.filter(countries__contains=[country])
    if view == "unanswered":
        threads = threads.filter(answer_count=0)
    elif view == "answered":
        threads = threads.filter(accepted_answer__isnull=False)
    return threads


def thread_page(threads: QuerySet[Thread], *, number: int, per_page: int) -> UncountedPage:
    """One page of the list, read without counting it (mirpal.pages)."""
    return uncounted_page(threads, number=number, per_page=per_page)


# --- The people picker: whom a post may mention.


@dataclass(frozen=True)
class Mentionable:
    kind: str  # "member" or "expert", as markup.MENTION writes them
    pk: int  # a member's profile (members:detail) or an expert (members:expert_detail)
    name: str
    organisation: str = ""
    country: str = ""

    @property
    def token(self) -> str:
        name = " ".join(self.name.replace("[", " ").replace("]", " ").split())
        return f"@[{name[:_MENTION_NAME_MAX]}]({self.kind}:{self.pk})"


def _words(query: str) -> list[str]:
    return query.split()[:4]


def people_mentionable(*, query: str, limit: int = PEOPLE_SHOWN) -> list[Mentionable]:
    """Up to `limit` people whose names match every word of `query`: approved members listed in
    the directory (name, organisation, country; never an address) and experts on the public
    roster. Members come first, in the directory's order; experts keep at least a few places
    when members alone would fill the list. Two queries, each bounded by `limit`."""
    words = _words(query)
    if len(query.strip()) < PEOPLE_QUERY_MIN or not words:
        return []
    profiles = Profile.objects.filter(status=MembershipStatus.APPROVED, listed_in_directory=True)
    for word in words:
        profiles = profiles.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    sort_key = "sort_key_ru" if translation.get_language() == "ru" else "sort_key_en"
    members = list(
        profiles.select_related("user")
        .only("id", "country", "organisation", "user__id", "user__first_name", "user__last_name")
        .order_by(sort_key, "pk")[:limit]
    )
    experts_found = Expert.objects.filter(is_listed=True)
    for word in words:
        experts_found = experts_found.filter(
            Q(name_en__icontains=word) | Q(name_ru__icontains=word)
        )
    experts = list(experts_found.only("id", "name_en", "name_ru").order_by(sort_key, "pk")[:limit])
    expert_places = min(len(experts), max(limit - len(members), 3))
    countries = dict(Country.choices)
    people = [
        Mentionable(
            kind="member",
            pk=profile.pk,
            name=profile.user.get_full_name(),
            organisation=profile.organisation,
            country=str(countries.get(profile.country, "")),
        )
        for profile in members[: limit - expert_places]
    ]
    people += [
        Mentionable(kind="expert", pk=expert.pk, name=expert.name)
        for expert in experts[:expert_places]
    ]
    return people
