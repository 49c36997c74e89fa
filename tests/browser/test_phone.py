"""Every page at home on a phone, in Chromium, 360 and 390 px wide, in English and in Russian.

The header is one row with a "Menu" button that opens the links; list and search pages fold their
filters behind a "Filters" button so the results come first (the library's first result in the
first screen); tables become one card per row; every link of a navigation, button, control and
pagination link is at least 44 px high; nothing scrolls sideways. On a desktop the navigation and
the filters show as before, with no button. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from mirpal.models import Topic
from tests.browser.conftest import DESKTOP
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = {360: {"width": 360, "height": 800}, 390: {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "ru": "ru-RU"}
TEXT = {
    "en": {
        "menu": "Menu",
        "filters": "Filters",
        "my_mirpal": "My MIRPAL",
        "log_in": "Log in",
        "sections": [
            "Events",
            "Library",
            "Discussions",
            "Good practices",
            "Work programme",
            "Experts",
            "Members",
            "About",
        ],
        "query": "migration",
        "privacy": "Privacy notice",
    },
    "ru": {
        "menu": "Меню",
        "filters": "Фильтры",
        "my_mirpal": "Мой MIRPAL",
        "log_in": "Войти",
        "sections": [
            "Мероприятия",
            "Библиотека",
            "Обсуждения",
            "Практики",
            "Программа",
            "Эксперты",
            "Участники",
            "О сети",
        ],
        "query": "миграция",
        "privacy": "Уведомление о конфиденциальности",
    },
}

# What a finger must hit: links of a navigation, buttons, disclosure buttons, form controls,
# pagination links and links drawn as buttons. Links inside running text are exempt (WCAG 2.5.8).
SMALL_TARGETS = """
() => Array.from(document.querySelectorAll(
    'nav a, .account-nav a, .site-footer a, a.button, button, summary, select, textarea,'
    + ' input:not([type=hidden]):not([type=checkbox]):not([type=radio]),'
    + ' label:has(> input[type=checkbox]), label:has(> input[type=radio])'))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width > 0 && box.height < 44)
  .map(([el, box]) =>
    `${el.tagName.toLowerCase()} “${el.textContent.trim().slice(0, 40)}”: ${box.height}px`)
