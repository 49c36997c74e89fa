"""The roster's filter form and cards come from a cache shared by every visitor who asks for the
same page in the same language: an expert changed in the admin shows on the next request, the
links that depend on who is looking stay each viewer's own, and a cached page asks the database
nothing about the experts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mirpal.models import Topic
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory
from tests.members.filling_in import admin_change
from tests.members.list_pages import counted, counts, queries_of
from tests.members.signing_in import staff_signed_in

pytestmark = pytest.mark.django_db

ROSTER = reverse("members:experts")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cards(response) -> list[str]:
    """Each card's name and the line under it, as the page shows them."""
    assert response.status_code == 200
    return [
        f"{name} | {line}"
        for name, line in re.findall(
            r'<h2><a href="/members/experts/\d+/">([^<]+)</a></h2>\s*'
            r'(?:<p class="muted">([^<]*)</p>)?',
            response.content.decode(),
        )
    ]


@pytest.fixture
def amina(db):
    return ExpertFactory(
        name_en="Amina Rahimova",
        name_ru="Амина Рахимова",
        title_en="Economist",
        title_ru="экономист",
        affiliation_en="Centre for Remittance Studies",
        affiliation_ru="Центр исследований денежных переводов",
        topics=[Topic.objects.get(slug="remittances")],
    )


@pytest.fixture
def marco(db):
    return ExpertFactory(
        name_en="Marco Bellini",
        name_ru="Марко Беллини",
        title_en="Trainer",
        title_ru="тренер",
        affiliation_en="Border Academy",
        affiliation_ru="Пограничная академия",
    )


def expert_change_url(expert) -> str:
    return reverse("admin:members_expert_change", args=[expert.pk])


def test_an_expert_edited_in_the_admin_shows_on_the_next_request(amina, marco, editor):
    visitor = Client()
    first = cards(visitor.get(ROSTER))
    assert first == [
        "Marco Bellini | Trainer, Border Academy",
        "Amina Rahimova | Economist, Centre for Remittance Studies",
    ]
    assert cards(visitor.get(ROSTER)) == first  # from the cache

    admin_change(
        staff_signed_in(editor),
        expert_change_url(amina),
        "expert_form",
        title_en="Senior economist",
        topics=[str(Topic.objects.get(slug="labour-migration").pk)],
    )

    page = visitor.get(ROSTER)
    assert cards(page) == [
        "Marco Bellini | Trainer, Border Academy",
        "Amina Rahimova | Senior economist, Centre for Remittance Studies",
    ]
    topic = Topic.objects.get(slug="labour-migration")
    assert f'<li class="badge">{topic.name_en}</li>' in page.content.decode()


def test_an_expert_taken_off_the_roster_in_the_admin_is_gone_on_the_next_request(
    amina, marco, secretariat
):
    visitor = Client()
    assert counted(visitor.get(ROSTER)) == "2 experts found"
    # The second page of the same filter shares the count, so it must be renewed as well.
    assert counted(visitor.get(ROSTER + "?page=2")) == "2 experts found"

    admin_change(
        staff_signed_in(secretariat), expert_change_url(marco), "expert_form", is_listed=None
    )

    after = visitor.get(ROSTER)
    assert cards(after) == ["Amina Rahimova | Economist, Centre for Remittance Studies"]
    assert counted(after) == "1 expert found"
    assert counted(visitor.get(ROSTER + "?page=2")) == "1 expert found"


@pytest.mark.parametrize("rows", [1, 30])
def test_a_cached_page_asks_the_database_nothing(rows):
    ExpertFactory.create_batch(rows, topics=list(Topic.objects.all()[:3]))
    visitor = Client()
    cold, cold_queries = queries_of(visitor, ROSTER)
    warm, warm_queries = queries_of(visitor, ROSTER)
    # Filter topics, count, a page of experts, their topics; then nothing.
    assert len(cold_queries) == 4
    assert len(counts(cold_queries)) == 1
    assert warm_queries == []
    assert (cards(warm), counted(warm)) == (cards(cold), counted(cold))
    assert len(cards(warm)) == min(rows, 24)


@pytest.mark.parametrize("rows", [1, 30])
def test_a_cached_page_asks_a_member_no_more_than_an_empty_signed_in_page(member, rows):
    ExpertFactory.create_batch(rows, topics=list(Topic.objects.all()[:3]))
    viewer = signed_in(member)
    empty_page = reverse("members:account_closed")
    viewer.get(empty_page)  # whatever the first request of a session pays (its permissions)
    _floor, floor_queries = queries_of(viewer, empty_page)
    signed_in(ProfileFactory().user).get(ROSTER)  # another member fills the cache
    warm, warm_queries = queries_of(viewer, ROSTER)
    assert counts(warm_queries) == []
    assert len(warm_queries) == len(floor_queries)
    assert len(cards(warm)) == min(rows, 24)


def test_another_page_of_the_same_filter_counts_nothing():
    ExpertFactory.create_batch(30, languages=["ru"])
    visitor = Client()
    _first, first_queries = queries_of(visitor, ROSTER + "?language=ru")
    second, second_queries = queries_of(visitor, ROSTER + "?language=ru&page=2")
    assert len(counts(first_queries)) == 1
    assert counts(second_queries) == []
    assert counted(second) == "30 experts found"
    assert len(cards(second)) == 6


def links(response) -> list[str]:
    actions = re.search(r'<p class="actions">(.*?)</p>', response.content.decode(), re.S)
    return re.findall(r">([^<]+)</a>", actions[1]) if actions else []


def test_each_viewer_gets_their_own_links_though_the_cards_are_cached(amina, member, secretariat):
    staff_page = signed_in(secretariat).get(ROSTER)
    member_page = signed_in(member).get(ROSTER)
    visitor_page = Client().get(ROSTER)
    # Another member, in another time zone, is served the first member's copy.
    colleague = ProfileFactory(time_zone="America/New_York").user
    colleague_page, colleague_queries = queries_of(signed_in(colleague), ROSTER)

    assert links(staff_page) == [
        "Ask the secretariat for an expert",
        "My requests",
        "Request queue",
        "Export the roster (CSV)",
    ]
    assert links(member_page) == links(colleague_page)
    assert links(member_page) == ["Ask the secretariat for an expert", "My requests"]
    assert links(visitor_page) == []
    assert [sql for sql in colleague_queries if "members_expert" in sql] == []
    assert cards(staff_page) == cards(member_page) == cards(visitor_page) == cards(colleague_page)


def test_russian_and_english_are_cached_apart(amina, marco):
    visitor = Client()
    english = visitor.get(ROSTER, headers={"accept-language": "en"})
    russian = visitor.get(ROSTER, headers={"accept-language": "ru"})
    assert cards(english) == [
        "Marco Bellini | Trainer, Border Academy",
        "Amina Rahimova | Economist, Centre for Remittance Studies",
    ]
    assert cards(russian) == [
        "Марко Беллини | тренер, Пограничная академия",
        "Амина Рахимова | экономист, Центр исследований денежных переводов",
    ]
    assert counted(russian) == "Найдено 2 эксперта"
    again = visitor.get(ROSTER, headers={"accept-language": "en"})
    assert cards(again) == cards(english)
