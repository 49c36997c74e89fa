"""Schemathesis on the good-practice and programme endpoints, with rows to find: generated requests
never get a 500 and every answer matches the schema. (test_schemathesis.py runs every operation
against a world without cases, collections or activities.)"""

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from mirpal.models import Topic
from practices.enums import ItemKind
from tests.api.test_schemathesis import schema
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory
from tests.factories.practices import CaseFactory, CollectionFactory, CollectionItemFactory
from tests.factories.programme import ActivityFactory, CallFactory

EXAMPLES_PER_OPERATION = 8

practices_schema = schema.include(path_regex=r"^/api/v1/(cases|collections|programme)/")


@pytest.fixture(autouse=True)
def _some_content(db, settings):
    """As in test_schemathesis.py: the WSGI handler must not close the test's connection."""
    settings.API_RATE_ANONYMOUS = 1_000_000
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    topic = Topic.objects.first()
    case = CaseFactory(topics=[topic])
    collection = CollectionFactory()
    collection.topics.set([topic])
    CollectionItemFactory(collection=collection)
    CollectionItemFactory(collection=collection, kind=ItemKind.CASE, case=case)
    document = DocumentFactory()
    CollectionItemFactory(collection=collection, kind=ItemKind.DOCUMENT, document=document)
    call = CallFactory(programme_published=True)
    activity = ActivityFactory(year=call.year, event=EventFactory(), document=document, case=case)
    activity.topics.set([topic])
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@practices_schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)
def test_practices_and_programme_conform_to_the_schema(case):
    case.call_and_validate()
