"""The discussion list and the people picker in Chromium: the list 390 px wide with its filters
folded and its tabs wrapping; a member mentions a colleague in an answer with the keyboard alone.
Screenshots go to test-artifacts/screenshots/ (exchange-list-390.png, exchange-mentions.png)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from exchange.enums import Visibility
from mirpal.models import Topic
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.exchange import ThreadFactory
from tests.factories.members import ProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def signed_in_page(browser: Browser, *, user, viewport: dict) -> Page:
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
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


def test_the_list_on_a_phone(browser, live_server, screenshots):
    topic = Topic.objects.get(slug="labour-migration")
    ThreadFactory(
        title="How do you license private recruitment agencies abroad?",
        topics=[topic],
        countries=["KZ", "TJ", "UZ"],
        visibility=Visibility.PUBLIC,
    )
    member = ProfileFactory().user
    page = signed_in_page(browser, user=member, viewport=PHONE)
    page.goto(f"{live_server.url}/discussions/?topic=labour-migration")
    expect(page.locator("h1")).to_have_text("Discussions")
    # On a phone the filters fold behind their button; the rows come first.
    expect(page.locator("#id_topic")).to_be_hidden()
    page.locator("summary", has_text="Filters").click()
    expect(page.locator("#id_topic")).to_have_value("labour-migration")
    page.get_by_role("link", name="Unanswered").click()
    expect(page.get_by_role("link", name="Unanswered")).to_have_attribute("aria-current", "page")
    expect(
        page.get_by_role("link", name="How do you license private recruitment agencies abroad?")
    ).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0, "the page scrolls sideways"
    page.screenshot(path=screenshots / "exchange-list-390.png", full_page=True)
    page.context.close()


def test_a_member_mentions_a_colleague_with_the_keyboard(browser, live_server, screenshots):
    colleague = ProfileFactory(
        user=UserFactory(first_name="Aigul", last_name="Nurlanova"),
        organisation="Ministry of Labour",
    )
    ProfileFactory(user=UserFactory(first_name="Aibek", last_name="Osmonov"))
    thread = ThreadFactory(title="Seasonal work permits", visibility=Visibility.PUBLIC)
    member = ProfileFactory().user
    page = signed_in_page(browser, user=member, viewport=DESKTOP)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    answer = page.locator("#post-answer-body")
    answer.click()
    answer.press_sequentially("Ask @Ai")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("status").filter(has_text="2 people found")).to_have_count(1)
    # In the directory's order, by family name: Nurlanova before Osmonov.
    expect(listbox.get_by_role("option").first).to_contain_text("Aigul Nurlanova")
    expect(listbox.get_by_role("option").first).to_contain_text("Ministry of Labour, Kazakhstan")
    answer.press("ArrowDown")
    expect(listbox.get_by_role("option").nth(1)).to_have_attribute("aria-selected", "true")
    answer.press("ArrowUp")
    page.screenshot(path=screenshots / "exchange-mentions.png")
    expect(answer).to_have_attribute(
        "aria-activedescendant", listbox.get_by_role("option").first.get_attribute("id")
    )
    answer.press("Enter")
    expect(listbox).to_be_hidden()
    answer.press_sequentially("about it.")
    expect(answer).to_have_value(f"Ask @[Aigul Nurlanova](member:{colleague.pk}) about it.")
    # Escape closes the list and leaves what was typed.
    answer.press_sequentially(" @Ai")
    expect(listbox.get_by_role("option")).to_have_count(2)
    answer.press("Escape")
    expect(listbox).to_be_hidden()
    expect(answer).to_have_value(f"Ask @[Aigul Nurlanova](member:{colleague.pk}) about it. @Ai")
    page.context.close()
