"""A visitor who is not signed in sees an event's time in the zone the browser reports.

static/js/timezone.js stores the zone in a cookie on the first page, URL-encoded as browsers
write cookies; from the next page on the server shows times in that zone.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DESKTOP
from tests.factories.events import EventFactory

MARCH_12_2030 = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("zone", "cookie", "shown"),
    [
        (
            "Asia/Tashkent",
            "Asia%2FTashkent",
            "12 March 2030, 15:00–16:00 (Tashkent time, UTC+5)",
        ),
        # Chromium reports ICU's name for the zone, an alias tzdata keeps.
        (
            "America/Argentina/Buenos_Aires",
            "America%2FBuenos_Aires",
            "12 March 2030, 07:00–08:00 (Buenos Aires, UTC−3)",
        ),
    ],
)
def test_event_time_follows_the_browsers_zone(browser: Browser, live_server, zone, cookie, shown):
    event = EventFactory(
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=1),
        time_zone="Europe/Moscow",
    )
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id=zone)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    # The first page is served before the script has told the server anything.
    expect(page.locator("dd.time-viewer")).to_have_text("12 March 2030, 10:00–11:00 (UTC)")
    assert [c["value"] for c in context.cookies() if c["name"] == "mirpal_tz"] == [cookie]
    page.reload()
    expect(page.locator("dd.time-viewer")).to_have_text(shown)
    context.close()
