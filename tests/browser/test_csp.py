"""Every page of the site under its Content-Security-Policy in Chromium, with no violation.

The pages come from the role-by-URL matrix (every tests/<app>/url_roles*.py): each GET case that
answers a page to a role is loaded signed in as that role, so a new page is checked as soon as
the matrix knows it. Then every admin list, add form and change form a superuser opens, the
pages behind a click that are cheap to reach, the error pages and the partner widget in a
partner's frame. Violations are caught three ways: a `securitypolicyviolation` listener the
browser adds to each page before the page's own scripts (init scripts are not subject to the
policy), the reports the browser posts to the site's report endpoint (mirpal.headers), and
Chromium's console errors about the policy.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page

from tests import test_url_roles
from tests.browser.conftest import DESKTOP
from tests.factories.api import PartnerFactory
from tests.factories.members import PASSWORD, STAFF_TOTP_SECRET, SuperuserFactory
from tests.members.signing_in import totp_code
from tests.test_url_roles import _all_cases
from tests.url_roles import ANON, APPLICANT, EDITOR, MANAGER, MEMBER, SECRETARIAT, SUPERUSER

# The matrix's signed-in users, whatever roles it holds.
world = test_url_roles.world

LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
    sample: event.sample,
  });
});
"""


class ReportCollector(logging.Handler):
    """The violations the report endpoint logs (the live server runs in this process)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.violations: list[dict] = []

    def emit(self, record):
        self.violations.append(getattr(record, "csp_violation", {"message": record.getMessage()}))


@dataclass
class Watch:
    """What the browser saw go wrong, for every page of one run."""

    violations: list[dict] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.expose_function("__cspViolation", self._violation)
        context.add_init_script(LISTENER)

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))

    def _violation(self, violation: dict) -> None:
        self.violations.append(violation)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and (
            "Content Security Policy" in text or "Permissions-Policy" in text
        ):
            self.console.append(text)


class PartnerSite(ThreadingHTTPServer):
    """A partner's site on its own origin (another port of the loopback address, where
    Chromium lets a page frame the live server), whose page frames the given address."""

    framed = ""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _PartnerPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (
            "<!DOCTYPE html><title>Partner</title>"
            f'<iframe src="{self.server.framed}" title="MIRPAL"></iframe>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def partner_site():
    site = PartnerSite(("127.0.0.1", 0), _PartnerPage)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()


@pytest.fixture
def report_collector():
    collector = ReportCollector()
    logger = logging.getLogger("mirpal.csp")
    logger.addHandler(collector)
    yield collector
    logger.removeHandler(collector)


def signed_in_context(browser: Browser, base: str, user, watch: Watch) -> BrowserContext:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=base)
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    watch.attach(context)
    return context


def matrix_pages(world) -> dict[str, list[str]]:
    """For each role, the addresses of the matrix's GET cases that answer it 200."""
    pages: dict[str, list[str]] = {role: [] for role in (ANON, *world)}
    for case in _all_cases(world):
        if case.method != "get":
            continue
        url = reverse(case.name, args=case.args, kwargs=case.kwargs) + case.query
        for role, status in case.expect.items():
            if status == 200 and url not in pages[role]:
                pages[role].append(url)
    return pages


