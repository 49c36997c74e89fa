"""The membership journey in a real browser, in English and in Russian.

Sign-up (the application), the verification mail read from a real SMTP server, the confirmation,
the pending page, approval by the secretariat, then the directory filtered by country. Each step
checks the visible text in the page's language, a few accessibility basics, that nothing overflows
a phone's width, and saves desktop and phone screenshots under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from mirpal.outbox import outbox_send_pending
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories.members import (
    PASSWORD,
    STAFF_TOTP_SECRET,
    ProfileFactory,
    SecretariatFactory,
)
from tests.members.signing_in import totp_code
from tests.smtp import SmtpSink

# Exact visible strings, as the templates and the catalogues give them.
TEXT = {
    "en": {
        "switch_to": "English",
        "signup_heading": "Apply to join the network",
        "verification_sent_heading": "Verify Your Email Address",
        "confirm_heading": "Confirm Email Address",
        "login_heading": "Sign In",
        "account_heading": "My account",
        "status_pending": "pending",
        "pending_note": "the secretariat reviews each application and will write to you.",
        "applications_heading": "Applications waiting for a decision",
        "approve": "Approve",
        "approved_message": "Decision recorded for 1 applicant.",
        "approved_mail_subject": "[MIRPAL] Your membership is approved",
        "status_approved": "approved",
        "directory_heading": "Members' directory",
        "show": "Show",
        "found_two": "2 members found",
        "country_kg": "Kyrgyz Republic",
    },
    "ru": {
        "switch_to": "Русский",
        "signup_heading": "Подать заявку на вступление в сеть",
        "verification_sent_heading": "Подтвердите Ваш адрес электронной почты",
        "confirm_heading": "Подтвердите адрес электронной почты",
        "login_heading": "Войти",
        "account_heading": "Личный кабинет",
        "status_pending": "на рассмотрении",
        "pending_note": "секретариат рассматривает каждую заявку и сообщит вам о решении",
        "applications_heading": "Заявки, ожидающие решения",
        "approve": "Одобрить",
        "approved_message": "Решение принято по 1 заявителю.",
        "approved_mail_subject": "[MIRPAL] Ваша заявка на членство одобрена",
        "status_approved": "одобрено",
        "directory_heading": "Справочник участников",
        "show": "Показать",
        "found_two": "Найдено 2 участника",
        "country_kg": "Кыргызская Республика",
    },
}

# Every visible control must have a name a screen reader can announce.
UNLABELLED_CONTROLS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.closest('label'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))
"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def check_page(page: Page, *, language: str, heading: str) -> None:
    """The page is in the expected language, shows the heading, and has the basic landmarks."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(heading)
    assert page.locator("main").count() == 1
    skip_link = page.locator("a.skip-link")
    assert skip_link.count() == 1
    assert skip_link.get_attribute("href") == "#main"
    assert page.evaluate(UNLABELLED_CONTROLS) == []


