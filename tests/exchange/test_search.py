"""The library's search box finds discussions too: their own group on the search page, with the
library's Russian and English stemming, only what the searcher may read, bounded and cached."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mirpal.models import Topic
from tests.exchange.conftest import answer, ask, signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.library import ArticleFactory, DocumentFactory
from tests.factories.members import ProfileFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


def search(client: Client, query: str, **params):
    return client.get(reverse("library:search"), {"q": query, **params})


def group(response) -> str:
    """The discussions' group of the page, or "" when it has none."""
    text = response.content.decode()
    found = re.search(r'<section class="card library-group".*?</section>', text, re.DOTALL)
    return found.group(0) if found else ""


def titles(response) -> list[str]:
    """The discussions' titles as shown, their marks taken out."""
    shown = re.findall(r'<h3 class="library-title"><a href="[^"]+">(.*?)</a></h3>', group(response))
    return [re.sub(r"</?mark>", "", title) for title in shown]


def test_a_russian_word_form_finds_a_discussion_in_its_own_group(client):
    thread = ThreadFactory(
        title="Регистрация сезонных работников",
        body="Как вы регистрируете сезонных работников из-за рубежа?",
        language="ru",
        visibility="public",
        answer_count=2,
    )
    DocumentFactory(title_ru="Сезонные работники в сельском хозяйстве", access="public")

    response = search(client, "сезонный работник")

    section = group(response)
    assert response.status_code == 200
    assert titles(response) == ["Регистрация сезонных работников"]
    assert f'<a href="{thread.get_absolute_url()}">Регистрация <mark>сезонных</mark>' in section
    assert "<mark>сезонных</mark> <mark>работников</mark> из-за рубежа" in section
    assert "2 answers" in section
    assert "Answered" not in section
    # The library's own results are still there, beside the group.
    assert response.context["outcome"].total == 1


def test_an_english_word_in_an_answer_finds_its_thread_and_marks_it_answered(client):
    thread = ThreadFactory(title="Seasonal workers", visibility="public", answer_count=1)
    helped = PostFactory(thread=thread, body="We pay remittances through the post office.")
    thread.accepted_answer = helped
    thread.save(update_fields=["accepted_answer"])
    hidden = ThreadFactory(title="Other procedures", visibility="public")
    PostFactory(thread=hidden, body="Remittance fees are capped.", state="hidden")

    response = search(client, "remittance")

    assert titles(response) == ["Seasonal workers"]
    assert "Answered" in group(response)


def test_each_searcher_sees_only_the_discussions_they_may_read(client):
    for title, fields in [
        ("Quota public", {"visibility": "public"}),
        ("Quota members", {"visibility": "members"}),
        ("Quota held", {"visibility": "public", "state": "held"}),
        ("Quota hidden", {"visibility": "public", "state": "hidden"}),
    ]:
        ThreadFactory(title=title, **fields)
    applicant = ProfileFactory(status="pending").user
    suspended = ProfileFactory(status="suspended").user
    member = ProfileFactory(status="approved").user

    seen = {
        "anonymous": titles(search(client, "quota")),
        "applicant": titles(search(signed_in(applicant), "quota")),
        "suspended": titles(search(signed_in(suspended), "quota")),
        "member": sorted(titles(search(signed_in(member), "quota"))),
        "secretariat": sorted(titles(search(signed_in(SecretariatFactory()), "quota"))),
    }

    assert seen == {
        "anonymous": ["Quota public"],
        "applicant": ["Quota public"],
        "suspended": ["Quota public"],
        "member": ["Quota members", "Quota public"],
        "secretariat": ["Quota members", "Quota public"],
    }
    assert "Members only" in group(search(signed_in(member), "quota"))


def test_the_best_five_are_shown_and_the_rest_are_a_link_away(client):
    topic = Topic.objects.order_by("position", "slug").first()
    for index in range(6):
        ThreadFactory(
            title=f"Circular migration {index}",
            body="Circular migration schemes." if index == 0 else "Something else.",
            visibility="public",
            topics=[topic],
        )

    few = search(client, "circular migration")
    narrowed = search(client, "circular migration", topic=topic.slug)

    assert len(titles(few)) == 5
    # Matched in the title and the question, it ranks first.
    assert titles(few)[0] == "Circular migration 0"
    assert f'<a href="{reverse("exchange:list")}">More discussions</a>' in group(few)
    assert f'<a href="{reverse("exchange:list")}?topic={topic.slug}">More discussions</a>' in (
        group(narrowed)
    )
    assert "More discussions" not in group(search(client, "circular migration 0 schemes"))


def test_no_group_without_a_match_a_word_or_for_a_kind_of_document(client):
    ThreadFactory(title="Labour migration statistics", visibility="public")

    assert group(search(client, "astronomy")) == ""
    assert group(search(client, '"" -')) == ""
    assert group(search(client, "labour", kind="report")) == ""
    assert titles(search(client, "labour", language="en")) == ["Labour migration statistics"]
    assert group(search(client, "labour", language="ru")) == ""


def test_markup_in_a_title_or_question_comes_out_inert(client):
    ThreadFactory(
        title='Visa <script>alert("t")</script>',
        body='Visa <img src=x onerror=alert("b")> procedures',
        visibility="public",
    )

    section = group(search(client, "visa"))

    assert "<script>" not in section
    assert "<img" not in section
    assert "&lt;script&gt;" in section
    assert "&lt;img src=x onerror=" in section


def test_a_question_asked_through_the_page_is_found_at_the_next_search(topic):
    asker, answerer = ProfileFactory().user, ProfileFactory().user
    member = signed_in(ProfileFactory().user)
    assert titles(search(member, "diaspora")) == []

    ask(signed_in(asker), topic, title="Engaging the diaspora", body="How do you reach them?")
    assert titles(search(member, "diaspora")) == ["Engaging the diaspora"]

    thread = ThreadFactory(title="Return programmes", visibility="members")
    answer(signed_in(answerer), thread, body="Our returnees meet the diaspora associations.")
    assert sorted(titles(search(member, "diaspora"))) == [
        "Engaging the diaspora",
        "Return programmes",
    ]


@pytest.mark.parametrize("size", [1, 12])
def test_search_page_query_count_is_constant(client, django_assert_num_queries, size):
    for index in range(size):
        thread = ThreadFactory(title=f"Labour migration {index}", visibility="public")
        PostFactory(thread=thread, body="Labour migration agreements help.")
        DocumentFactory(title_en=f"Labour migration {index}", title_ru="", language="en")
        ArticleFactory(title=f"Labour migration in issue {index}", language="en")

    # The library's five (see tests/library/test_search.py) and one for the discussions.
    with django_assert_num_queries(7):
        response = search(client, "labour migration")
    # Then the results and the group come from the cache: only the search log's insert.
    with django_assert_num_queries(1):
        again = search(client, "labour migration")

    assert len(titles(response)) == min(size, 5)
    assert titles(again) == titles(response)