"""
SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def phone_page(browser: Browser, *, language: str, width: int, user=None) -> Page:
    return _page(browser, language=language, viewport=PHONES[width], user=user)


def _page(browser: Browser, *, language: str, viewport: dict, user=None) -> Page:
    context = browser.new_context(viewport=viewport, locale=LOCALES[language])
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "domain": "localhost",
                    "path": "/",
                }
            ]
        )
    return context.new_page()


def at_home_on_a_phone(page: Page, screenshots, name: str) -> None:
    """The whole page and its first screen saved; no sideways scroll, every target big enough."""
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    page.screenshot(path=screenshots / f"{name}-first-screen.png")
    assert page.evaluate(SIDEWAYS) <= 0, f"{name}: the page scrolls sideways"
    assert page.evaluate(SMALL_TARGETS) == [], name


def top_and_bottom(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"], box["y"] + box["height"]


def library_documents() -> None:
    """Twenty-five documents such as the demo library holds: several kinds, topics, countries,
    languages and years, so every filter box has options and the results run to two pages."""
    topics = list(Topic.objects.order_by("pk")[:5])
    kinds = [("report", "Report", "Доклад"), ("study", "Study", "Исследование")]
    countries = [("KG", "Kyrgyzstan", "Кыргызстан"), ("TJ", "Tajikistan", "Таджикистан")]
    countries += [("AM", "Armenia", "Армения"), ("MD", "Moldova", "Молдова")]
    for index in range(25):
        kind, kind_en, kind_ru = kinds[index % len(kinds)]
        code, country_en, country_ru = countries[index % len(countries)]
        year = 2012 + index % 12
        DocumentFactory(
            kind=kind,
            title_en=f"{kind_en}: labour migration in {country_en}, {year}",
            title_ru=f"{kind_ru}: трудовая миграция — {country_ru}, {year}",
            abstract_en="Recruitment, remittances and the return of migrant workers.",
            abstract_ru="Оргнабор, денежные переводы и возвращение трудовых мигрантов.",
            language="en" if index % 3 == 2 else "ru",
            countries=[code],
            published_on=datetime.date(year, 1 + index % 12, 1 + index % 28),
            topics=[topics[index % len(topics)]],
        )


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_header_is_one_row_whose_menu_opens_the_links(
    language, width, browser, live_server, screenshots
):
    text = TEXT[language]
    member = ProfileFactory(status="approved").user
    for who, user in (("visitor", None), ("member", member)):
        page = phone_page(browser, language=language, width=width, user=user)
        page.goto(f"{live_server.url}/about/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        menu = page.locator(".site-menu > summary")
        expect(menu).to_have_text(text["menu"])
        links = page.locator("nav.site-nav")
        expect(links).to_be_hidden()

        # The name, the other language and the menu button share one row.
        rows = [
            top_and_bottom(page, selector)
            for selector in (".brand", ".language-switch button", ".site-menu > summary")
        ]
        header_top, header_bottom = top_and_bottom(page, ".site-header")
        assert header_bottom - header_top < 70, rows
        assert all(top < bottom for top, _ in rows for _, bottom in rows), rows
        at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-header-{who}")

        menu.click()
        expect(links.get_by_role("link")).to_have_text(text["sections"])
        account = page.locator(".account-nav")
        if user is None:
            expect(account.get_by_role("link", name=text["log_in"])).to_be_visible()
        else:
            expect(account.get_by_role("link", name=text["my_mirpal"])).to_have_attribute(
                "href", "/my/"
            )
        # The open menu lies over the page below the bar, each link a full-width row.
        assert top_and_bottom(page, ".site-menu-links")[0] >= header_bottom - 1
        at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-menu-{who}")
        links.get_by_role("link", name=text["sections"][1]).click()
        expect(page).to_have_url(f"{live_server.url}/library/")
        expect(links).to_be_hidden()
        page.context.close()


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_library_shows_its_first_result_before_the_folded_filters(
    language, width, browser, live_server, screenshots
):
    text = TEXT[language]
    library_documents()
    page = phone_page(browser, language=language, width=width)
    page.goto(f"{live_server.url}/library/search/?q={text['query']}")
    filters = page.locator(".library-facets summary")
    expect(filters).to_have_text(text["filters"])
    expect(page.locator(".library-facet").first).to_be_hidden()
    expect(page.locator(".library-entry")).to_have_count(20)
    first_title = page.locator(".library-entry .library-title").first
    top, bottom = top_and_bottom(page, ".library-entry .library-title")
    assert bottom <= PHONES[width]["height"], (top, bottom)
    expect(first_title).to_be_in_viewport()
    at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-library-search")

    filters.click()
    expect(page.locator(".library-facet")).to_have_count(5)
    expect(page.locator(".library-facet").first).to_be_visible()
    at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-library-filters")
    # A filter's link narrows the search; the filters fold again on the page it opens.
    page.locator(".library-facet").nth(2).get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"[?&]country="))
    expect(page.locator(".library-facet").first).to_be_hidden()
    expect(page.locator(".library-entry").first).to_be_in_viewport()

    page.goto(f"{live_server.url}/library/")
    expect(page.locator("#library-q")).to_be_in_viewport()
    at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-library")


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_lists_fold_their_filters_behind_a_button(
    language, width, browser, live_server, screenshots
):
    text = TEXT[language]
    member = ProfileFactory(status="approved").user
    for days in (3, 10, 17):
        EventFactory(starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days))
    ProfileFactory.create_batch(2, status="approved", country="KG")
    page = phone_page(browser, language=language, width=width, user=member)
    for name, path in (
        ("events", "/events/"),
        ("members", "/members/"),
        ("experts", "/members/experts/"),
    ):
        page.goto(f"{live_server.url}{path}")
        fold = page.locator("main details.fold")
        expect(fold.locator("summary")).to_have_text(text["filters"])
        search = page.get_by_role("search")
        expect(search).to_be_hidden()
        expect(page.locator("main p[role=status]").first).to_be_in_viewport()
        at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-{name}")
        fold.locator("summary").click()
        expect(search).to_be_visible()
        expect(search.locator("select").first).to_be_visible()
        at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-{name}-filters")
    page.goto(f"{live_server.url}/events/")
    expect(page.locator(".event-card")).to_have_count(3)
    expect(page.locator(".event-card").first).to_be_in_viewport()


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_tables_become_one_card_per_row(language, width, browser, live_server, screenshots):
    member = ProfileFactory(status="approved").user
    requests = ExpertRequestFactory.create_batch(2, requester=member)
    page = phone_page(browser, language=language, width=width, user=member)
    page.goto(f"{live_server.url}/members/experts/requests/")
    table = page.locator("main table")
    # The column heads are left to screen readers (a 1px clipped box); each card labels its own.
    assert table.locator("thead").bounding_box()["height"] <= 1
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    # The cells of a row stand one under another, each as wide as the card and labelled.
    cells = rows.first.locator("td")
    boxes = [cells.nth(index).bounding_box() for index in range(cells.count())]
    assert len({round(box["x"]) for box in boxes}) == 1, boxes
    assert all(
        later["y"] >= earlier["y"] + earlier["height"] - 1
        for earlier, later in itertools.pairwise(boxes)
    )
    labels = cells.evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
    )
    expected = {
        "en": ['"Request"', '"Topic"', '"Dates"', '"Status"', '"Expert"'],
        "ru": ['"Заявка"', '"Тема"', '"Даты"', '"Статус"', '"Эксперт"'],
    }
    assert labels == expected[language]
    expect(rows.first).to_contain_text(f"#{requests[-1].pk}")  # newest first
    at_home_on_a_phone(page, screenshots, f"phone-{language}-{width}-table-cards")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_desktop_still_shows_the_navigation_and_the_filters(
    language, browser, live_server, screenshots
):
    text = TEXT[language]
    library_documents()
    member = ProfileFactory(status="approved").user
    ExpertRequestFactory(requester=member)
    EventFactory()
    page = _page(browser, language=language, viewport=DESKTOP, user=member)
    page.goto(f"{live_server.url}/library/search/?q={text['query']}")
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    links = page.locator(".site-nav a")
    expect(links).to_have_text(text["sections"])
    tops = {round(links.nth(index).bounding_box()["y"]) for index in range(links.count())}
    assert len(tops) == 1, tops
    expect(page.locator(".account-nav").get_by_role("link", name=text["my_mirpal"])).to_be_visible()
    expect(page.get_by_role("link", name=text["privacy"])).to_be_visible()
    expect(page.locator(".library-facets summary")).to_be_hidden()
    expect(page.locator(".library-facet")).to_have_count(5)
    for index in range(5):
        expect(page.locator(".library-facet").nth(index)).to_be_visible()
    page.screenshot(path=screenshots / f"desktop-{language}-library-search.png", full_page=True)

    for path in ("/events/", "/members/", "/members/experts/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main details.fold summary")).to_be_hidden()
        expect(page.get_by_role("search").locator("select").first).to_be_visible()
    page.goto(f"{live_server.url}/members/experts/requests/")
    expect(page.locator("main table thead")).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0
    page.screenshot(path=screenshots / f"desktop-{language}-table.png", full_page=True)
