"""The home page's sections: each shows with its data and is left out without it, in English and
in Russian, with the next video conference's time in the viewer's zone."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from demo import portal as demo_portal
from mirpal.timezones import zone_label
from portal.models import Supporter
from tests.factories.events import EventFactory
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
MARCH_12_2030 = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)
ALL_SECTIONS = {
    "en": [
        "Coming events",
        "Migration 21 magazine",
        "New in the library",
        "Experts of the network",
        "Nine countries of the network",
        "Partners and donors",
    ],
    "ru": [
        "Предстоящие мероприятия",
        "Журнал «Миграция XXI век»",
        "Новое в библиотеке",
        "Эксперты сети",
        "Девять стран сети",
        "Партнёры и доноры",
    ],
}


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headings(html: str) -> list[str]:
    return [text(h) for h in re.findall(r'<h2 id="home-[a-z]+-title">(.*?)</h2>', html, re.S)]


def section(html: str, name: str) -> str:
    found = re.search(rf'<section class="home-section home-{name}".*?</section>', html, re.S)
    return found[0] if found else ""


def links(html: str) -> list[str]:
    return [text(link) for link in re.findall(r"<a [^>]*>(.*?)</a>", html, re.S)]


def page(client, language: str = "en") -> str:
    response = client.get(HOME, headers={"accept-language": language})
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response.content.decode()


def supporter(name: str, kind: str = "partner", **fields) -> Supporter:
    return Supporter.objects.create(
        name_en=name, name_ru=f"{name} (рус.)", kind=kind, url="https://example.org/", **fields
    )


@pytest.fixture
def network():
    """A network with something in every section."""
    EventFactory(
        title_en="Seminar before",
        title_ru="Семинар до",
        kind="seminar",
        starts_at=MARCH_12_2030 - datetime.timedelta(days=2),
    )
    EventFactory(
        title_en="Remittances after the crisis",
        title_ru="Денежные переводы после кризиса",
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=2),
        time_zone="Europe/Moscow",
    )
    EventFactory(
        title_en="Video conference later",
        title_ru="Видеоконференция позже",
        starts_at=MARCH_12_2030 + datetime.timedelta(days=30),
    )
    EventFactory(title_en="A draft", status="draft", starts_at=MARCH_12_2030)
    EventFactory(
        title_en="Over already",
        starts_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2020, 1, 1, 2, tzinfo=datetime.UTC),
    )
    IssueFactory(number=7, title_en="Older issue")
    issue = IssueFactory(number=8, title_en="Return migration", title_ru="Возвратная миграция")
    ArticleFactory(issue=issue, title="Second article", page_start=20, page_end=25)
    ArticleFactory(issue=issue, title="First article", page_start=3, page_end=9)
    DocumentFactory(title_en="Public study", published_on=datetime.date(2025, 5, 1))
    DocumentFactory(
        title_en="Members-only brief", access="members", published_on=datetime.date(2025, 6, 1)
    )
    ExpertFactory(name_en="Aigerim Suleimenova", name_ru="Айгерим Сулейменова")
    ExpertFactory(name_en="Hidden Expert", is_listed=False)
    supporter("International Organization for Migration", position=1)
    supporter("Regional Migration Research Foundation", kind="donor")
    supporter("Former Partner", is_shown=False)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_section_shows_with_its_data(network, language):
    html = page(Client(), language)
    assert headings(html) == ALL_SECTIONS[language]


def test_the_sections_show_what_a_visitor_may_see(network):
    html = page(Client())
    events = section(html, "events")
    assert links(events) == [
        "Remittances after the crisis",
        "Register : Remittances after the crisis",
        "Seminar before",
        "Video conference later",
        "All coming events",
    ]
    assert links(section(html, "issue")) == [
        "Migration 21 № 8 Return migration",
        "№ 8: Return migration",
        "First article",
        "Second article",
        "All issues",
    ]
    assert links(section(html, "documents")) == ["Public study", "The library"]
    assert links(section(html, "experts")) == ["Aigerim Suleimenova", "The expert roster"]
    supporters = section(html, "supporters")
    assert re.findall(r"<h3>(.*?)</h3>", supporters) == ["Partners", "Donors"]
    assert links(supporters) == [
        "International Organization for Migration",
        "Regional Migration Research Foundation",
    ]


def test_the_sections_read_in_russian(network):
    html = page(Client(), "ru")
    assert links(section(html, "events"))[:2] == [
        "Денежные переводы после кризиса",
        "Зарегистрироваться : Денежные переводы после кризиса",
    ]
    assert "Следующая видеоконференция" in section(html, "events")
    assert links(section(html, "experts")) == ["Айгерим Сулейменова", "Реестр экспертов"]
    assert links(section(html, "supporters")) == [
        "International Organization for Migration (рус.)",
        "Regional Migration Research Foundation (рус.)",
    ]
    countries = re.search(r'<ul class="home-countries">(.*?)</ul>', html, re.S)[1]
    assert re.findall(r'<li><a href="/countries/[a-z]{2}/">(.*?)</a></li>', countries) == [
        "Армения",
        "Беларусь",
        "Казахстан",
        "Кыргызская Республика",
        "Молдова",
        "Россия",
        "Таджикистан",
        "Украина",
        "Узбекистан",
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_sections_without_data_are_left_out(language):
    html = page(Client(), language)
    assert headings(html) == ALL_SECTIONS[language][4:5]
    assert 'class="home-section home-' not in html


def test_a_conference_register_button_leads_to_its_page(network):
    html = section(page(Client()), "events")
    button = re.search(r'<a class="button" href="([^"]+)">', html)[1]
    assert button == "/events/" + re.search(r'href="/events/([^"]+)"', html)[1]
    assert Client().get(button).status_code == 200


@pytest.mark.parametrize(
    ("time_zone", "shown"),
    [
        ("Asia/Bishkek", "12 March 2030, 16:00–18:00"),
        ("Europe/London", "12 March 2030, 10:00–12:00"),
    ],
)
def test_the_conference_time_is_in_the_members_zone(network, time_zone, shown):
    viewer = ProfileFactory(time_zone=time_zone).user
    client = Client()
    client.force_login(viewer)
    html = section(page(client), "events")
    time = re.search(r'<p class="home-next-time">(.*?)</p>', html, re.S)[1]
    with translation.override("en"):
        label = zone_label(time_zone, at=MARCH_12_2030)
    assert text(time) == f"{shown} ({label})"


def test_the_conference_time_is_in_the_browsers_zone_for_a_visitor(network):
    client = Client()
    client.cookies["mirpal_tz"] = "Asia%2FTashkent"
    time = re.search(r'<p class="home-next-time">(.*?)</p>', page(client, "ru"), re.S)[1]
    with translation.override("ru"):
        label = zone_label("Asia/Tashkent", at=MARCH_12_2030)
    assert text(time) == f"12 марта 2030, 15:00–17:00 ({label})"


def test_the_next_conference_is_left_out_when_only_other_events_come():
    EventFactory(title_en="Field visit to Osh", kind="seminar")
    html = section(page(Client()), "events")
    assert "Next video conference" not in html
    assert links(html) == ["Field visit to Osh", "All coming events"]


def test_an_issue_without_a_cover_shows_a_placeholder(network):
    html = section(page(Client()), "issue")
    assert "<img" not in html
    assert text(re.search(r'<span class="home-cover-placeholder">.*?</a>', html, re.S)[0]) == (
        "Migration 21 № 8 Return migration"
    )


def test_the_buttons_follow_the_viewer(network, member):
    anonymous = page(Client())
    signed_in = Client()
    signed_in.force_login(member)
    assert "Apply to join the network" in anonymous
    assert "Apply to join the network" not in page(signed_in)


def test_demo_partners_and_donors_load_once_and_show_in_their_order():
    assert demo_portal.load() == {"supporters": 7}
    assert demo_portal.load() == {"supporters": 0}
    html = section(page(Client()), "supporters")
    partners, donors = re.findall(r'<ul class="home-supporter-list">(.*?)</ul>', html, re.S)
    assert links(partners) == [
        "International Organization for Migration (IOM)",
        "United Nations Development Programme (UNDP)",
        "World Bank, KNOMAD",
        "International Labour Organization (ILO)",
        "Eurasian Economic Commission",
    ]
    assert links(donors) == ["Swiss Agency for Development and Cooperation (SDC)"]
    assert text(donors).endswith("Regional Migration Research Foundation")
