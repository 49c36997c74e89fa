import os

os.environ.setdefault("MIRPAL_TESTING", "1")

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.smtp import SmtpSink

ROLES = ("anonymous", "applicant", "member", "secretariat")


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """allauth's rate limits and throttles live in the cache; each test starts with none. A
    request in Russian leaves Russian active in the thread, so each test starts in English."""
    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The topic list and the secretariat group come from migrations; a transactional test's
    flush deletes them, so each test that uses the database makes sure they are there."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db"}:
        yield
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in names or "live_server" in names
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from mirpal.models import Topic
    from mirpal.roles import roles_sync
    from mirpal.topics import topics_sync

    if not Topic.objects.exists():
        topics_sync()
        roles_sync()
    yield


@pytest.fixture(scope="session")
def smtp_sink_server():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_sink(smtp_sink_server, settings):
    """A real SMTP server (aiosmtpd) on loopback; settings send mail to it over SMTP."""
    smtp_sink_server.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_sink_server


@pytest.fixture
def applicant(db):
    from tests.factories.members import ProfileFactory

    return ProfileFactory(status="pending").user


@pytest.fixture
def member(db):
    from tests.factories.members import ProfileFactory

    return ProfileFactory(status="approved").user


@pytest.fixture
def secretariat(db):
    from tests.factories.members import SecretariatFactory

    return SecretariatFactory()


@pytest.fixture
def editor(db):
    from tests.factories.members import EditorFactory

    return EditorFactory()


@pytest.fixture
def manager(db):
    from tests.factories.members import ManagerFactory

    return ManagerFactory()


@pytest.fixture
def superuser(db):
    from tests.factories.members import SuperuserFactory

    return SuperuserFactory()


@pytest.fixture
def client_for(client, django_user_model, request):
    """client_for(role) returns a test client signed in as a fresh user of that role."""
    from django.test import Client

    def make(role: str) -> Client:
        fresh = Client()
        if role != "anonymous":
            fresh.force_login(request.getfixturevalue(role))
        return fresh

    return make


@pytest.fixture
def private_task_queue(settings):
    """Test runs on one machine can share a Redis: a queue per process keeps another run's worker
    (on another test database) from taking this run's tasks."""
    from mirpal.celery import app

    queue = f"mirpal-test-{os.getpid()}"
    previous = app.conf.task_default_queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous
