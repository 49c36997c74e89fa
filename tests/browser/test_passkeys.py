"""A security key in a real browser: Chromium's virtual authenticator (DevTools' WebAuthn domain)
stands in for the key. A staff account without a second factor is sent to set one up, adds a
passkey on allauth's page (its script served from /static/), reaches the admin, and next time
signs in with the passkey alone; at phone width, in Russian.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from mirpal.roles import SECRETARIAT_GROUP
from tests.browser.conftest import PHONE
from tests.browser.test_journeys import OVERFLOW, switch_language
from tests.factories.members import PASSWORD, ProfileFactory, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_add_a_passkey_then_sign_in_with_it(browser, live_server, screenshots):
    staff = UserFactory(is_staff=True, email="passkey.staff@example.org")
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    ProfileFactory(user=staff)
    base = live_server.url.replace("127.0.0.1", "localhost")  # an IP cannot be a WebAuthn RP ID
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    context.set_default_timeout(10_000)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{base}/secretariat/admin/")
    switch_language(page, "ru")
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("со вторым фактором входа")
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    page.locator("input[name=password]").fill(PASSWORD)  # allauth asks for it again first
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Добавление ключа безопасности")
    page.locator("input[name=name]").fill("Рабочий ключ")
    page.locator("input[name=passwordless]").check()
    page.locator("#mfa_webauthn_add").click()
    expect(page.locator(".messages")).to_contain_text("Ключ безопасности добавлен.")
    assert Authenticator.objects.filter(user=staff, type="webauthn").count() == 1
    page.goto(f"{base}/accounts/2fa/webauthn/")
    expect(page.locator("main")).to_contain_text("Рабочий ключ")
    assert page.evaluate(OVERFLOW) == 0
    page.screenshot(path=screenshots / "ru-passkey-list-phone.png", full_page=True)
    page.goto(f"{base}/secretariat/admin/")
    expect(page.locator("#site-name")).to_contain_text("MIRPAL")

    # Log out through the admin's own button (allauth's log-out), then in with the passkey alone.
    page.locator("#logout-form button").click()
    page.goto(f"{base}/secretariat/admin/")
    expect(page.locator("h1")).to_have_text("Войти")
    page.locator("#passkey_login").click()
    expect(page.locator("#site-name")).to_contain_text("MIRPAL")
    assert page.url == f"{base}/secretariat/admin/"

    scripts = [url for url in requests if url.endswith(".js")]
    assert any(url.endswith("/static/mfa/js/webauthn.js") for url in scripts)
    assert all(url.startswith(f"{base}/static/") for url in scripts), scripts
    context.close()
