"""The list of good practices: who sees which case, its filters and pages, the cached body
following the data, and a query count that does not grow with the cases."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mirpal.models import Topic
from practices.enums import CaseStatus, Visibility
from practices.views import cases as case_views
from tests.factories.practices import CaseFactory

pytestmark = pytest.mark.django_db

ROW_TITLE = re.compile(
    r'<li class="card case-row">.*?<h2><a href="([^"]+)">(.*?)</a></h2>', re.DOTALL
)


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [title for _url, title in ROW_TITLE.findall(response.content.decode())]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def topics(db):
    first, second = Topic.objects.order_by("position", "slug")[:2]
    return first, second


@pytest.fixture
def cases(topics):
    first, second = topics
    # Published one after the other: the newest comes first.
    made = {
        "kg": CaseFactory(
            title_en="Public employment agency abroad", countries=["KG"], topics=[first]
        ),
        "am": CaseFactory(
            title_en="Return and reintegration centres",
            title_ru="Центры возвращения и реинтеграции",
            countries=["AM"],
            status=CaseStatus.PILOT,
            topics=[second],
            summary_en="Returning migrants find jobs through regional centres.",
            summary_ru="Вернувшиеся мигранты находят работу через региональные центры.",
        ),
        "private": CaseFactory(
            title_en="Pre-departure training for members",
            countries=["TJ", "KG"],
            visibility=Visibility.MEMBERS,
            topics=[first],
        ),
        "draft": CaseFactory(
            title_en="A proposal still under review",
            review_state="submitted",
            published_at=None,
            topics=[first],
        ),
    }
    return made


def test_anonymous_and_applicants_see_public_cases_members_see_all(
    client, cases, applicant, member
):
    url = reverse("practices:list")
    public = ["Return and reintegration centres", "Public employment agency abroad"]
    assert titles(client.get(url)) == public
    assert titles(signed_in(applicant).get(url)) == public
    assert titles(signed_in(member).get(url)) == [
        "Pre-departure training for members",
        *public,
    ]


def test_filters_by_topic_country_status_and_words(client, cases, member, topics):
    first, _second = topics
    url = reverse("practices:list")
    reader = signed_in(member)
    assert titles(reader.get(url, {"topic": first.slug})) == [
        "Pre-departure training for members",
        "Public employment agency abroad",
    ]
    assert titles(reader.get(url, {"country": "TJ"})) == ["Pre-departure training for members"]
    assert titles(reader.get(url, {"status": "pilot"})) == ["Return and reintegration centres"]
    # A Russian word form finds the Russian summary; an English word the English one.
    assert titles(reader.get(url, {"q": "центров"})) == ["Return and reintegration centres"]
    assert titles(reader.get(url, {"q": "regional"})) == ["Return and reintegration centres"]
    # A wrong value of one filter drops only that filter.
    assert titles(client.get(url, {"country": "FR", "status": "pilot"})) == [
        "Return and reintegration centres"
    ]
    empty = client.get(url, {"q": "nothingmatcheshere"})
    assert titles(empty) == []
    assert "No case matches these filters." in empty.content.decode()


def test_russian_page_shows_russian_titles_with_fallback(client, cases):
    client.cookies["django_language"] = "ru"
    response = client.get(reverse("practices:list"), HTTP_ACCEPT_LANGUAGE="ru")
    # The English-only title falls back to English; the factory gives every case a Russian one.
    assert titles(response)[0] == "Центры возвращения и реинтеграции"


def test_pages_of_the_list(client, topics, monkeypatch):
    monkeypatch.setattr(case_views, "PER_PAGE", 2)
    for number in range(5):
        CaseFactory(title_en=f"Case number {number}")
    url = reverse("practices:list")
    first_page = client.get(url)
    assert titles(first_page) == ["Case number 4", "Case number 3"]
    assert 'href="?page=2" rel="next"' in first_page.content.decode()
    assert titles(client.get(url, {"page": 3})) == ["Case number 0"]
    past = client.get(url, {"page": 4})
    assert titles(past) == []
    assert "This page is past the end of the list." in past.content.decode()


def test_a_new_case_shows_on_the_next_request(client, cases):
    url = reverse("practices:list")
    assert len(titles(client.get(url))) == 2
    CaseFactory(title_en="Just published")
    assert titles(client.get(url))[0] == "Just published"
    cases["am"].visibility = Visibility.MEMBERS
    cases["am"].save()
    assert titles(client.get(url)) == ["Just published", "Public employment agency abroad"]


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_cases(member, topics):
    reader = signed_in(member)
    url = reverse("practices:list")
    for _ in range(3):
        CaseFactory(topics=list(topics))
    three = _queries(reader, url)
    for _ in range(9):
        CaseFactory(topics=list(topics))
    twelve = _queries(reader, url)
    assert (three, twelve) == (three, three)
    # From the cache: the body is not read again.
    with CaptureQueriesContext(connection) as captured:
        reader.get(url)
    assert len(captured) < three
