"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

The pip package's own browser download does not work on this machine, so the tests launch the
system Chromium. Without it they skip, except under .ci/run (MIRPAL_REQUIRE_BROWSER=1), where a
missing browser fails the run.

Every page a browser test visits is checked with axe-core (tests/browser/vendor/axe.min.js, its
WCAG 2 A and AA rules) and must have no violation. No test needs to ask: while the `browser`
fixture runs, each Page and Locator action (goto, click, fill, press, ...) first checks the
document the page shows if it has not been checked yet, and the pages still open are checked when
their context closes or the test ends. So a document is checked at its first interaction, as
loaded; one a test never touches is checked when it leaves it. `axe_check(page)` does the same
by hand, for a state reached without a navigation (a dialog opened by a script). A page of a
context without JavaScript is checked on a copy of its document (axe itself is a script); pages
of other servers than the live server, and those in AXE_EXEMPT, are not checked.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = "Chromium not installed: browser tests skipped (apt-get install chromium)"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa"]
# Set on a document's window once it is checked: a new document starts without it.
AXE_DONE = "__mirpalAxeChecked"
AXE_STATE = f"() => [document.readyState, document.contentType, window.{AXE_DONE} === true]"
AXE_RUN = f"""
async (tags) => {{
  const late = new Promise((resolve, reject) => setTimeout(
    () => reject(new Error("axe-core did not finish in 30 s")), 30000));
  const result = await Promise.race([late, axe.run(document, {{
    runOnly: {{ type: "tag", values: tags }}, resultTypes: ["violations"],
    // No stylesheets copied into a document of axe's own: the site's policy refuses them.
    preload: false,
  }})]);
  window.{AXE_DONE} = true;
  return result.violations.map((rule) => ({{
    id: rule.id, impact: rule.impact, help: rule.help,
    targets: rule.nodes.map((node) => node.target.join(" ")),
  }}));
}}
"""
# Actions that may leave the document a page shows: the document is checked before them.
PAGE_ACTIONS = (
    "goto", "reload", "go_back", "go_forward", "click", "dblclick", "tap", "fill", "type",
    "press", "check", "uncheck", "set_checked", "select_option", "set_input_files", "close",
)  # fmt: skip
LOCATOR_ACTIONS = (
    "click", "dblclick", "tap", "fill", "type", "press", "press_sequentially", "check",
    "uncheck", "set_checked", "select_option", "set_input_files", "submit",
)  # fmt: skip


# Pages left unchecked, by the start of their path, with the reason. Each was reported; remove its
# line once the page is clean (run with MIRPAL_AXE_COLLECT=<file> to list every page's violations
# instead of stopping at the first).
AXE_EXEMPT: dict[str, str] = {}


# The ports of the site under test (the live server's), when a test has one: a stand-in for
# another site (a partner's page in test_csp.py) is not checked. None checks every page.
AXE_SCOPE = SimpleNamespace(ports=None)


# Marks a context made with java_script_enabled=False (axe_on_every_page).
NO_SCRIPT = "_mirpal_no_script"


class AxeViolations(AssertionError):
    pass


def axe_report(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} WCAG 2 A/AA violation(s) on {url}"]
    for rule in violations:
        lines.append(f"  {rule['id']} ({rule['impact']}): {rule['help']}")
        lines.extend(f"      {target}" for target in rule["targets"][:10])
        if len(rule["targets"]) > 10:
            lines.append(f"      ... and {len(rule['targets']) - 10} more")
    return "\n".join(lines)


def _axe_run(page) -> list[dict]:
    if len(page.context.pages) > 1:
        # A page in the background gets no animation frames, which axe waits for.
        page.bring_to_front()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(AXE_RUN, AXE_TAGS)


def _axe_run_on_a_copy(page) -> list[dict]:
    """axe for a page of a context without JavaScript, where its run could never finish: the
    document as it stands, with its stylesheets, in a page of the same size that runs no script
    of the site's but axe's."""
    copy_context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy_context.route("**/*.js", lambda route: route.abort())
        copy = copy_context.new_page()
        base = f'<base href="{page.url}">'
        html = re.sub(r"<head[^>]*>", lambda head: head[0] + base, page.content(), count=1)
        copy.set_content(html, wait_until="load")
        return _axe_run(copy)
    finally:
        copy_context.close()


