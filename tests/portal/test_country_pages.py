"""The country pages: what the network holds about one of its nine countries, with exact counts,
members' names and members-only content for members alone, and a query count that does not grow
with the data."""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.events import EventFactory, in_days
from tests.factories.exchange import ThreadFactory
from tests.factories.library import DocumentFactory
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.practices import CaseFactory, CountryFigureFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

KG = reverse("country", kwargs={"code": "kg"})


def person(first: str, last: str, **profile):
    return ProfileFactory(user=UserFactory(first_name=first, last_name=last), **profile)


@pytest.fixture
def kyrgyz_world():
    """Kyrgyz Republic: three government members (one not in the directory), an NGO member, an
    applicant; a member from Kazakhstan. Experts, events, documents, cases, threads and figures
    about it, and some about Kazakhstan or not yet visible."""
    author = person("Aibek", "Asanov", country="KG", organisation_type="government").user
    person("Bakyt", "Bekov", country="KG", organisation_type="government")
    person(
        "Dinara",
        "Unlisted",
        country="KG",
        organisation_type="government",
        listed_in_directory=False,
    )
    person("Elnura", "Ermekova", country="KG", organisation_type="ngo")
    person("Farid", "Pending", country="KG", organisation_type="government", status="pending")
    person("Gulnara", "Kazakova", country="KZ", organisation_type="ngo")

    ExpertFactory(name_en="Irina Remittova", countries=["KG", "KZ"])
    ExpertFactory(name_en="Kazbek Only", countries=["KZ"])
    ExpertFactory(name_en="Hidden Expert", countries=["KG"], is_listed=False)

    EventFactory(
        title_en="Annual conference in Bishkek",
        kind="annual_conference",
        venue_city="Bishkek",
        venue_city_ru="Бишкек",
        venue_country="KG",
        countries=[],
        starts_at=in_days(20),
    )
    EventFactory(title_en="Remittances to Kyrgyzstan", countries=["KG"], starts_at=in_days(5))
    EventFactory(title_en="Kazakh labour market", countries=["KZ"])
    EventFactory(title_en="Draft about Kyrgyzstan", countries=["KG"], status="draft")
    EventFactory(title_en="Last year's seminar", countries=["KG", "TJ"], starts_at=in_days(-300))

    DocumentFactory(title_en="Labour migration from the Kyrgyz Republic", countries=["KG"])
    DocumentFactory(
        title_en="Internal note on Kyrgyz returnees", countries=["KG"], access="members"
    )
    DocumentFactory(title_en="Kazakhstan in figures", countries=["KZ"])

    CaseFactory(title_en="Pre-departure courses", countries=["KG"])
    CaseFactory(title_en="Migrant resource centres", countries=["KG", "TJ"], visibility="members")
    CaseFactory(title_en="Not yet reviewed", countries=["KG"], review_state="submitted")
    CaseFactory(title_en="Kazakh digital permits", countries=["KZ"])

    ThreadFactory(
        title="Pensions of Kyrgyz migrants?", countries=["KG"], visibility="public", author=author
    )
    ThreadFactory(title="Members talk about Bishkek", countries=["KG"], author=author)
    ThreadFactory(title="Held question on Osh", countries=["KG"], state="held", author=author)
    ThreadFactory(title="Astana question", countries=["KZ"], visibility="public", author=author)

    CountryFigureFactory(
        label_en="Remittances, share of GDP",
        label_ru="Денежные переводы, доля ВВП",
        value="24.0%",
        value_ru="24,0%",
        year=2024,
        source_en="World Bank",
        source_ru="Всемирный банк",
        source_url="https://data.worldbank.org/",
        position=1,
    )
    CountryFigureFactory(
        label_en="Citizens working abroad",
        label_ru="Граждане, работающие за рубежом",
        value="800,000",
        year=2023,
        source_en="Ministry of Labour",
        source_ru="Министерство труда",
        position=2,
    )
    CountryFigureFactory(country="KZ", label_en="Immigrants", value="3.7 m", year=2020)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, name: str) -> str:
    return re.search(rf'<section class="card country-{name}".*?</section>', html, re.S)[0]


def heading_count(html: str, name: str) -> int:
    return int(re.search(r"<h2[^>]*>.*?\((\d+)\)", section(html, name), re.S)[1])


def links(block: str) -> list[str]:
    return [text(label) for label in re.findall(r"<a href=\"[^\"]+\"[^>]*>(.*?)</a>", block)]


def list_links(block: str, list_class: str = "home-list") -> list[str]:
    items = re.search(rf'<ul class="{list_class}[^"]*">(.*?)</ul>', block, re.S)
    return links(items[1]) if items else []


