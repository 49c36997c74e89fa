"""The lists of coming and past events come from a cache shared by every viewer of one language,
time zone and query: a write shows on the next request, each viewer still sees their own answer,
and a cached page asks the database nothing about the events."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from mirpal.fragments import data_changed
from mirpal.models import Topic
from tests.events.admin_forms import event_form_data
from tests.factories.events import EventFactory, RegistrationFactory, SeriesFactory, in_days
from tests.factories.members import ProfileFactory
from tests.members.signing_in import staff_signed_in

pytestmark = pytest.mark.django_db

LIST = reverse("events:list")
PAST = reverse("events:past")
CHANGELIST = reverse("admin:events_event_changelist")


def titles(response) -> list[str]:
    return re.findall(r'<h2><a href="/events/[^"]+/">([^<]+)</a></h2>', response.content.decode())


def badges(response) -> list[str]:
    return re.findall(
        r'<span class="badge (?:approved|pending)">(You are going|You are on the wait list)</span>',
        response.content.decode(),
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_post(client: Client, url: str, data: dict):
    """Post an admin form with the CSRF token its page carries, as the browser does."""
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def test_an_event_edited_in_the_admin_shows_on_the_next_request(secretariat):
    event = EventFactory(title_en="Remittance corridors", starts_at=in_days(3))
    visitor = Client()
    assert titles(visitor.get(LIST)) == ["Remittance corridors"]
    assert titles(visitor.get(LIST)) == ["Remittance corridors"]  # from the cache
    staff = staff_signed_in(secretariat)
    response = admin_post(
        staff,
        reverse("admin:events_event_change", args=[event.pk]),
        event_form_data(event, title_en="Remittance corridors in Central Asia"),
    )
    assert response.status_code == 302
    assert titles(visitor.get(LIST)) == ["Remittance corridors in Central Asia"]


def test_a_draft_published_from_the_admin_shows_on_the_next_request(secretariat):
    EventFactory(title_en="Published", starts_at=in_days(2))
    draft = EventFactory(title_en="Soon public", starts_at=in_days(4), status="draft")
    visitor = Client()
    assert titles(visitor.get(LIST)) == ["Published"]
    staff = staff_signed_in(secretariat)
    # The secretariat sees drafts in a body of its own, never the visitors' one.
    assert titles(staff.get(LIST)) == ["Published", "Soon public"]
    assert titles(visitor.get(LIST)) == ["Published"]
    response = admin_post(
        staff, CHANGELIST, {"action": "publish_events", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    assert titles(visitor.get(LIST)) == ["Published", "Soon public"]


def test_a_topic_renamed_shows_on_the_next_request():
    topic = Topic.objects.get(slug="remittances")
    EventFactory(topics=[topic])
    assert f'<li class="badge">{topic.name_en}</li>' in Client().get(LIST).content.decode()
    topic.name_en = "Money sent home"
    topic.save()
    assert '<li class="badge">Money sent home</li>' in Client().get(LIST).content.decode()


def test_each_viewer_sees_their_own_answer_on_the_cached_list(member):
    event = EventFactory(title_en="Diaspora bonds", capacity=1, starts_at=in_days(5))
    full = EventFactory(title_en="Full seminar", capacity=1, starts_at=in_days(6))
    RegistrationFactory(event=full, user=ProfileFactory(status="approved").user)
    other = ProfileFactory(status="approved").user
    mine, theirs = signed_in(member), signed_in(other)
    assert badges(mine.get(LIST)) == []
    # The member answers on the event's page; the list's cached body is not written again.
    mine.post(reverse("events:register", args=[event.slug]), {"response": "going"})
    mine.post(reverse("events:register", args=[full.slug]), {"response": "going"})
    assert Registration.objects.get(event=full, user=member).status == "waiting"
    assert badges(mine.get(LIST)) == ["You are going", "You are on the wait list"]
    assert badges(theirs.get(LIST)) == []
    assert badges(Client().get(LIST)) == []
    assert "<!--viewer-status" not in theirs.get(LIST).content.decode()


def test_the_answer_badges_sit_where_the_card_puts_them(member):
    event = EventFactory(title_en="Diaspora bonds")
    RegistrationFactory(event=event, user=member)
    html = signed_in(member).get(LIST).content.decode()
    assert re.search(
        r'<p class="event-meta"><span class="badge kind">Video conference</span>\s*'
        r'<span class="badge approved">You are going</span>\s*</p>',
        html,
    )


def test_a_second_identical_request_runs_no_count_and_no_query_on_events(member):
    for day in range(3):
        EventFactory(starts_at=in_days(2 + day))
    for client in (Client(), signed_in(member)):
        with CaptureQueriesContext(connection) as first:
            client.get(LIST, {"country": "KZ"})
        with CaptureQueriesContext(connection) as second:
            client.get(LIST, {"country": "KZ"})
        assert any("COUNT(" in query["sql"] for query in first.captured_queries)
        assert len(second.captured_queries) < len(first.captured_queries)
        assert not any("COUNT(" in query["sql"] for query in second.captured_queries)
        assert not any('FROM "events_event"' in query["sql"] for query in second.captured_queries)


def _events(count: int, *, member=None, past: bool = False):
    topics = list(Topic.objects.all()[:3])
    series = SeriesFactory()
    for index in range(count):
        start = in_days(-10 - index) if past else in_days(1 + index)
        event = EventFactory(
            topics=topics,
            series=series,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            languages=["ru", "en"],
            venue_city="Dushanbe",
        )
        if member is not None:
            RegistrationFactory(event=event, user=member)


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("url", [LIST, PAST])
def test_anonymous_list_query_count_does_not_grow(count, url, django_assert_num_queries):
    _events(count, past=url == PAST)
    client = Client()
    # Filters' topics, the count, the page, its topics, the next end of an event.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(titles(response)) == min(count, 20)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert len(titles(response)) == min(count, 20)


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("page", ["1", "2"])
def test_signed_in_list_query_count_does_not_grow(count, page, member, django_assert_num_queries):
    _events(count, member=member)
    client = signed_in(member)
    client.get(LIST)
    data_changed("events")
    # The user and the five of the anonymous list; the viewer's answers come from the cache.
    with django_assert_num_queries(6):
        client.get(LIST, {"page": page})
    # A cached body: the user, no more.
    with django_assert_num_queries(1):
        response = client.get(LIST, {"page": page})
    # Page 2 of a single page is the last page, the first.
    shown = {("1", 1): 1, ("1", 30): 20, ("2", 1): 1, ("2", 30): 10}[page, count]
    assert len(titles(response)) == shown
    assert len(badges(response)) == shown


def test_languages_and_time_zones_do_not_share_a_cached_body():
    start = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)
    EventFactory(
        title_en="Return migration",
        title_ru="Возвратная миграция",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )

    def page(language: str, zone: str) -> str:
        client = Client()
        client.cookies["mirpal_language"] = language
        client.cookies["mirpal_tz"] = zone
        return client.get(LIST).content.decode()

    def when(html: str) -> str:
        return re.search(r"<time datetime=\"[^\"]+\">([^<]+)</time>", html)[1]

    english_almaty = page("en", "Asia/Almaty")
    english_utc = page("en", "UTC")
    russian_almaty = page("ru", "Asia/Almaty")
    assert when(english_almaty) == "12 March 2030, 15:00"
    assert when(english_utc) == "12 March 2030, 10:00"
    assert "Return migration" in english_utc
    assert "Возвратная миграция" in russian_almaty
    assert "Return migration" not in russian_almaty
    assert when(page("en", "Asia/Almaty")) == "12 March 2030, 15:00"
    assert 'datetime="2030-03-12T15:00:00+05:00"' in english_almaty
    assert 'datetime="2030-03-12T10:00:00+00:00"' in english_utc


def test_the_filters_and_pages_keep_their_own_cached_bodies():
    remittances = Topic.objects.get(slug="remittances")
    EventFactory(title_en="A", topics=[remittances], starts_at=in_days(1))
    EventFactory(title_en="B", countries=["MD"], starts_at=in_days(2))
    client = Client()
    assert titles(client.get(LIST)) == ["A", "B"]
    assert titles(client.get(LIST, {"topic": "remittances"})) == ["A"]
    assert titles(client.get(LIST, {"country": "MD"})) == ["B"]
    html = client.get(LIST, {"country": "MD"}).content.decode()
    assert '<option value="MD" selected>' in html
    assert titles(client.get(LIST)) == ["A", "B"]


def test_an_event_about_to_end_bounds_how_long_the_lists_stay_cached():
    EventFactory(starts_at=in_days(-1), ends_at=timezone.now() + datetime.timedelta(seconds=90))
    EventFactory(starts_at=in_days(3))
    Client().get(LIST)
    Client().get(PAST)
    redis = cache._cache.get_client()
    keys = redis.keys("*mirpal:fragment:events:*")
    assert len(keys) == 2
    assert all(0 < redis.ttl(key) <= 90 for key in keys)


def test_registering_and_cancelling_on_the_event_page_change_the_badge_on_the_next_list(member):
    event = EventFactory(title_en="Skills partnerships", starts_at=in_days(3))
    client = signed_in(member)
    assert badges(client.get(LIST)) == []
    response = client.post(reverse("events:register", args=[event.slug]), {"response": "going"})
    assert response.status_code == 302
    assert badges(client.get(LIST)) == ["You are going"]
    response = client.post(reverse("events:cancel_registration", args=[event.slug]))
    assert response.status_code == 302
    assert badges(client.get(LIST)) == []
