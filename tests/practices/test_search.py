"""The site's search finds good-practice cases, in their own group: by a Russian word form and
by an English word, and never a members-only case for those who may not read it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from practices.enums import Visibility
from tests.factories.practices import CaseFactory

pytestmark = pytest.mark.django_db

GROUP = re.compile(
    r'<section class="card library-group" aria-labelledby="search-group-cases">(.*?)</section>',
    re.DOTALL,
)
TITLE = re.compile(r'<h3 class="library-title"><a href="([^"]+)">(.*?)</a></h3>')


def found(client, words: str) -> list[tuple[str, str]]:
    response = client.get(reverse("library:search"), {"q": words})
    assert response.status_code == 200
    group = GROUP.search(response.content.decode())
    return TITLE.findall(group.group(1)) if group else []


@pytest.fixture
def cases(db):
    public = CaseFactory(
        slug="seasonal",
        title_en="Seasonal work visas with employers",
        title_ru="Сезонные рабочие визы с работодателями",
        summary_en="Orchards hire pickers under a quota.",
        summary_ru="Сады нанимают сборщиков урожая по квоте.",
    )
    private = CaseFactory(
        slug="private-orchards",
        title_en="Orchard cooperatives abroad",
        title_ru="Кооперативы садоводов за рубежом",
        summary_en="Orchards abroad take groups of workers.",
        summary_ru="Сады за рубежом принимают группы работников.",
        visibility=Visibility.MEMBERS,
    )
    return public, private


def test_a_russian_and_an_english_word_find_the_case(client, cases):
    public, _private = cases
    seasonal = [(public.get_absolute_url(), "Seasonal work visas with employers")]
    # Another form of the Russian word: the vector is stemmed in Russian.
    assert found(client, "сезонная") == seasonal
    assert found(client, "quota") == seasonal
    assert found(client, "nothingcalledthis") == []


def test_members_only_cases_only_for_members(client, applicant, member, cases):
    public, private = cases
    assert found(client, "orchards") == [(public.get_absolute_url(), public.title_en)]
    reader = Client()
    reader.force_login(applicant)
    assert found(reader, "сады") == [(public.get_absolute_url(), public.title_en)]
    reader.force_login(member)
    assert sorted(found(reader, "orchards")) == sorted(
        [
            (public.get_absolute_url(), public.title_en),
            (private.get_absolute_url(), private.title_en),
        ]
    )
