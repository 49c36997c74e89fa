"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

The pip package's own browser download does not work on this machine, so the tests launch the
system Chromium. Without it they skip, except under .ci/run (MIRPAL_REQUIRE_BROWSER=1), where a
missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
def browser(chromium_executable, monkeypatch):
    """A fresh Chromium for each test, closed after it.

    Playwright's sync API keeps an event loop marked as running in this thread while it is
    started; Django would then refuse the ORM calls the test makes, hence the env var, set for
    this test only. With that loop running, Django also keeps the test's database connection
    apart from pytest-django's, so it is closed here, or the test database could not be dropped.
    Starting and stopping per test leaves no loop behind for later tests.
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