def shoot(page: Page, folder: Path, name: str) -> None:
    """Desktop and phone screenshots; on the phone the page must not scroll sideways."""
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(OVERFLOW)
    page.screenshot(path=folder / f"{name}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    assert overflow == 0, f"{name}: the page is {overflow}px wider than a phone's screen"


def new_page(browser: Browser, *, language: str) -> Page:
    """A fresh browser profile (no cookies) whose visitor switches to `language` in the header."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def switch_language(page: Page, language: str) -> None:
    if page.locator("html").get_attribute("lang") != language:
        page.locator(".language-switch").get_by_role(
            "button", name=TEXT[language]["switch_to"]
        ).click()
        expect(page.locator("html")).to_have_attribute("lang", language)


def log_in(page: Page, base_url: str, *, email: str, language: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    switch_language(page, language)
    check_page(page, language=language, heading=TEXT[language]["login_heading"])
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(members/me|accounts/2fa/authenticate)/"))
    if "/accounts/2fa/authenticate/" in page.url:
        # Staff give their authenticator's code (the factories' secret) after the password.
        page.locator("input[name=code]").fill(totp_code(STAFF_TOTP_SECRET))
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text(TEXT[language]["account_heading"])


def verification_link(smtp_sink: SmtpSink, email: str) -> str:
    outbox_send_pending()
    [mail] = smtp_sink.to(email)
    links = re.findall(r"https?://\S+/accounts/confirm-email/\S+/", SmtpSink.text(mail))
    assert len(links) == 1, SmtpSink.text(mail)
    return links[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_sign_up_verify_approve_and_find_colleagues(
    language, browser, live_server, smtp_sink, screenshots
):
    text = TEXT[language]
    base = live_server.url
    email = f"nodira.{language}@example.org"
    shot = lambda page, step: shoot(page, screenshots, f"{language}-{step}")  # noqa: E731
    # Colleagues already in the directory: one more in Kyrgyzstan, two elsewhere.
    ProfileFactory(country="KG", organisation="Министерство труда КР")
    ProfileFactory.create_batch(2, country="AM")
    secretariat = SecretariatFactory(email=f"secretariat.{language}@example.org")

    # The applicant fills in the application, which is the sign-up form.
    applicant = new_page(browser, language=language)
    applicant.goto(f"{base}/accounts/signup/")
    switch_language(applicant, language)
    check_page(applicant, language=language, heading=text["signup_heading"])
    form = applicant.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=first_name]").fill("Нодира")
    form.locator("input[name=last_name]").fill("Осмонова")
    form.locator("select[name=country]").select_option("KG")
    form.locator("input[name=city]").fill("Бишкек")
    form.locator("input[name=organisation]").fill("Государственная служба миграции")
    form.locator("select[name=organisation_type]").select_option("government")
    form.locator("input[name=position]").fill("Главный специалист")
    form.locator("input[name=languages][value=ru]").check()
    form.locator("input[name=languages][value=ky]").check()
    form.locator("select[name=mail_language]").select_option(language)
    form.locator("input[name=interests]").first.check()
    form.locator("textarea[name=motivation]").fill("Обмен опытом по оргнабору.")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    shot(applicant, "1-sign-up")
    form.locator("button[type=submit]").click()

    check_page(applicant, language=language, heading=text["verification_sent_heading"])
    shot(applicant, "2-verification-sent")

    # The verification mail, sent over SMTP by the outbox, carries the confirmation link.
    applicant.goto(verification_link(smtp_sink, email))
    check_page(applicant, language=language, heading=text["confirm_heading"])
    shot(applicant, "3-confirm-email")
    applicant.locator("main form button[type=submit]").click()

    # Confirming signs the applicant in, onto a page that says the application is pending.
    check_page(applicant, language=language, heading=text["account_heading"])
    expect(applicant.locator(".badge")).to_have_text(text["status_pending"])
    expect(applicant.locator("main")).to_contain_text(text["pending_note"])
    shot(applicant, "4-pending")

    # The secretariat signs in and approves the application from the queue.
    staff = new_page(browser, language=language)
    log_in(staff, base, email=secretariat.email, language=language)
    staff.goto(f"{base}/members/applications/")
    check_page(staff, language=language, heading=text["applications_heading"])
    shot(staff, "5-applications")
    row = staff.locator("tbody tr", has_text=email)
    row.get_by_role("button", name=text["approve"], exact=True).click()
    expect(staff.locator(".messages")).to_have_text(text["approved_message"])
    shot(staff, "6-approved")
    outbox_send_pending()
    assert [SmtpSink.subject(mail) for mail in smtp_sink.to(email)][1:] == [
        text["approved_mail_subject"]
    ]

    # The new member signs in again and finds the colleague from the same country.
    applicant.context.clear_cookies()
    log_in(applicant, base, email=email, language=language)
    expect(applicant.locator(".badge")).to_have_text(text["status_approved"])
    applicant.goto(f"{base}/members/")
    check_page(applicant, language=language, heading=text["directory_heading"])
    filters = applicant.get_by_role("search")
    filters.locator("select[name=country]").select_option(label=text["country_kg"])
    filters.get_by_role("button", name=text["show"]).click()
    expect(applicant).to_have_url(re.compile(r"country=KG"))
    expect(applicant.locator("main [role=status]")).to_have_text(text["found_two"])
    cards = applicant.locator("main ul.grid > li h2")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Нодира Осмонова")).to_have_count(1)
    shot(applicant, "7-directory")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "heading", "home_heading"),
    [
        ("en", "Page not found", "MIRPAL: peer-assisted learning on migration and remittances"),
        (
            "ru",
            "Страница не найдена",
            "MIRPAL: взаимное обучение в сфере миграции и денежных переводов",
        ),
    ],
)
def test_unknown_address_shows_the_site_404_page(
    language, heading, home_heading, browser, live_server, screenshots
):
    page = new_page(browser, language=language)
    page.goto(f"{live_server.url}/")
    switch_language(page, language)
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    check_page(page, language=language, heading=heading)
    shoot(page, screenshots, f"{language}-404")
    page.locator("main a.button").click()
    check_page(page, language=language, heading=home_heading)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_in_russian_on_a_phone(browser, live_server, screenshots):
    for country in ("KG", "KG", "TJ"):
        ProfileFactory(country=country)
    ProfileFactory(country="XX")
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    check_page(
        page,
        language="ru",
        heading="MIRPAL: взаимное обучение в сфере миграции и денежных переводов",
    )
    expect(page.locator(".figures p")).to_have_text(["4 участника", "2 страны"])
    assert page.evaluate(OVERFLOW) == 0
    page.screenshot(path=screenshots / "ru-home-phone.png", full_page=True)