def admin_pages(superuser) -> list[str]:
    """Every registered model's list, add form (where the admin offers one) and the change form
    of its first row."""
    as_superuser = RequestFactory().get("/")
    as_superuser.user = superuser
    pages = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(as_superuser):
            pages.append(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
    return pages


class Walk:
    """The pages loaded so far, and what each address answered the first time it was asked."""

    def __init__(self):
        self.checked: list[str] = []
        self.not_pages: dict[str, str] = {}
        self.refused: list[str] = []
        self._pages: set[str] = set()

    def visit(self, page: Page, url: str, role: str) -> None:
        """Load `url` as `role` if it answers an HTML page. Files, feeds and JSON are asked for
        once (their headers are tests/mirpal/test_headers.py's); a page is loaded for every
        role, since what a page holds differs by role."""
        if url in self.not_pages:
            return
        if url not in self._pages:
            answer = page.context.request.get(url, max_redirects=0)
            content_type = answer.headers.get("content-type", "").split(";")[0]
            answer.dispose()
            if answer.status != 200:  # an admin form nobody may open (a log's add form)
                self.refused.append(f"{role} {url} ({answer.status})")
                return
            if content_type != "text/html":
                self.not_pages[url] = content_type
                return
            self._pages.add(url)
        response = page.goto(url, wait_until="load")
        assert response is not None, url
        assert (url, response.status) == (url, 200)
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        self.checked.append(f"{role} {url}")


def interact(page: Page, base: str) -> list[str]:
    """Pages and widgets that appear only after a click or a typed query."""
    done = []
    # The API documentation draws itself from the schema, then opens an operation.
    page.goto("/api/docs/")
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()
    done.append("/api/docs/ (an operation opened)")
    # The library's search, typed and sent as a visitor does.
    page.goto("/library/")
    search = page.get_by_role("search").first
    search.locator("input[type=search], input[name=q]").first.fill("migration remittances")
    search.locator("button[type=submit]").first.click()
    page.wait_for_load_state("load")
    done.append(page.url.removeprefix(base) + " (typed query)")
    return done


def admin_interactions(page: Page) -> list[str]:
    """The admin's widgets that build themselves on a click: the calendar and the clock of a
    date and time field, and the select-all of a list's actions."""
    page.goto(reverse("admin:events_event_add"))
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    page.locator(".calendarbox").first.wait_for()
    page.locator(".datetimeshortcuts a[id^=clocklink]").first.click()
    page.locator(".clockbox").first.wait_for()
    page.goto(reverse("admin:members_profile_changelist"))
    page.locator("#action-toggle").check()
    return [
        "admin event add form (calendar and clock opened)",
        "admin profile list (all rows selected)",
    ]


def sign_in(page: Page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")


def second_factor_pages(browser: Browser, base: str, watch: Watch, *, staff, member) -> list[str]:
    """allauth.mfa's pages that the matrix reaches only as far as the password question: the
    code stage of a real sign-in, the authenticator app's QR code, recovery codes, and a
    security key added with Chromium's virtual authenticator (allauth's script from static/)."""
    context = signed_in_context(browser, base, None, watch)
    page = context.new_page()
    watch.watch(page)
    sign_in(page, staff)
    assert page.url == f"{base}{reverse('mfa_authenticate')}"
    page.locator("input[name=code]").fill(totp_code(STAFF_TOTP_SECRET))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert page.url != f"{base}{reverse('mfa_authenticate')}"
    page.goto(reverse("mfa_generate_recovery_codes"))
    page.locator("input[name=password]").fill(PASSWORD)  # allauth asks for it again first
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('mfa_generate_recovery_codes')}")
    page.goto(reverse("mfa_deactivate_totp"))
    assert page.url == f"{base}{reverse('mfa_deactivate_totp')}"
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.goto(reverse("mfa_add_webauthn"))
    page.locator("input[name=name]").fill("Key")
    page.locator("#mfa_webauthn_add").click()
    # A first key comes with recovery codes, and allauth shows them next.
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    context.close()

    context = signed_in_context(browser, base, None, watch)
    page = context.new_page()
    watch.watch(page)
    sign_in(page, member)
    page.goto(reverse("mfa_activate_totp"))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('mfa_activate_totp')}")
    qr_code = page.locator("main img[src^='data:']")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    context.close()
    return [
        "secretariat the code stage of signing in",
        "secretariat recovery codes",
        "secretariat switching off the authenticator app",
        "secretariat adding a security key (virtual authenticator), then its recovery codes",
        "member the authenticator app's QR code",
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_loads_under_the_policy_without_a_violation(
    browser, live_server, report_collector, world, partner_site
):
    started = time.monotonic()
    base = live_server.url
    pages = matrix_pages(world)
    superuser = SuperuserFactory()
    PartnerFactory(allowed_origins=[partner_site.origin])
    watch = Watch()
    walk = Walk()

    # A role whose pages are those of a wider one with less on them (an applicant's are the
    # visitor's with an account link; the editor's, manager's and superuser's the secretariat's)
    # loads only the pages the wider role did not: the policy holds for a template, and loading
    # every page for all seven roles cost minutes of the suite.
    wider = {APPLICANT: ANON, EDITOR: SECRETARIAT, MANAGER: SECRETARIAT, SUPERUSER: SECRETARIAT}
    for role, urls in pages.items():
        context = signed_in_context(browser, base, world.get(role), watch)
        page = context.new_page()
        watch.watch(page)
        loaded_by_wider = set(pages.get(wider[role], ())) if role in wider else set()
        for url in urls:
            if url not in loaded_by_wider:
                walk.visit(page, url, role)
        if role == ANON:
            for url in ("/no-such-page/", "/events/no-such-event/"):
                assert page.goto(url).status == 404
                walk.checked.append(f"{role} {url} (404)")
            walk.checked.extend(f"{role} {done}" for done in interact(page, base))
        context.close()

    # Every admin page a superuser opens that the matrix did not already load.
    context = signed_in_context(browser, base, superuser, watch)
    page = context.new_page()
    watch.watch(page)
    seen = {entry.split(" ", 1)[1] for entry in walk.checked}
    for url in admin_pages(superuser):
        if url not in seen:
            walk.visit(page, url, "superuser")
    walk.checked.extend(f"superuser {done}" for done in admin_interactions(page))
    context.close()

    walk.checked.extend(
        second_factor_pages(browser, base, watch, staff=world[SECRETARIAT], member=world[MEMBER])
    )

    # The widget inside a partner's page, on the partner's own origin.
    context = signed_in_context(browser, base, None, watch)
    page = context.new_page()
    watch.watch(page)
    partner_site.framed = f"{base}/api/widget/events/?lang=ru"
    page.goto(f"{partner_site.origin}/")
    page.frame_locator("iframe").locator("body.widget h1").wait_for()
    walk.checked.append(f"{ANON} /api/widget/events/ (framed by a partner)")
    context.close()

    time.sleep(0.5)  # the browser posts its reports as the violation happens
    by_role = Counter(entry.split(" ", 1)[0] for entry in walk.checked)
    print(
        f"\nCSP walk: {len(walk.checked)} page loads in {time.monotonic() - started:.0f} s "
        f"({', '.join(f'{role} {count}' for role, count in by_role.items())}); "
        f"{len(walk.not_pages)} addresses answered files, feeds or JSON, "
        f"{len(walk.refused)} admin forms are offered to nobody"
    )
    assert {
        "violations": watch.violations,
        "reports": report_collector.violations,
        "console": watch.console,
        "page errors": watch.page_errors,
    } == {"violations": [], "reports": [], "console": [], "page errors": []}
    assert len(walk.checked) > 300


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_violation_is_caught_by_the_listener_the_report_and_the_console(
    browser, live_server, report_collector, partner_site
):
    """The walk above finds nothing; this shows each of its three nets would catch something:
    an inline style, an image from elsewhere, and a page of another site framing the site."""
    base = live_server.url
    watch = Watch()
    context = signed_in_context(browser, base, None, watch)
    page = context.new_page()
    watch.watch(page)
    page.goto("/about/")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
             '<p style="color: red">x</p><img src="http://elsewhere.example/pixel.gif" alt="">')"""
    )
    # The events arrive asynchronously: leaving the page first would lose the image's.
    deadline = time.monotonic() + 10
    while len(watch.violations) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    # A site the secretariat has not listed frames the widget.
    partner_site.framed = f"{base}/api/widget/events/"
    page.goto(f"{partner_site.origin}/")
    deadline = time.monotonic() + 10
    while len(report_collector.violations) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    context.close()

    assert sorted(v["directive"] for v in watch.violations) == ["img-src", "style-src-attr"]
    assert sorted(v["effective-directive"] for v in report_collector.violations) == [
        "frame-ancestors",
        "img-src",
        "style-src-attr",
    ]
    assert len(watch.console) == 3
