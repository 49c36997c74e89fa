"""My MIRPAL in Chromium: a member with a registration sees it, asks for their calendar address
and sees it with the instructions, on a desktop and 390 px wide, in English and in Russian. The
cards sit side by side on a desktop and stack on a phone; nothing scrolls sideways. Screenshots
go to test-artifacts/screenshots/ (my-mirpal-<language>-<width>.png)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARCH_12_2030 = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)
LOCALES = {"en": "en-GB", "ru": "ru-RU"}
TEXT = {
    "en": {
        "heading": "My MIRPAL",
        "title": "Remittances seminar",
        "when": "12 March 2030, 15:00–17:00",
        "create": "Create my calendar address",
        "ready": "Your calendar address is ready.",
        "address": "Your private address",
        "howto": "How to subscribe in Google Calendar",
        "step": "On a computer, open Google Calendar",
    },
    "ru": {
        "heading": "Мой MIRPAL",
        "title": "Семинар о денежных переводах",
        "when": "12 марта 2030, 15:00–17:00",
        "create": "Создать адрес моего календаря",
        "ready": "Адрес вашего календаря создан.",
        "address": "Ваш личный адрес",
        "howto": "Как подписаться в Google Календаре",
        "step": "Откройте Google Календарь на компьютере",
    },
}
SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def member_page(browser: Browser, *, user, language: str, viewport: dict) -> Page:
    """A browser signed in as `user` (the session cookie of a test client's log-in)."""
    context = browser.new_context(viewport=viewport, locale=LOCALES[language])
    context.set_default_timeout(10_000)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = {"name": settings.SESSION_COOKIE_NAME, "value": cookie}
    context.add_cookies([{**session, "domain": "localhost", "path": "/"}])
    return context.new_page()


@pytest.mark.parametrize("width", ["desktop", "390"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_member_sees_their_registration_and_the_feed_link(
    language, width, browser, live_server, screenshots
):
    text = TEXT[language]
    # The feed speaks the member's mail language, here the page's.
    member = ProfileFactory(
        status="approved", time_zone="Asia/Tashkent", mail_language=language
    ).user
    event = EventFactory(
        title_en=TEXT["en"]["title"],
        title_ru=TEXT["ru"]["title"],
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=2),
    )
    RegistrationFactory(event=event, user=member)
    viewport = DESKTOP if width == "desktop" else PHONE
    page = member_page(browser, user=member, language=language, viewport=viewport)
    page.goto(f"{live_server.url}/my/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(text["heading"])

    events = page.locator("section.my-events")
    registration = events.get_by_role("link", name=text["title"])
    expect(registration).to_be_visible()
    expect(registration).to_have_attribute("href", event.get_absolute_url())
    expect(events.locator(".my-when").first).to_have_text(text["when"])

    # No address yet: the member asks for one, without any script.
    page.get_by_role("button", name=text["create"]).click()
    expect(page.locator(".messages")).to_have_text(text["ready"])
    field = page.get_by_label(text["address"])
    expect(field).to_be_visible()
    feed_url = field.input_value()
    token = member.event_feed_token.token
    assert feed_url == f"{live_server.url}/events/feed/{token}.ics"
    assert field.get_attribute("readonly") is not None

    # The instructions open without a script, and the address answers with the event.
    page.locator("summary", has_text=text["howto"]).click()
    expect(page.get_by_text(text["step"])).to_be_visible()
    calendar = page.request.get(feed_url)
    assert calendar.status == 200
    assert f"SUMMARY:{text['title']}" in calendar.text().replace("\r\n ", "")

    events_box = events.bounding_box()
    feed_box = page.locator("section.my-feed").bounding_box()
    if width == "desktop":
        # Two columns: the calendar card beside the events.
        assert feed_box["x"] > events_box["x"] + events_box["width"] - 1
    else:
        # Stacked: the calendar card below the events, as wide as they are.
        assert feed_box["y"] >= events_box["y"] + events_box["height"]
        assert (feed_box["x"], feed_box["width"]) == (events_box["x"], events_box["width"])
    assert page.evaluate(SIDEWAYS) <= 0, "the page scrolls sideways"
    name = f"my-mirpal-{language}-{width}"
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    page.context.close()
