"""The admin's inputs each have a name a screen reader reads, in English and in Russian.

Django's admin as it ships left some without one (the date and the time of a date and time field,
the inputs of an inline's rows and of a list edited in place, select2's boxes) and broke ARIA's
rules elsewhere (filter_horizontal's search icons). The mends are templates/admin/ and
static/js/admin-a11y.js; axe-core checks every page these tests open as well (conftest.py).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mirpal.models import Topic
from tests.browser.conftest import AXE_DONE, DESKTOP, axe_check
from tests.factories.members import SuperuserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": "en-GB", "ru": "ru-RU"}
DATE_AND_TIME = {"en": ("Date:", "Time:"), "ru": ("Дата:", "Время:")}


def admin_page(browser: Browser, live_server, language: str) -> Page:
    client = Client()
    client.force_login(SuperuserFactory())
    context = browser.new_context(
        viewport=DESKTOP, locale=LOCALES[language], base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def label_of(page: Page, field_id: str) -> str:
    return page.locator(f"label[for='{field_id}']").first.text_content().strip()


def heading_of(page: Page, column: str) -> str:
    return page.locator(f"th.column-{column}").first.text_content().strip()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_event_forms_inputs_each_have_a_name(browser: Browser, live_server, language):
    page = admin_page(browser, live_server, language)
    page.goto(reverse("admin:events_event_add"))
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The date and the time of a date and time field, each labelled.
    date, time = DATE_AND_TIME[language]
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        expect(page.locator(f"#id_{field}_0")).to_have_accessible_name(date)
        expect(page.locator(f"#id_{field}_1")).to_have_accessible_name(time)

    # An inline row's inputs are named by their column's heading.
    minutes = page.locator("#id_attendances-0-minutes")
    expect(minutes).to_have_accessible_name(heading_of(page, "minutes"))
    assert (
        heading_of(page, "minutes")
        == {"en": "Minutes present", "ru": "Минут присутствия"}[language]
    )
    # So is its select2 box (the member), empty until one is chosen.
    member = page.locator("#id_attendances-0-user + .select2-container .select2-selection")
    expect(member).to_have_attribute("role", "combobox")
    expect(member).to_have_accessible_name(re.compile(f"^{re.escape(heading_of(page, 'user'))}"))

    # A multiple select2 box's search field is named by the field's label.
    speakers = page.locator("#id_speakers + .select2-container .select2-search__field")
    expect(speakers).to_have_accessible_name(label_of(page, "id_speakers"))

    # filter_horizontal's icons are images whose text names the filter boxes.
    for box in ("id_topics_input", "id_topics_selected_input"):
        icon = page.locator(f"label[for='{box}'] .search-label-icon")
        expect(icon).to_have_attribute("role", "img")
        expect(page.locator(f"#{box}")).to_have_accessible_name(icon.get_attribute("aria-label"))

    # The breadcrumbs' links are told apart from their text by more than colour.
    home = page.locator(".breadcrumbs a").first
    assert "underline" in home.evaluate("a => getComputedStyle(a).textDecorationLine")

    # axe-core on the calendar and on the clock, open (Django builds them on a click).
    for opener, box in (("calendarlink", ".calendarbox"), ("clocklink", ".clockbox")):
        page.locator(f".datetimeshortcuts a[id^={opener}]").first.click()
        expect(page.locator(box).first).to_be_visible()
        page.evaluate(f"() => {{ window.{AXE_DONE} = false; }}")
        axe_check(page)

    # Rows added by "Add another" get the same: the labels follow their inputs' new ids, and the
    # select2 boxes built for the new row are named.
    page.locator("#sessions-group .add-row a").click()
    page.locator("#attendances-group .add-row a").click()
    expect(page.locator("#id_sessions-0-title_en")).to_have_accessible_name(
        heading_of(page, "title_en")
    )
    expect(page.locator("#id_sessions-0-starts_at_0")).to_have_accessible_name(date)
    expect(page.locator("#id_sessions-0-ends_at_1")).to_have_accessible_name(time)
    expect(
        page.locator("#id_sessions-0-speakers + .select2-container .select2-search__field")
    ).to_have_accessible_name(heading_of(page, "speakers"))
    expect(
        page.locator("#id_attendances-1-user + .select2-container .select2-selection")
    ).to_have_accessible_name(re.compile(f"^{re.escape(heading_of(page, 'user'))}"))
    expect(page.locator("#id_attendances-1-minutes")).to_have_accessible_name(
        heading_of(page, "minutes")
    )
    # axe-core once more, on the page as the added rows left it.
    page.evaluate(f"() => {{ window.{AXE_DONE} = false; }}")
    axe_check(page)
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_single_select2_box_is_named_by_its_fields_label(browser: Browser, live_server, language):
    page = admin_page(browser, live_server, language)
    page.goto(reverse("admin:events_attendance_add"))
    for field in ("event", "user"):
        label = label_of(page, f"id_{field}")
        assert label
        box = page.locator(f"#id_{field} + .select2-container .select2-selection")
        expect(box).to_have_accessible_name(re.compile(f"^{re.escape(label)}"))
        expect(box.locator(".select2-selection__rendered")).to_have_accessible_name(label)
    # The search box of the dropdown an open box shows, at the end of the page.
    page.locator("#id_user + .select2-container .select2-selection").click()
    search = page.locator(".select2-dropdown .select2-search__field")
    expect(search).to_be_focused()
    expect(search).to_have_accessible_name(label_of(page, "id_user"))
    page.evaluate(f"() => {{ window.{AXE_DONE} = false; }}")
    axe_check(page)
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_list_edited_in_place_names_each_input(browser: Browser, live_server, language):
    for number in range(2):
        Topic.objects.create(
            slug=f"a11y-{number}", name_en=f"Topic {number}", name_ru=f"Тема {number}"
        )
    page = admin_page(browser, live_server, language)
    page.goto(reverse("admin:mirpal_topic_changelist"))
    inputs = page.locator("#result_list input[name$='-position']")
    assert inputs.count() >= 2
    heading = page.locator("#result_list th.column-position .text").text_content().strip()
    assert heading
    for index in range(inputs.count()):
        expect(inputs.nth(index)).to_have_accessible_name(heading)
    # axe-core once more with every row selected (the rows change colour).
    page.locator("#action-toggle").check()
    expect(page.locator("#result_list tbody tr.selected")).to_have_count(inputs.count())
    page.evaluate(f"() => {{ window.{AXE_DONE} = false; }}")
    axe_check(page)
    page.context.close()
