"""The axe-core check of conftest.py: a page with a violation fails the action that leaves it,
with the rule, its impact and the element's selector; a clean page passes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import AxeViolations

pytestmark = pytest.mark.browser

CLEAN = (
    '<!doctype html><html lang="en"><head><title>Clean</title></head>'
    "<body><main><h1>Clean</h1><p>Nothing wrong here.</p></main></body></html>"
)
BROKEN = (
    '<!doctype html><html lang="en"><head><title>Broken</title></head>'
    '<body><main><h1>Broken</h1><img id="chart" src="/chart.png">'
    '<a href="/clean"><span style="color:#ccc;background:#fff">low contrast</span></a>'
    "</main></body></html>"
)


def test_a_violation_fails_the_next_step_with_a_readable_list(browser: Browser):
    context = browser.new_context()
    pages = {"http://axe.test/clean": CLEAN, "http://axe.test/broken": BROKEN}
    context.route(
        "http://axe.test/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=pages.get(route.request.url, "")
        ),
    )
    page = context.new_page()
    page.goto("http://axe.test/clean")
    page.goto("http://axe.test/broken")
    with pytest.raises(AxeViolations) as failed:
        page.get_by_role("link").click()
    assert str(failed.value).splitlines() == [
        "axe-core: 2 WCAG 2 A/AA violation(s) on http://axe.test/broken",
        "  color-contrast (serious): Elements must meet minimum color contrast ratio thresholds",
        "      span",
        "  image-alt (critical): Images must have alternative text",
        "      #chart",
    ]
    # Each document is checked once: the broken page does not fail again when the test leaves.
    page.goto("http://axe.test/clean")
    context.close()


def test_a_page_without_javascript_is_checked_too(browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    context.route(
        "http://axe.test/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN),
    )
    page = context.new_page()
    page.goto("http://axe.test/broken")
    with pytest.raises(AxeViolations) as failed:
        context.close()
    assert str(failed.value).splitlines()[0] == (
        "axe-core: 2 WCAG 2 A/AA violation(s) on http://axe.test/broken"
    )
    context.close()
