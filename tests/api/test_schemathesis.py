"""Schemathesis against /api/schema/: generated requests to every operation must never get a
500 and every answer must match the schema (status, content type, body, headers)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory, IssueFactory
from tests.factories.roster import ExpertFactory

EXAMPLES_PER_OPERATION = 12

# The schema view reads no database, so it is fetched through the WSGI app at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# The site refuses a NUL character anywhere in a request with a 400 before any view runs
# (mirpal.middleware.MalformedInputMiddleware, tested in tests/mirpal/test_middleware_input.py):
# PostgreSQL cannot store it. So strings here are drawn without it.
schema.config.generation.update(allow_x00=False)


@pytest.fixture(autouse=True)
def _some_content(db, settings):
    """Requests go straight to the WSGI handler, which closes the database connection when a
    request finishes; Django's test client disconnects that for the test's transaction, and so
    does this fixture."""
    settings.API_RATE_ANONYMOUS = 1_000_000
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    EventFactory()
    ExpertFactory()
    IssueFactory()
    DocumentFactory()
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    # The same examples every run: CI must not turn red on a draw it never saw before.
    derandomize=True,
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
