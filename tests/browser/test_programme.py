"""The work programme in a real browser: a member reading the site in Russian proposes a topic,
three colleagues support it, the secretariat accepts it and plans an activity, and the year's
programme page shows the activity with the proposal it answers (on a phone as well)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mirpal.models import Topic
from programme.enums import ProposalState
from programme.models import Activity, Proposal
from tests.browser.conftest import PHONE
from tests.browser.test_journeys import log_in, shoot
from tests.factories.members import ProfileFactory, SecretariatFactory
from tests.factories.programme import CallFactory

TITLE = "Оргнабор: как проверять работодателей за рубежом"
NEED = "Нашему министерству нужно понять, как агентства проверяют иностранных работодателей."
ACTIVITY_EN = "Video conference: checking employers abroad"
ACTIVITY_RU = "Видеоконференция: проверка работодателей за рубежом"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_proposal_in_russian_is_supported_accepted_and_planned(browser, live_server, screenshots):
    base = live_server.url
    call = CallFactory()
    author = ProfileFactory(
        user__email="aibek@example.org", user__first_name="Айбек", user__last_name="Осмонов",
        country="KG", mail_language="ru", time_zone="Asia/Bishkek",
    ).user  # fmt: skip
    people = [("ion", "MD", "en"), ("olga", "RU", "ru"), ("dilnoza", "UZ", "ru")]
    supporters = [
        ProfileFactory(user__email=f"{name}@example.org", country=country, mail_language=lang).user
        for name, country, lang in people
    ]
    secretariat = SecretariatFactory(email="secretariat@example.org")
    topic = Topic.objects.get(slug="organised-recruitment")

    # Aibek, in Russian, proposes.
    aibek = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(aibek, base, email=author.email, language="ru")
    aibek.goto(f"{base}/programme/proposals/new/")
    expect(aibek.locator("html")).to_have_attribute("lang", "ru")
    form = aibek.locator("main form.programme-proposal-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=need]").fill(NEED)
    form.locator("input[name=activity_kind][value=video_conference]").check()
    form.locator("input[name=countries][value=KG]").check()
    form.locator("input[name=countries][value=UZ]").check()
    form.locator(f"input[name=topics][value='{topic.pk}']").check()
    form.locator("select[name=language]").select_option("ru")
    form.locator("button[type=submit]").click()

    proposal = Proposal.objects.get()
    aibek.wait_for_url(f"{base}/programme/proposals/{proposal.pk}/")
    expect(aibek.locator("h1")).to_have_text(TITLE)
    assert (proposal.author_id, proposal.call_id, proposal.countries, proposal.language) == (
        author.pk,
        call.pk,
        ["KG", "UZ"],
        "ru",
    )
    shoot(aibek, screenshots, "ru-programme-proposed")

    # Three colleagues support it, each from their own country.
    for number, (supporter, (_name, _country, language)) in enumerate(
        zip(supporters, people, strict=True), start=1
    ):
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, base, email=supporter.email, language=language)
        page.goto(f"{base}/programme/proposals/{proposal.pk}/")
        page.locator(f"form[action='/programme/proposals/{proposal.pk}/support/'] button").click()
        page.wait_for_url(re.compile(rf"/programme/proposals/{proposal.pk}/"))
        expect(page.locator("#support-title")).to_contain_text(str(number))
        expect(page.locator(".programme-support .badge.approved")).to_be_visible()
        page.context.close()
    proposal.refresh_from_db()
    assert proposal.support_count == 3
    aibek.reload()
    expect(aibek.locator(".programme-breadth")).to_contain_text("Молдова: 1")

    # The secretariat accepts it and plans a video conference for the second quarter.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(staff, base, email=secretariat.email, language="en")
    staff.goto(f"{base}/programme/proposals/{proposal.pk}/")
    answer = staff.locator("form[action$='/answer/']")
    answer.locator("select[name=state]").select_option(ProposalState.ACCEPTED)
    answer.locator("textarea[name=note]").fill("Planned for the second quarter.")
    answer.locator("select[name=plan_kind]").select_option("video_conference")
    answer.locator("select[name=plan_quarter]").select_option("2")
    answer.locator("input[name=plan_title_en]").fill(ACTIVITY_EN)
    answer.locator("input[name=plan_title_ru]").fill(ACTIVITY_RU)
    answer.locator("button[type=submit]").click()
    staff.wait_for_url(re.compile(rf"/programme/proposals/{proposal.pk}/"))
    expect(staff.locator(".programme-answer-shown")).to_contain_text("Accepted")
    expect(staff.locator(".programme-history")).to_contain_text("Submitted → Accepted")
    activity = Activity.objects.get()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.activity_id, activity.quarter, activity.year) == (
        ProposalState.ACCEPTED,
        activity.pk,
        2,
        call.year,
    )

    # The year's programme shows the activity in the second quarter, answering the proposal.
    aibek.goto(f"{base}/programme/{call.year}/")
    quarter = aibek.locator("section.programme-quarter").nth(1)
    expect(quarter.locator("h2")).to_have_text("2 квартал")
    item = quarter.locator(f"#activity-{activity.pk}")
    expect(item.locator("h3")).to_have_text(ACTIVITY_RU)
    expect(item.locator(".programme-proposals a")).to_have_text(TITLE)
    expect(item.locator(".programme-proposals")).to_contain_text("3")
    shoot(aibek, screenshots, "ru-programme-year")

    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, base, email=author.email, language="ru")
    phone.goto(f"{base}/programme/{call.year}/#activity-{activity.pk}")
    expect(phone.locator(f"#activity-{activity.pk} h3")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shoot(phone, screenshots, "ru-programme-year-phone")