def axe_check(page) -> None:
    """Check the document `page` shows with axe-core unless it was checked already; raise
    AxeViolations listing each rule broken (id, impact, the elements' selectors).

    Scripts are injected by evaluation, which the pages' Content-Security-Policy does not govern,
    so the policy the CSP tests check stays the one the site sends."""
    from playwright.sync_api import Error

    if os.environ.get("MIRPAL_AXE") == "off":  # to tell a check's effect from the page's own
        return
    if page.is_closed() or page.url.startswith(("about:", "data:", "chrome")):
        return
    address = urlsplit(page.url)
    if AXE_SCOPE.ports is not None and address.port not in AXE_SCOPE.ports:
        return
    if any(address.path.startswith(path) for path in AXE_EXEMPT):
        return
    for _attempt in range(3):
        try:
            ready, content_type, done = page.evaluate(AXE_STATE)
            if done or content_type != "text/html":
                return
            if ready != "complete":
                page.wait_for_load_state("load")
                continue
            if getattr(page.context, NO_SCRIPT, False):
                violations = _axe_run_on_a_copy(page)
                page.evaluate(f"() => {{ window.{AXE_DONE} = true; }}")
            else:
                violations = _axe_run(page)
        except Error as error:
            # The document went away under the check (a navigation under way): check the next.
            if "destroyed" in str(error) or "navigat" in str(error):
                page.wait_for_load_state("load")
                continue
            if page.is_closed():
                return
            raise
        if violations:
            report = axe_report(page.url, violations)
            if os.environ.get("MIRPAL_AXE_COLLECT"):
                # A survey of every page rather than a stop at the first: the reports are kept.
                with open(os.environ["MIRPAL_AXE_COLLECT"], "a") as collected:
                    collected.write(report + "\n")
                return
            raise AxeViolations(report)
        return


def _checked_first(action, page_of):
    def checked(self, *args, **kwargs):
        axe_check(page_of(self))
        return action(self, *args, **kwargs)

    checked.__wrapped__ = action
    return checked


def _context_closed_after_check(close):
    def checked(self, *args, **kwargs):
        for page in list(self.pages):
            axe_check(page)
        return close(self, *args, **kwargs)

    return checked


def axe_on_every_page(monkeypatch) -> None:
    """Patch Playwright's sync Page and Locator actions to check the current document first."""
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

    for name in PAGE_ACTIONS:
        if hasattr(Page, name):
            monkeypatch.setattr(Page, name, _checked_first(getattr(Page, name), lambda p: p))
    for name in LOCATOR_ACTIONS:
        if hasattr(Locator, name):
            monkeypatch.setattr(
                Locator, name, _checked_first(getattr(Locator, name), lambda loc: loc.page)
            )
    monkeypatch.setattr(BrowserContext, "close", _context_closed_after_check(BrowserContext.close))

    def remembering_no_script(new_context):
        def made(self, *args, **kwargs):
            context = new_context(self, *args, **kwargs)
            setattr(context, NO_SCRIPT, kwargs.get("java_script_enabled") is False)
            return context

        return made

    monkeypatch.setattr(Browser, "new_context", remembering_no_script(Browser.new_context))

    def page_remembering_no_script(new_page):
        def made(self, *args, **kwargs):
            page = new_page(self, *args, **kwargs)
            setattr(page.context, NO_SCRIPT, kwargs.get("java_script_enabled") is False)
            return page

        return made

    monkeypatch.setattr(Browser, "new_page", page_remembering_no_script(Browser.new_page))


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("MIRPAL_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "Chromium is required (MIRPAL_REQUIRE_BROWSER=1) but neither /usr/bin/chromium "
                "nor `chromium` on PATH exists: apt-get install chromium",
                pytrace=False,
            )
        pytest.skip(SKIP_REASON)
    return path


@pytest.fixture(scope="session", autouse=True)
def _seed_data_restored(django_db_setup, django_db_blocker):
    """Put back what the migrations wrote (topics, groups, the site) once the browser tests end.

    The live server needs committed data, so these tests flush the database when they finish;
    with --reuse-db the next session would otherwise start without the migrations' rows.
    """
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(contents)
            # The rows came back with their ids; the next migrate's new content types and
            # permissions must not collide with them.
            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


@pytest.fixture
def browser(chromium_executable, monkeypatch, request):
    """A fresh Chromium for each test, closed after it.

    Playwright's sync API keeps an event loop marked as running in this thread while it is
    started; Django would then refuse the ORM calls the test makes, hence the env var, set for
    this test only. With that loop running, Django also keeps the test's database connection
    apart from pytest-django's, so it is closed here, or the test database could not be dropped.
    Starting and stopping per test leaves no loop behind for later tests.
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    axe_on_every_page(monkeypatch)
    if "live_server" in request.fixturenames:
        # The site's pages are checked, not those of a stand-in for another site.
        port = urlsplit(request.getfixturevalue("live_server").url).port
        monkeypatch.setattr(AXE_SCOPE, "ports", frozenset({port}))
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
            # The last document of each page still open, which no action has left.
            for context in chromium.contexts:
                for page in context.pages:
                    axe_check(page)
        finally:
            chromium.close()
            connections.close_all()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
