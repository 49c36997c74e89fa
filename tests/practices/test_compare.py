"""Comparing: the cases of a topic side by side by country (exact rows for a known set of cases,
as an anonymous visitor and as a member), two or three cases field by field, and query counts
that do not grow with the cases."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mirpal.models import Topic
from practices.enums import CaseStatus, Visibility
from tests.factories.practices import CaseFactory

pytestmark = pytest.mark.django_db


class Table(HTMLParser):
    """The header and body rows of the page's first table, each a tuple of its cells' texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, ...]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if self._done:
            return
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(tuple(self._row))
            self._row = None
        elif tag == "table":
            self._done = True

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(response) -> list[tuple[str, ...]]:
    assert response.status_code == 200
    parser = Table()
    parser.feed(response.content.decode())
    return parser.rows


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def topic(db):
    return Topic.objects.order_by("position", "slug").first()


@pytest.fixture
def world(topic):
    other = Topic.objects.order_by("position", "slug")[1]

    def case(slug, title, countries, **fields):
        return CaseFactory(
            slug=slug,
            title_en=title,
            countries=countries,
            measure_en=f"Measure of {title}.",
            results_en=f"Results of {title}.",
            topics=fields.pop("topics", [topic]),
            **fields,
        )

    return {
        "zhetysu": case("zhetysu", "Zhetysu job fairs", ["KG"], year_from=2019, year_to=None),
        "agency": case(
            "agency",
            "Agency for recruitment",
            ["KG"],
            status=CaseStatus.PILOT,
            year_from=2021,
            year_to=2023,
        ),
        "yerevan": case(
            "yerevan", "Yerevan return desk", ["AM"], status=CaseStatus.IDEA, year_from=None
        ),
        "joint": case(
            "joint",
            "Joint pre-departure courses",
            ["TJ", "KG"],
            status=CaseStatus.ENDED,
            year_from=2015,
            year_to=2018,
        ),
        "off": case("off", "Off-topic remittance bonds", ["KG"], topics=[other]),
        "private": case(
            "private", "Armenian members-only case", ["AM"], visibility=Visibility.MEMBERS
        ),
    }


HEADER = ("Country", "Measure", "Status", "Years", "Results", "Compare")


def row(country, title, status, years):
    return (
        country,
        f"{title} Measure of {title}.",
        status,
        years,
        f"Results of {title}.",
        f"Compare “{title}”",
    )


def test_the_topic_side_by_side_by_country(client, member, topic, world):
    url = reverse("practices:compare")
    public = [
        row("Armenia", "Yerevan return desk", "Idea", ""),
        row("Kyrgyz Republic", "Agency for recruitment", "Pilot", "2021–2023"),
        row("Kyrgyz Republic", "Joint pre-departure courses", "Ended", "2015–2018"),
        row("Kyrgyz Republic", "Zhetysu job fairs", "In force", "since 2019"),
        row("Tajikistan", "Joint pre-departure courses", "Ended", "2015–2018"),
    ]
    assert table(client.get(url, {"topic": topic.slug})) == [HEADER, *public]
    assert table(signed_in(member).get(url, {"topic": topic.slug})) == [
        HEADER,
        row("Armenia", "Armenian members-only case", "In force", "since 2019"),
        *public,
    ]


def test_the_topic_filtered_by_country_and_status(client, topic, world):
    url = reverse("practices:compare")
    assert table(client.get(url, {"topic": topic.slug, "country": "KG", "status": "ended"})) == [
        HEADER,
        row("Kyrgyz Republic", "Joint pre-departure courses", "Ended", "2015–2018"),
    ]
    nothing = client.get(url, {"topic": topic.slug, "country": "UZ"})
    assert "No published case on this topic matches these filters yet." in nothing.content.decode()
    assert table(nothing) == []
    # Without a topic the page asks for one.
    assert table(client.get(url)) == []


def test_two_or_three_cases_field_by_field(client, world):
    url = reverse("practices:compare_cases")
    response = client.get(url, {"case": ["agency", "yerevan"]})
    rows = table(response)
    assert rows[0] == ("", "Agency for recruitment", "Yerevan return desk")
    labels = [label for label, *_cells in rows[1:]]
    assert labels == [
        "Countries", "Status of the measure", "Years", "Topics", "Summary", "Problem addressed",
        "What was done", "Legal or policy basis", "Institutions involved", "Scale", "Cost",
        "Results", "Source of the results", "Before copying it",
    ]  # fmt: skip
    assert rows[1] == ("Countries", "Kyrgyz Republic", "Armenia")
    assert rows[2] == ("Status of the measure", "Pilot", "Idea")
    assert rows[3] == ("Years", "2021–2023", "")
    assert rows[7] == (
        "What was done",
        "Measure of Agency for recruitment.",
        "Measure of Yerevan return desk.",
    )
    three = table(client.get(url, {"case": ["joint", "agency", "zhetysu"]}))
    assert three[0] == (
        "",
        "Joint pre-departure courses",
        "Agency for recruitment",
        "Zhetysu job fairs",
    )
    assert three[1] == (
        "Countries",
        "Kyrgyz Republic, Tajikistan",
        "Kyrgyz Republic",
        "Kyrgyz Republic",
    )


def test_fewer_than_two_or_more_than_three_cases_say_so(client, member, world):
    url = reverse("practices:compare_cases")
    one = client.get(url, {"case": ["agency", "agency"]})
    assert "Choose two or three cases to compare" in one.content.decode()
    assert table(one) == []
    four = client.get(url, {"case": ["agency", "yerevan", "joint", "zhetysu"]})
    assert "At most three cases can be compared at once: you chose 4." in four.content.decode()
    assert table(four) == []
    # A members-only case is not compared for an anonymous visitor, and says why.
    hidden = client.get(url, {"case": ["agency", "private"]})
    assert "open to members only" in hidden.content.decode()
    assert table(hidden) == []
    assert table(signed_in(member).get(url, {"case": ["agency", "private"]}))[0] == (
        "",
        "Agency for recruitment",
        "Armenian members-only case",
    )


def _queries(client, url, params) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_cases(member, topic):
    reader = signed_in(member)
    made = [CaseFactory(topics=[topic], countries=["KG", "TJ"]) for _ in range(3)]
    url = reverse("practices:compare")
    three = _queries(reader, url, {"topic": topic.slug})
    picked = {"case": [case.slug for case in made]}
    three_compared = _queries(reader, reverse("practices:compare_cases"), picked)
    made += [CaseFactory(topics=[topic], countries=["AM", "KG"]) for _ in range(9)]
    assert _queries(reader, url, {"topic": topic.slug}) == three
    picked = {"case": [case.slug for case in made[-3:]]}
    assert _queries(reader, reverse("practices:compare_cases"), picked) == three_compared
