"""Signing in as a browser does: CSRF checks on, the token read from the page, forms posted to the
address the page's form names, the client's address in REMOTE_ADDR."""

from __future__ import annotations

import time
from html.parser import HTMLParser

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

ADMIN = "/secretariat/admin/"


def browser(address: str = "198.51.100.7", language: str = "en") -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


class _Forms(HTMLParser):
    """The forms inside <main>: each one's action and its hidden fields, as a browser sends them."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "form" and self.in_main:
            self._current = {"action": attrs.get("action") or "", "hidden": {}}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attrs.get("type") == "hidden":
            self._current["hidden"][attrs.get("name") or ""] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "main":
            self.in_main = False


def main_form(page) -> dict:
    """The first form of the page's <main>: {"action": ..., "hidden": {...}}."""
    parser = _Forms()
    parser.feed(page.content.decode())
    assert parser.forms, "the page has no form"
    return parser.forms[0]


def post_form(client: Client, url: str, data: dict, *, page=None):
    """GET the page (unless given), then POST `data` with the form's hidden fields (the CSRF
    token, allauth's ?next=) to the form's action, as a browser submits it."""
    page = page if page is not None else client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    form = main_form(page)
    return client.post(form["action"] or url, {**form["hidden"], **data})


def admin_login_page(client: Client):
    """Open the admin's log-in address and follow it to allauth's form."""
    page = client.get(f"{ADMIN}login/?next={ADMIN}", follow=True)
    assert page.redirect_chain == [("/accounts/login/?next=%2Fsecretariat%2Fadmin%2F", 302)]
    return page


def totp_code(secret: str, *, step: int = 0) -> str:
    """The authenticator app's code now (step 0) or one period later; MFA_TOTP_TOLERANCE accepts
    the neighbouring periods, and each code works once, so a test that needs two codes in the
    same 30 seconds takes the next period's for the second."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def staff_signed_in(user) -> Client:
    """Staff sign in as a person does: password, then the authenticator's code (the factories'
    staff accounts carry STAFF_TOTP_SECRET)."""
    from django.urls import reverse

    from tests.factories.members import PASSWORD, STAFF_TOTP_SECRET

    client = browser()
    post_form(client, reverse("account_login"), {"login": user.email, "password": PASSWORD})
    answered = post_form(
        client, reverse("mfa_authenticate"), {"code": totp_code(STAFF_TOTP_SECRET)}
    )
    assert answered.status_code == 302, answered.status_code
    return client
