"""The home page in Chromium with demo-like data: every section, in English and in Russian, on a
desktop and on a 390 px phone, the next video conference's time in the browser's zone, the
register button reaching the event, and (conftest.py) no axe-core violation. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, expect

from demo import portal as portal_demo
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.events import EventFactory
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFERENCE_START = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LOCALES = {"en": "en-GB", "ru": "ru-RU"}
TEXT = {
    "en": {
        "sections": [
            "Coming events",
            "Migration 21 magazine",
            "New in the library",
            "Experts of the network",
            "Nine countries of the network",
            "Partners and donors",
        ],
        "conference": "Remittances after the crisis",
        "time": "12 March 2030, 16:00–18:00",
        "register": "Register",
        "partner": "International Organization for Migration (IOM)",
    },
    "ru": {
        "sections": [
            "Предстоящие мероприятия",
            "Журнал «Миграция XXI век»",
            "Новое в библиотеке",
            "Эксперты сети",
            "Девять стран сети",
            "Партнёры и доноры",
        ],
        "conference": "Денежные переводы после кризиса",
        "time": "12 марта 2030, 16:00–18:00",
        "register": "Зарегистрироваться",
        "partner": "Международная организация по миграции (МОМ)",
    },
}


def cover_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 170), (11, 92, 138)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def network(settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    settings.MEDIA_ROOT = tmp_path / "media"
    for country in ("KG", "KZ", "TJ", "UZ", "AM"):
        ProfileFactory(country=country)
    conference = EventFactory(
        title_en=TEXT["en"]["conference"],
        title_ru=TEXT["ru"]["conference"],
        starts_at=CONFERENCE_START,
        ends_at=CONFERENCE_START + datetime.timedelta(hours=2),
        time_zone="Europe/Moscow",
    )
    EventFactory(
        title_en="Annual conference in Almaty",
        title_ru="Ежегодная конференция в Алматы",
        kind="annual_conference",
        venue_city="Almaty",
        venue_city_ru="Алматы",
        venue_country="KZ",
        starts_at=CONFERENCE_START + datetime.timedelta(days=40),
    )
    EventFactory(
        title_en="Seminar on diaspora bonds",
        title_ru="Семинар об облигациях для диаспоры",
        kind="seminar",
        starts_at=CONFERENCE_START + datetime.timedelta(days=60),
    )
    issue = IssueFactory(
        number=64,
        title_en="Return and reintegration",
        title_ru="Возвращение и реинтеграция",
        published_on=datetime.date(2026, 9, 1),
    )
    issue.cover.save("cover.png", ContentFile(cover_png()))
    for page, title in enumerate(
        ["Circular migration in Central Asia", "Remittances and household budgets"], start=1
    ):
        ArticleFactory(issue=issue, title=title, page_start=page * 10, page_end=page * 10 + 6)
    for number, title in enumerate(
        [
            "Labour migration statistics 2025",
            "Pre-departure orientation: good practices",
            "Diaspora engagement policies",
        ]
    ):
        DocumentFactory(
            title_en=title, title_ru="", published_on=datetime.date(2026, 10, number + 1)
        )
    ExpertFactory(name_en="Aigerim Suleimenova", name_ru="Айгерим Сулейменова")
    ExpertFactory(name_en="Daniel Weber", name_ru="Даниэль Вебер", title_en="Economist")
    ExpertFactory(name_en="Olga Morozova", name_ru="Ольга Морозова")
    portal_demo.load()
    return conference


@pytest.mark.parametrize("language", ["en", "ru"])
def test_home_page_sections_on_a_desktop_and_a_phone(
    language, browser: Browser, live_server, network, screenshots
):
    text = TEXT[language]
    context = browser.new_context(
        viewport=DESKTOP, locale=LOCALES[language], timezone_id="Asia/Bishkek"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    # The first page tells the server the browser's zone; from the next one times are in it.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main section h2")).to_have_text(text["sections"])
    next_conference = page.locator(".home-next")
    expect(next_conference.locator("h3")).to_have_text(text["conference"])
    expect(next_conference.locator("time")).to_have_text(text["time"])
    expect(page.locator(".home-events .home-list li")).to_have_count(2)
    expect(page.locator(".home-issue .home-list li")).to_have_count(2)
    assert page.locator(".home-cover img").evaluate("image => image.naturalWidth") == 120
    expect(page.locator(".home-documents li")).to_have_count(3)
    expect(page.locator(".home-expert")).to_have_count(3)
    expect(page.locator(".home-countries li")).to_have_count(9)
    expect(page.locator(".home-supporter").first).to_have_text(text["partner"])
    expect(page.locator(".home-supporter")).to_have_count(7)
    page.screenshot(path=screenshots / f"{language}-home.png", full_page=True)

    page.set_viewport_size(PHONE)
    assert page.evaluate(OVERFLOW) == 0
    page.screenshot(path=screenshots / f"{language}-home-sections-phone.png", full_page=True)

    next_conference.get_by_role("link", name=text["register"]).click()
    expect(page).to_have_url(f"{live_server.url}{network.get_absolute_url()}")
    context.close()
