import time

import pytest
from django.test import Client

from demo import events as demo
from demo import members as members_demo
from events.models import Event, Registration, Series, Session

pytestmark = pytest.mark.django_db


def test_demo_programme_is_complete_and_idempotent():
    members_demo.load(members=120)
    first = demo.load(events=42)
    assert first["events"] == 42
    kinds = sorted(set(Event.objects.values_list("kind", flat=True)))
    assert kinds == ["annual_conference", "field_visit", "seminar", "video_conference"]
    assert Event.objects.filter(kind="video_conference").count() == 24
    assert Series.objects.get().events.count() == 12
    conference = Event.objects.filter(kind="annual_conference").order_by("-starts_at").first()
    assert conference.sessions.count() == 6
    assert all(session.speakers.count() == 2 for session in Session.objects.all())
    assert Event.objects.filter(speakers__isnull=False).distinct().count() == 42
    assert Registration.objects.filter(event=conference).count() > 0
    second = demo.load(events=42)
    assert second == {"events": 0, "registrations": 0}
    assert Event.objects.count() == 42
    response = Client().get(conference.get_absolute_url())
    assert response.status_code == 200


def test_bench_scale_is_fast_and_gives_an_event_with_300_registrations():
    started = time.monotonic()
    created = demo.load(events=2000)
    elapsed = time.monotonic() - started
    assert created["events"] == 2000
    assert elapsed < 30
    urls = demo.bench_urls()
    biggest = Event.objects.get(slug=urls["event"].strip("/").split("/")[-1])
    assert biggest.registrations.count() == 300
    assert Client().get(urls["list"]).status_code == 200
    assert Client().get(urls["event"]).status_code == 200