def page_of(client: Client, url: str = KG, **headers) -> str:
    """The page's <main>: the header around it holds a form's CSRF token, new at each request."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return re.search(r"<main.*?</main>", response.content.decode(), re.S)[0]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PUBLIC_VIEW = {
    "documents": ["Labour migration from the Kyrgyz Republic"],
    "cases": ["Pre-departure courses"],
    "threads": ["Pensions of Kyrgyz migrants?"],
}
MEMBER_VIEW = {
    "documents": [
        # The same date: the one added last first.
        "Internal note on Kyrgyz returnees Members only",
        "Labour migration from the Kyrgyz Republic",
    ],
    "cases": ["Migrant resource centres", "Pre-departure courses"],
    "threads": ["Members talk about Bishkek", "Pensions of Kyrgyz migrants?"],
}


def shown_lists(html: str) -> dict[str, list[str]]:
    return {
        "documents": [
            text(item)
            for item in re.findall(
                r"<li>(.*?)<span class=\"muted\">", section(html, "documents"), re.S
            )
        ],
        "cases": list_links(section(html, "cases")),
        "threads": list_links(section(html, "threads")),
    }


def test_the_same_counts_for_everyone_and_members_only_content_for_members(
    kyrgyz_world, applicant, member, secretariat
):
    anonymous = page_of(Client())
    members = section(anonymous, "members")
    assert heading_count(anonymous, "members") == 4
    assert re.findall(r"<dt>(.*?)</dt><dd>(\d+)</dd>", members) == [
        ("Government body", "3"),
        ("NGO", "1"),
    ]
    assert "country-member-names" not in members
    assert "Members of the network see their colleagues' names here." in members
    for name in ("Asanov", "Bekov", "Ermekova", "Pending", "Kazakova"):
        assert name not in anonymous

    assert heading_count(anonymous, "experts") == 1
    assert list_links(section(anonymous, "experts")) == ["Irina Remittova"]
    events = section(anonymous, "events")
    assert list_links(events, "home-list country-events-coming") == [
        "Remittances to Kyrgyzstan",
        "Annual conference in Bishkek",
    ]
    assert list_links(events, "home-list country-events-past") == ["Last year's seminar"]
    assert "Bishkek" in events
    assert "Draft about" not in anonymous
    assert "Kazakh labour" not in events
    assert re.findall(r"<h3[^>]*>.*?\((\d+)\)</span></h3>", events) == ["2", "1"]

    assert shown_lists(anonymous) == PUBLIC_VIEW
    assert [heading_count(anonymous, name) for name in ("documents", "cases", "threads")] == [
        1,
        1,
        1,
    ]
    figures = section(anonymous, "figures")
    assert [text(item) for item in re.findall(r"<li>(.*?)</li>", figures, re.S)] == [
        "24.0% Remittances, share of GDP World Bank , 2024",
        "800,000 Citizens working abroad Ministry of Labour, 2023",
    ]
    assert '<a href="https://data.worldbank.org/" rel="noopener">World Bank</a>' in figures

    # An applicant sees what anyone sees (the events' times in their own time zone).
    applicants = page_of(signed_in(applicant))
    for name in ("figures", "members", "experts", "documents", "cases", "threads"):
        assert section(applicants, name) == section(anonymous, name)

    for viewer in (member, secretariat):
        page = page_of(signed_in(viewer))
        assert heading_count(page, "members") == 4
        assert list_links(section(page, "members"), "home-list country-member-names") == [
            "Aibek Asanov",
            "Bakyt Bekov",
            "Elnura Ermekova",
        ]
        assert "Unlisted" not in page
        assert "Pending" not in page
        assert shown_lists(page) == MEMBER_VIEW
        assert [heading_count(page, name) for name in ("documents", "cases", "threads")] == [
            2,
            2,
            2,
        ]
        assert "Draft about" not in page


def test_the_page_in_russian(kyrgyz_world, member):
    page = page_of(signed_in(member), **{"accept-language": "ru"})
    assert "<h1>Кыргызская Республика</h1>" in page
    assert re.findall(r"<dt>(.*?)</dt><dd>(\d+)</dd>", section(page, "members")) == [
        ("Государственный орган", "3"),
        ("НКО", "1"),
    ]
    figures = [text(item) for item in re.findall(r"<li>(.*?)</li>", section(page, "figures"), re.S)]
    assert figures == [
        "24,0% Денежные переводы, доля ВВП Всемирный банк , 2024",
        "800,000 Граждане, работающие за рубежом Министерство труда, 2023",
    ]
    assert "Бишкек" in section(page, "events")
    assert "Все участники из этой страны в справочнике участников (3)" in section(page, "members")

    html = page_of(Client(), reverse("countries"), **{"accept-language": "ru"})
    cards = re.findall(r'<li class="card country-summary">(.*?)</li>', html, re.S)
    assert text(cards[3]) == (
        "Кыргызская Республика 4 участника · 1 эксперт · 2 предстоящих мероприятия "
        "Денежные переводы, доля ВВП (2024) 24,0% Граждане, работающие за рубежом (2023) 800,000"
    )


def test_the_list_of_countries(kyrgyz_world):
    html = page_of(Client(), reverse("countries"))
    cards = re.findall(r'<li class="card country-summary">(.*?)</li>', html, re.S)
    assert [links(card)[0] for card in cards] == [
        "Armenia",
        "Belarus",
        "Kazakhstan",
        "Kyrgyz Republic",
        "Moldova",
        "Russia",
        "Tajikistan",
        "Ukraine",
        "Uzbekistan",
    ]
    summary = {links(card)[0]: text(card) for card in cards}
    assert summary["Kyrgyz Republic"] == (
        "Kyrgyz Republic 4 members · 1 expert · 2 coming events "
        "Remittances, share of GDP (2024) 24.0% Citizens working abroad (2023) 800,000"
    )
    assert summary["Kazakhstan"] == (
        "Kazakhstan 1 member · 2 experts · 1 coming event Immigrants (2020) 3.7 m"
    )
    assert summary["Tajikistan"] == "Tajikistan 0 members · 0 experts · 0 coming events"
    assert '<a href="/countries/kg/">Kyrgyz Republic</a>' in html


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/countries/kg/", 200),
        ("/countries/xx/", 404),
        ("/countries/zz/", 404),
        ("/countries/KG/", 301),
    ],
)
def test_only_the_nine_countries_have_a_page(path, status):
    response = Client().get(path)
    assert response.status_code == status
    if status == 301:
        assert response["Location"] == "/countries/kg/"


def test_links_to_the_country_pages_from_the_home_event_and_document_pages():
    home = page_of(Client(), reverse("home"))
    row = re.search(r'<ul class="home-countries">(.*?)</ul>', home, re.S)[1]
    assert re.findall(r'<a href="([^"]+)">', row) == [
        f"/countries/{code}/" for code in ("am", "by", "kz", "kg", "md", "ru", "tj", "ua", "uz")
    ]
    assert '<a href="/countries/">The countries at a glance</a>' in home

    event = EventFactory(
        kind="annual_conference",
        venue_city="Dushanbe",
        venue_country="TJ",
        countries=["TJ", "XX", "KG"],
    )
    html = page_of(Client(), event.get_absolute_url())
    assert 'Dushanbe, <a href="/countries/tj/">Tajikistan</a>' in html
    assert (
        '<a href="/countries/tj/">Tajikistan</a>, International / other, '
        '<a href="/countries/kg/">Kyrgyz Republic</a>'
    ) in html

    document = DocumentFactory(countries=["UZ", "KZ"])
    html = page_of(Client(), document.get_absolute_url(), **{"accept-language": "ru"})
    assert (
        '<a href="/countries/uz/">Узбекистан</a>, <a href="/countries/kz/">Казахстан</a>'
    ) in html


def _many(count: int) -> None:
    """`count` of everything a Kyrgyz page lists, visible to members and to everyone."""
    for number in range(count):
        person(f"Name{number}", f"Family{number}", country="KG")
        ExpertFactory(countries=["KG"])
        EventFactory(countries=["KG"])
        EventFactory(countries=["KG"], starts_at=in_days(-30 - number))
        DocumentFactory(countries=["KG"], access="public" if number % 2 else "members")
        CaseFactory(countries=["KG"], visibility="public" if number % 2 else "members")
        ThreadFactory(countries=["KG"], visibility="public" if number % 2 else "members")
        CountryFigureFactory(year=2000 + number)


@pytest.mark.parametrize("count", [1, 9])
def test_the_query_count_does_not_grow_with_the_data(count, member, django_assert_num_queries):
    _many(count)
    visitor = Client()
    # Member counts, experts, coming and past events, documents, cases, threads, figures.
    with django_assert_num_queries(8):
        anonymous = page_of(visitor)
    with django_assert_num_queries(0):
        assert page_of(visitor) == anonymous

    colleague = signed_in(member)
    # The session with the account and its profile; then the same and the members' names.
    with django_assert_num_queries(1 + 9):
        page = page_of(colleague)
    with django_assert_num_queries(1):
        assert page_of(colleague) == page
    assert heading_count(page, "members") == count
    assert heading_count(page, "documents") == count
    assert heading_count(anonymous, "documents") == count // 2
    assert len(list_links(section(page, "documents"))) == min(count, 6)

    # Members, experts and coming events by country, the figures; and when the next event ends.
    with django_assert_num_queries(5):
        page_of(visitor, reverse("countries"))
    with django_assert_num_queries(0):
        page_of(visitor, reverse("countries"))


def test_a_coming_event_that_ends_moves_to_the_past_ones():
    """No write tells the cache that an event ended: the page is kept only until then."""
    now = timezone.now()
    EventFactory(
        title_en="Ending soon",
        countries=["KG"],
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(seconds=60),
    )
    EventFactory(title_en="Next month", countries=["KG"], starts_at=in_days(30))
    html = page_of(Client())
    assert list_links(section(html, "events"), "home-list country-events-coming") == [
        "Ending soon",
        "Next month",
    ]
    redis = cache._cache.get_client()
    keys = redis.keys("*mirpal:fragment:portal:country:KG:*")
    assert len(keys) == 1
    assert 0 < redis.ttl(keys[0]) <= 60
