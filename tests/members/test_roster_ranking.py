"""For each request the secretariat sees the roster ranked by match, with the reasons."""

import pytest
from django.urls import reverse

from members.roster.selectors import expert_request_ranking
from mirpal.models import Topic
from tests.factories.roster import ExpertFactory, ExpertRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return {topic.slug: topic for topic in Topic.objects.all()}


@pytest.fixture
def request_for_remittances(topics):
    return ExpertRequestFactory(
        topic=topics["remittances"],
        countries=["TJ", "UZ"],
        language="ru",
        help_kind="field_visit",
    )


def _experts(topics):
    return {
        "all four": ExpertFactory(
            name_en="All Four",
            topics=[topics["remittances"]],
            countries=["TJ", "UZ"],
            languages=["ru"],
            help_kinds=["field_visit"],
        ),
        "topic country language": ExpertFactory(
            name_en="Topic Country Language",
            topics=[topics["remittances"], topics["gender"]],
            countries=["TJ", "FR"],
            languages=["ru", "fr"],
            help_kinds=["training"],
        ),
        "topic alone": ExpertFactory(
            name_en="Topic Alone",
            topics=[topics["remittances"]],
            countries=["PE"],
            languages=["es"],
            help_kinds=["training"],
        ),
        "country language help": ExpertFactory(
            name_en="Country Language Help",
            topics=[topics["gender"]],
            countries=["UZ"],
            languages=["ru"],
            help_kinds=["field_visit"],
        ),
        "language alone": ExpertFactory(
            name_en="Language Alone",
            topics=[topics["gender"]],
            countries=["PE"],
            languages=["ru"],
            help_kinds=["training"],
        ),
        "nothing": ExpertFactory(
            name_en="Nothing",
            topics=[topics["gender"]],
            countries=["PE"],
            languages=["es"],
            help_kinds=["training"],
        ),
    }


def test_ranking_orders_by_match_and_gives_reasons(topics, request_for_remittances):
    _experts(topics)
    ranked = expert_request_ranking(request=request_for_remittances)
    assert [(entry.expert.name_en, entry.score, entry.reasons) for entry in ranked] == [
        (
            "All Four",
            15,
            [
                "Field: Remittances",
                "Knows: Tajikistan, Uzbekistan",
                "Speaks Russian",
                "Offers: Field visit",
            ],
        ),
        (
            "Topic Country Language",
            14,
            ["Field: Remittances", "Knows: Tajikistan", "Speaks Russian"],
        ),
        ("Topic Alone", 8, ["Field: Remittances"]),
        (
            "Country Language Help",
            7,
            ["Knows: Uzbekistan", "Speaks Russian", "Offers: Field visit"],
        ),
        ("Language Alone", 2, ["Speaks Russian"]),
    ]


def test_more_countries_in_common_break_a_tie(topics, request_for_remittances):
    one = ExpertFactory(name_en="A One Country", topics=[topics["remittances"]], countries=["TJ"])
    two = ExpertFactory(
        name_en="B Two Countries", topics=[topics["remittances"]], countries=["TJ", "UZ"]
    )
    ranked = expert_request_ranking(request=request_for_remittances)
    assert [entry.expert for entry in ranked] == [two, one]


def test_request_page_shows_the_ranking_to_the_secretariat_only(
    topics, request_for_remittances, client_for
):
    _experts(topics)
    url = reverse("members:expert_request_detail", args=[request_for_remittances.pk])
    staff = client_for("secretariat").get(url).content.decode()
    assert (
        staff.index("All Four") < staff.index("Topic Country Language") < staff.index("Topic Alone")
    )
    assert "Knows: Tajikistan, Uzbekistan" in staff
    assert "Nothing" not in staff


def test_request_page_ranking_in_russian(topics, request_for_remittances, client_for):
    _experts(topics)
    client = client_for("secretariat")
    client.cookies["mirpal_language"] = "ru"
    url = reverse("members:expert_request_detail", args=[request_for_remittances.pk])
    page = client.get(url).content.decode()
    assert "Знает: Таджикистан, Узбекистан" in page
    assert "Владеет языком: Русский" in page
