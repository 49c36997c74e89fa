"""The join link and passcode reach only confirmed members, linked speakers and the secretariat,
from EVENTS_JOIN_LINK_LEAD_MINUTES before the start; never anyone else's HTML or the public .ics."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from tests.factories.events import EventFactory, RegistrationFactory, SeriesFactory
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

JOIN_URL = "https://zoom.example/j/8812345678?pwd=TOPSECRET"
PASSCODE = "PASS-7781"


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def soon():
    """An event in a series, starting in 30 minutes: inside the 60-minute lead."""
    start = timezone.now() + datetime.timedelta(minutes=30)
    return EventFactory(
        join_url=JOIN_URL,
        passcode=PASSCODE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        series=SeriesFactory(),
    )


@pytest.fixture
def people(soon, applicant, member, secretariat):
    """Every kind of viewer, keyed by a name."""
    speaker_user = ProfileFactory(status="approved").user
    soon.speakers.add(ExpertFactory(user=speaker_user))
    unlinked_speaker_event_member = ProfileFactory(status="approved").user
    waiting = ProfileFactory(status="approved").user
    declined = ProfileFactory(status="approved").user
    confirmed = ProfileFactory(status="approved").user
    RegistrationFactory(event=soon, user=confirmed)
    RegistrationFactory(event=soon, user=waiting, status="waiting")
    RegistrationFactory(event=soon, user=declined, status="declined")
    return {
        "anonymous": None,
        "applicant": applicant,
        "member": member,
        "other member": unlinked_speaker_event_member,
        "waiting": waiting,
        "declined": declined,
        "confirmed": confirmed,
        "speaker": speaker_user,
        "secretariat": secretariat,
    }


ENTITLED = {"confirmed", "speaker", "secretariat"}
ALL = [
    "anonymous",
    "applicant",
    "member",
    "other member",
    "waiting",
    "declined",
    "confirmed",
    "speaker",
    "secretariat",
]


@pytest.mark.parametrize("who", ALL)
def test_event_page_shows_the_link_only_to_those_entitled(soon, people, who):
    html = client_of(people[who]).get(soon.get_absolute_url()).content.decode()
    assert (JOIN_URL.replace("&", "&amp;") in html or JOIN_URL in html) == (who in ENTITLED)
    assert (PASSCODE in html) == (who in ENTITLED)
    assert "zoom.example" in html if who in ENTITLED else "zoom.example" not in html


@pytest.mark.parametrize("who", ALL)
def test_public_pages_and_ics_never_carry_the_link(soon, people, who):
    client = client_of(people[who])
    urls = [
        reverse("events:list"),
        reverse("events:past"),
        reverse("events:calendar"),
        soon.series.get_absolute_url(),
        reverse("events:ics", args=[soon.slug]),
    ]
    if who != "anonymous" and who != "applicant":
        urls.append(reverse("events:mine"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "zoom.example" not in body, url
        assert PASSCODE not in body, url


@pytest.mark.parametrize("who", sorted(ENTITLED))
def test_before_the_lead_time_the_entitled_are_told_when_it_appears(people, soon, who):
    start = timezone.now() + datetime.timedelta(hours=3)
    soon.starts_at, soon.ends_at = start, start + datetime.timedelta(hours=1)
    soon.save()
    html = client_of(people[who]).get(soon.get_absolute_url()).content.decode()
    assert "zoom.example" not in html
    assert PASSCODE not in html
    assert "The join link appears here 60 minutes before the start." in html


def test_the_lead_time_follows_the_setting(people, soon, settings):
    settings.EVENTS_JOIN_LINK_LEAD_MINUTES = 15
    html = client_of(people["confirmed"]).get(soon.get_absolute_url()).content.decode()
    assert "zoom.example" not in html
    assert "The join link appears here 15 minutes before the start." in html


def test_no_link_after_the_end_or_for_a_cancelled_event(people, soon):
    services.event_cancel(event=soon, by=None, reason="")
    html = client_of(people["confirmed"]).get(soon.get_absolute_url()).content.decode()
    assert "zoom.example" not in html


def test_personal_feed_carries_the_link_only_for_a_confirmed_place(people, soon):
    confirmed = services.feed_token_get_or_create(user=people["confirmed"])
    waiting = services.feed_token_get_or_create(user=people["waiting"])
    confirmed_feed = Client().get(confirmed.get_absolute_url()).content.decode()
    waiting_feed = Client().get(waiting.get_absolute_url()).content.decode()
    assert "zoom.example/j/8812345678" in confirmed_feed.replace("\r\n ", "")
    assert PASSCODE in confirmed_feed.replace("\r\n ", "")
    assert "zoom.example" not in waiting_feed.replace("\r\n ", "")
    assert PASSCODE not in waiting_feed.replace("\r\n ", "")


@pytest.mark.parametrize("status", ["suspended", "rejected"])
def test_a_registrant_no_longer_a_member_sees_neither_link_nor_passcode(soon, status):
    registrant = ProfileFactory(status="approved").user
    RegistrationFactory(event=soon, user=registrant)
    registrant.profile.status = status
    registrant.profile.save()
    html = client_of(registrant).get(soon.get_absolute_url()).content.decode()
    assert "zoom.example" not in html
    assert PASSCODE not in html
    assert "The join link appears here" not in html
