"""The discussion lists through their pages: which threads each viewer sees, in which order, under
which filter, at which address, with how many queries."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange.enums import Moderation, ThreadKind, Visibility
from exchange.models import Thread
from mirpal.models import Topic
from tests.exchange.conftest import answer, signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

BASE = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)
ROW = re.compile(r'<h2><a href="[^"]+" lang="(?:ru|en)">([^<]+)</a></h2>')


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(title) for title in ROW.findall(response.content.decode())]


def at(days: int, hours: int = 0) -> datetime.datetime:
    return BASE + datetime.timedelta(days=days, hours=hours)


def _thread(title, *, topics, created, active, accepted=False, **fields):
    thread = ThreadFactory(
        title=title,
        topics=topics,
        created_at=at(created),
        last_activity_at=at(active),
        **fields,
    )
    if accepted:
        answer = PostFactory(thread=thread)
        thread.accepted_answer = answer
        thread.save(update_fields=["accepted_answer"])
    return thread


@pytest.fixture
def network():
    """Four published threads, one held and one hidden, about two topics and three countries.

    active (last activity): Seasonal, Return, Diaspora, Fees
    newest (created):       Return, Diaspora, Fees, Seasonal
    helpful:                Diaspora (5), Seasonal (3), Return (1), Fees (0)
    """
    labour = Topic.objects.get(slug="labour-migration")
    remittances = Topic.objects.get(slug="remittances")
    made = {
        "seasonal": _thread(
            "Seasonal work permits",
            topics=[labour],
            countries=["KZ", "TJ"],
            created=0,
            active=5,
            answer_count=2,
            helpful_count=3,
            accepted=True,
            visibility=Visibility.PUBLIC,
        ),
        "fees": _thread(
            "Remittance fees",
            topics=[remittances],
            countries=["TJ"],
            created=1,
            active=2,
            kind=ThreadKind.DISCUSSION,
        ),
        "diaspora": _thread(
            "Diaspora councils",
            topics=[remittances],
            countries=["KG"],
            created=2,
            active=3,
            answer_count=1,
            helpful_count=5,
            visibility=Visibility.PUBLIC,
        ),
        "return": _thread(
            "Return programmes",
            topics=[labour],
            countries=[],
            created=3,
            active=4,
            answer_count=1,
            helpful_count=1,
            accepted=True,
        ),
        # Newer, busier and more helpful than all: still never listed.
        "held": _thread(
            "Held thread",
            topics=[labour],
            countries=["KZ"],
            created=9,
            active=9,
            helpful_count=9,
            state=Moderation.HELD,
            visibility=Visibility.PUBLIC,
        ),
        "hidden": _thread(
            "Hidden thread",
            topics=[labour],
            countries=["KZ"],
            created=9,
            active=9,
            helpful_count=9,
            state=Moderation.HIDDEN,
            visibility=Visibility.PUBLIC,
        ),
    }
    return made


LIST = reverse("exchange:list")

MEMBER_SEES = [
    ("", ["Seasonal work permits", "Return programmes", "Diaspora councils", "Remittance fees"]),
    (
        "?sort=newest",
        ["Return programmes", "Diaspora councils", "Remittance fees", "Seasonal work permits"],
    ),
    (
        "?sort=helpful",
        ["Diaspora councils", "Seasonal work permits", "Return programmes", "Remittance fees"],
    ),
    ("?view=unanswered", ["Remittance fees"]),
    ("?view=answered", ["Seasonal work permits", "Return programmes"]),
    ("?view=answered&sort=newest", ["Return programmes", "Seasonal work permits"]),
    ("?view=unanswered&sort=helpful", ["Remittance fees"]),
    ("?topic=labour-migration", ["Seasonal work permits", "Return programmes"]),
    ("?topic=remittances&sort=helpful", ["Diaspora councils", "Remittance fees"]),
    ("?country=TJ", ["Seasonal work permits", "Remittance fees"]),
    ("?country=KG&view=unanswered", []),
    ("?topic=labour-migration&country=KZ", ["Seasonal work permits"]),
    # A value the form does not know drops that filter alone.
    (
        "?topic=nonsense&sort=nonsense&view=answered",
        ["Seasonal work permits", "Return programmes"],
    ),
]

PUBLIC_SEES = [
    ("", ["Seasonal work permits", "Diaspora councils"]),
    ("?sort=newest", ["Diaspora councils", "Seasonal work permits"]),
    ("?sort=helpful", ["Diaspora councils", "Seasonal work permits"]),
    ("?view=unanswered", []),
    ("?view=answered", ["Seasonal work permits"]),
    ("?topic=labour-migration", ["Seasonal work permits"]),
    ("?topic=remittances", ["Diaspora councils"]),
    ("?country=TJ", ["Seasonal work permits"]),
]


@pytest.mark.parametrize(("query", "expected"), MEMBER_SEES)
def test_a_member_sees_every_published_thread_in_each_view_and_order(
    network, client_for, query, expected
):
    assert titles(client_for("member").get(LIST + query)) == expected


@pytest.mark.parametrize(("query", "expected"), MEMBER_SEES)
def test_the_secretariat_lists_what_members_do_and_not_the_moderation_queue(
    network, client_for, query, expected
):
    assert titles(client_for("secretariat").get(LIST + query)) == expected


@pytest.fixture
def suspended(db):
    return ProfileFactory(status="suspended").user


@pytest.fixture
def rejected(db):
    return ProfileFactory(status="rejected").user


@pytest.mark.parametrize("role", ["anonymous", "applicant", "suspended", "rejected"])
@pytest.mark.parametrize(("query", "expected"), PUBLIC_SEES)
def test_who_is_not_an_approved_member_sees_the_public_threads_only(
    network, client_for, role, query, expected
):
    assert titles(client_for(role).get(LIST + query)) == expected


def test_members_only_and_moderated_threads_leave_no_trace_for_the_public(network, client_for):
    page = client_for("anonymous").get(LIST + "?topic=labour-migration").content.decode()
    for title in ("Return programmes", "Remittance fees", "Held thread", "Hidden thread"):
        assert title not in page
    assert "Members only" not in page
    assert "Members of the network also see those for members only." in page


def test_clean_addresses_list_a_topic_and_a_country(network, client_for):
    member = client_for("member")
    topic = member.get(reverse("exchange:topic", args=["labour-migration"]))
    assert titles(topic) == ["Seasonal work permits", "Return programmes"]
    assert "<h1>Discussions: Labour migration</h1>" in topic.content.decode()
    assert topic.context["topic"].slug == "labour-migration"
    # The tabs of a topic's page stay on it, without repeating the topic in the query.
    answered = member.get(reverse("exchange:topic", args=["labour-migration"]) + "?view=answered")
    assert titles(answered) == ["Seasonal work permits", "Return programmes"]
    assert 'href="?view=unanswered"' in answered.content.decode()
    unanswered = member.get(reverse("exchange:topic", args=["remittances"]) + "?view=unanswered")
    assert titles(unanswered) == ["Remittance fees"]

    country = member.get(reverse("exchange:country", args=["TJ"]) + "?sort=newest")
    assert titles(country) == ["Remittance fees", "Seasonal work permits"]
    assert "<h1>Discussions about Tajikistan</h1>" in country.content.decode()
    assert country.context["country"] == "TJ"
    # The path's filter wins over one in the query.
    assert titles(member.get(reverse("exchange:country", args=["KG"]) + "?country=TJ")) == [
        "Diaspora councils"
    ]

    public = client_for("anonymous").get(reverse("exchange:country", args=["TJ"]))
    assert titles(public) == ["Seasonal work permits"]


def test_unknown_topics_and_countries_are_not_found(client_for):
    client = client_for("member")
    assert client.get(reverse("exchange:topic", args=["no-such-topic"])).status_code == 404
    # "International / other" is no country to browse; codes are the ISO ones in capitals.
    for code in ("XX", "FR", "kz"):
        assert client.get(reverse("exchange:country", args=[code])).status_code == 404


def test_a_row_shows_what_a_member_needs_to_choose(network, client_for):
    page = client_for("member").get(LIST + "?view=answered").content.decode()
    row = page[page.index("Return programmes") - 600 : page.index("Return programmes") + 2000]
    assert '<span class="badge kind">Question</span>' in row
    assert '<span class="badge approved">Answered</span>' in row
    assert '<span class="badge members-only">Members only</span>' in row
    assert "1 answer<" in row
    assert "1 “helped me” mark<" in row
    author = network["return"].author
    assert f"Author: {author.get_full_name()}, Kazakhstan" in row
    assert f'href="{reverse("exchange:topic", args=["labour-migration"])}"' in row
    assert f'href="{network["return"].get_absolute_url()}"' in row

    seasonal = page[page.index("Seasonal work permits") :]
    seasonal = seasonal[: seasonal.index("</li>\n")]
    assert "2 answers" in seasonal
    assert "3 “helped me” marks" in seasonal
    assert f'href="{reverse("exchange:country", args=["KZ"])}">Kazakhstan</a>' in page
    assert f'href="{reverse("exchange:country", args=["TJ"])}">Tajikistan</a>' in page


def test_the_public_sees_the_authors_country_but_not_their_name(network, client_for):
    page = client_for("anonymous").get(LIST).content.decode()
    assert network["seasonal"].author.get_full_name() not in page
    assert "Author's country: Kazakhstan" in page


def test_times_are_in_the_viewers_zone(network, client_for):
    # Seasonal work permits: last active 6 March 2025, 09:00 UTC.
    member = ProfileFactory(time_zone="Asia/Dushanbe").user
    client = Client()
    client.force_login(member)
    page = client.get(LIST + "?view=answered").content.decode()
    assert "6 March 2025, 14:00" in page
    assert "times shown in Dushanbe time" in page

    visitor = Client()
    visitor.cookies["mirpal_tz"] = "Europe%2FChisinau"
    assert "6 March 2025, 11:00" in visitor.get(LIST).content.decode()


def test_asking_is_offered_to_members_only(network, client_for):
    ask = reverse("exchange:thread_new")
    assert f'href="{ask}"' in client_for("member").get(LIST).content.decode()
    for role in ("anonymous", "applicant", "suspended"):
        assert f'href="{ask}' not in client_for(role).get(LIST).content.decode()


def test_an_empty_list_says_so_and_invites_a_member_to_ask(client_for):
    member_page = client_for("member").get(LIST + "?view=answered").content.decode()
    assert "No discussion matches these filters yet." in member_page
    assert f'class="button" href="{reverse("exchange:thread_new")}"' in member_page
    public_page = client_for("anonymous").get(LIST).content.decode()
    assert "No discussion matches these filters yet." in public_page
    assert reverse("exchange:thread_new") not in public_page


def test_pages_turn_without_counting(client_for, django_assert_num_queries):
    labour = Topic.objects.get(slug="labour-migration")
    for index in range(23):
        _thread(
            f"Thread {index:02}",
            topics=[labour],
            created=index,
            active=index,
            visibility=Visibility.PUBLIC,
        )
    client = client_for("anonymous")
    first = client.get(LIST + "?sort=newest")
    assert titles(first) == [f"Thread {index:02}" for index in range(22, 2, -1)]
    assert 'href="?sort=newest&amp;page=2" rel="next"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    second = client.get(LIST + "?sort=newest&page=2")
    assert titles(second) == ["Thread 02", "Thread 01", "Thread 00"]
    assert 'href="?sort=newest&amp;page=1" rel="prev"' in second.content.decode()
    assert 'rel="next"' not in second.content.decode()
    past = client.get(LIST + "?page=7")
    assert titles(past) == []
    assert "This page is past the end of the list." in past.content.decode()
    assert titles(client.get(LIST + "?page=nonsense")) == titles(client.get(LIST))


LIST_URLS = [
    LIST,
    LIST + "?sort=newest",
    LIST + "?sort=helpful",
    LIST + "?view=unanswered",
    LIST + "?view=answered&sort=helpful",
    LIST + "?topic=labour-migration&country=KZ",
    reverse("exchange:topic", args=["labour-migration"]),
    reverse("exchange:country", args=["KZ"]) + "?view=answered",
]


def _many(count: int) -> None:
    """`count` threads of each kind a list tells apart: answered or not, public or not."""
    topics = list(Topic.objects.order_by("position")[:3])
    author = ProfileFactory().user
    for index in range(count):
        for visibility in Visibility.values:
            for answered in (True, False):
                thread = ThreadFactory(
                    title=f"Thread {index} {visibility} {answered}",
                    author=author,
                    topics=topics,
                    countries=["KZ", "TJ"],
                    created_at=at(index),
                    last_activity_at=at(index),
                    answer_count=2 if answered else 0,
                    helpful_count=index % 5,
                    visibility=visibility,
                )
                if answered:
                    thread.accepted_answer = PostFactory(thread=thread, author=author)
                    thread.save(update_fields=["accepted_answer"])


@pytest.mark.parametrize("count", [1, 30])
def test_member_list_query_count_does_not_grow(count, member, django_assert_num_queries):
    _many(count)
    client = Client()
    client.force_login(member)
    for url in LIST_URLS:
        # The member with their profile, the topics of the filters, the page, its threads'
        # topics; and under a topic or a country, whether the member follows it.
        with django_assert_num_queries(5 if "topic" in url or "countr" in url else 4):
            # Of each `count`: four kinds, of which a view keeps two.
            rows = count * (2 if "view=" in url else 4)
            assert len(titles(client.get(url))) == min(rows, 20)


@pytest.mark.parametrize("count", [1, 30])
def test_anonymous_list_query_count_does_not_grow(count, django_assert_num_queries):
    _many(count)
    client = Client()
    for url in LIST_URLS:
        # The topics of the filters, the page, its threads' topics.
        with django_assert_num_queries(3):
            rows = count * (1 if "view=" in url else 2)
            assert len(titles(client.get(url))) == min(rows, 20)


def test_the_cached_list_shows_a_change_on_the_next_request():
    """The list's body comes from the cache; an answer, a "helped me" and a new thread written
    through the pages show on the very next request (no stale list after a write)."""
    asker = ProfileFactory(status="approved").user
    answerer = ProfileFactory(status="approved").user
    reader = signed_in(ProfileFactory(status="approved").user)
    thread = ThreadFactory(author=asker, title="Quotas for seasonal work")

    def row() -> str:
        text = reader.get(reverse("exchange:list")).content.decode()
        return text[text.index("Quotas for seasonal work") :][:2000]

    assert "0 answers" in row()
    with CaptureQueriesContext(connection) as repeat:
        assert "0 answers" in row()
    # The repeat came from the cache: no query read the threads.
    assert not [query for query in repeat.captured_queries if "exchange_thread" in query["sql"]]
    answer(signed_in(answerer), thread, "We set them each spring.")
    assert "1 answer" in row()
    post = thread.posts.get()
    signed_in(asker).post(reverse("exchange:helpful", args=[post.pk]), {"on": "1"})
    assert "1 “helped me” mark" in row()
    assert Thread.objects.get(pk=thread.pk).helpful_count == 1
    fresh = ThreadFactory(title="Remittance fees after the new law")
    assert fresh.title in reader.get(reverse("exchange:list")).content.decode()
