"""List answers from the server's cache (api.answers): a repeated call asks the database nothing
and answers exactly as the first did, a write shows on the next call, each kind of caller keeps
its own answer, and the throttle, the key check, CORS and the security headers still apply."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.enums import EventStatus
from events.services import event_publish
from mirpal.apikeys import personal_token_rotate
from mirpal.models import Topic, WebhookEndpoint
from tests.events.admin_forms import change_event
from tests.factories.api import key_header, partner_key
from tests.factories.events import EventFactory, RegistrationFactory, in_days
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

CACHED_LISTS = [
    "/api/v1/events/?page_size=20&when=all",
    "/api/v1/events/",
    "/api/v1/experts/",
    "/api/v1/documents/",
    "/api/v1/issues/",
    "/api/v1/articles/",
    "/api/v1/topics/",
    "/api/v1/countries/",
    "/api/v1/search/?q=remittance",
]
# Headers that differ between any two answers, cached or not: each answer has its own request id.
VOLATILE = {"Date", "X-Request-ID"}


def some_of_everything():
    topic = Topic.objects.first()
    for day in (3, 12):
        EventFactory(starts_at=in_days(day), topics=[topic])
    ExpertFactory(topics=[topic])
    DocumentFactory(title_en="Remittance corridors", language="en", topics=[topic])
    ArticleFactory(title="Remittance flows", language="en", topics=[topic])


def headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in VOLATILE}


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize("url", CACHED_LISTS)
def test_a_repeated_call_is_answered_from_the_cache_without_a_query(
    client, partner_headers, url, django_assert_num_queries
):
    some_of_everything()
    for caller in ({}, partner_headers):
        first = client.get(url, **caller)
        assert first.status_code == 200
        # Not even the partner's key is looked up again: it is cached too.
        with django_assert_num_queries(0):
            again = client.get(url, **caller)
        assert (again.status_code, again.content) == (200, first.content)
        assert headers(again) == headers(first)
        assert again["Cache-Control"] == "public, max-age=60"
        assert again["ETag"]


def test_if_none_match_on_a_cached_answer_is_304_with_nothing_rendered(
    client, partner_headers, django_assert_num_queries
):
    event = EventFactory()
    url = "/api/v1/events/"
    first = client.get(url, **partner_headers)
    assert first["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **partner_headers)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (since.status_code, since.content) == (304, b"")
    event.title_en = "Changed"
    event.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **partner_headers)
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_an_event_edited_or_published_in_the_admin_changes_the_next_answer(
    client, partner_headers, secretariat
):
    event = EventFactory(title_en="Remittance corridors", starts_at=in_days(3))
    draft = EventFactory(title_en="Seasonal work", starts_at=in_days(5), status=EventStatus.DRAFT)
    for caller in ({}, partner_headers):
        assert titles(client.get("/api/v1/events/", **caller)) == ["Remittance corridors"]
    staff = client_for(secretariat)
    change_event(staff, event, title_en="Remittance corridors in Central Asia")
    for caller in ({}, partner_headers):
        assert titles(client.get("/api/v1/events/", **caller)) == [
            "Remittance corridors in Central Asia"
        ]
    staff.post(
        "/secretariat/admin/events/event/",
        {"action": "publish_events", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == EventStatus.PUBLISHED
    assert titles(client.get("/api/v1/events/")) == [
        "Remittance corridors in Central Asia",
        "Seasonal work",
    ]


def test_a_draft_published_by_the_service_shows_on_the_next_call(client, partner_headers):
    draft = EventFactory(title_en="Seasonal work", status=EventStatus.DRAFT)
    assert titles(client.get("/api/v1/events/", **partner_headers)) == []
    event_publish(event=draft, by=None)
    assert titles(client.get("/api/v1/events/", **partner_headers)) == ["Seasonal work"]


def test_a_document_added_shows_in_the_lists_and_the_search_at_once(client, partner_headers):
    DocumentFactory(title_en="Remittance corridors", language="en")
    urls = ["/api/v1/documents/", "/api/v1/search/?q=remittance"]
    for url in urls:
        for caller in ({}, partner_headers):
            assert client.get(url, **caller).json()["count"] == 1
    DocumentFactory(title_en="Remittance costs", language="en")
    for url in urls:
        for caller in ({}, partner_headers):
            assert client.get(url, **caller).json()["count"] == 2


def test_each_kind_of_caller_keeps_its_own_answer(client, member, partner_headers):
    public = DocumentFactory(title_en="Open report")
    closed = DocumentFactory(title_en="Internal report", access="members")
    url = "/api/v1/documents/"

    def ids(**caller) -> list[int]:
        return [row["id"] for row in client.get(url, **caller).json()["results"]]

    assert ids() == ids() == [public.pk]
    assert ids(**partner_headers) == ids(**partner_headers) == [public.pk]
    _token, raw = personal_token_rotate(user=member)
    assert ids(**key_header(raw)) == [closed.pk, public.pk]
    client.force_login(member)
    assert ids() == ids() == [closed.pk, public.pk]
    assert client.get(url)["Cache-Control"] == "private, no-cache"
    client.logout()
    assert ids() == [public.pk]
    assert ids(**partner_headers) == [public.pk]


def test_language_time_zone_and_format_are_part_of_the_key(client):
    EventFactory(
        title_en="Remittances",
        title_ru="Денежные переводы",
        starts_at=datetime.datetime(2030, 1, 10, 10, tzinfo=datetime.UTC),
    )
    url = "/api/v1/events/"
    assert titles(client.get(url)) == ["Remittances"]
    assert titles(client.get(url, HTTP_ACCEPT_LANGUAGE="ru")) == ["Денежные переводы"]
    assert titles(client.get(url + "?lang=ru")) == ["Денежные переводы"]
    assert titles(client.get(url)) == ["Remittances"]
    moscow = client.get(url).json()["results"][0]["starts_at"]
    client.cookies["mirpal_tz"] = "Asia/Tashkent"
    tashkent = client.get(url).json()["results"][0]["starts_at"]
    assert (moscow, tashkent) == ("2030-01-10T10:00:00Z", "2030-01-10T15:00:00+05:00")
    del client.cookies["mirpal_tz"]
    indented = client.get(url, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "count"')
    assert not client.get(url).content.startswith(b'{\n  "count"')


def test_the_throttle_still_counts_cached_answers(client, settings):
    settings.API_RATE_ANONYMOUS = 3
    EventFactory()
    statuses = [client.get("/api/v1/events/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/events/")
    assert int(refused["Retry-After"]) >= 1
    # Every counter expires with its window: none is left behind.
    redis = cache._cache.get_client()
    counters = redis.keys(cache.make_key("api-throttle:*"))
    assert counters
    assert all(0 < redis.ttl(name) <= 61 for name in counters)


def test_a_key_revoked_or_a_partner_deactivated_in_the_admin_stops_at_once(client, secretariat):
    EventFactory()
    key, raw = partner_key()
    other_key, other_raw = partner_key()
    for secret in (raw, other_raw):
        assert client.get("/api/v1/events/", **key_header(secret)).status_code == 200
        assert client.get("/api/v1/events/", **key_header(secret)).status_code == 200
    staff = client_for(secretariat)
    staff.post(
        "/secretariat/admin/mirpal/apikey/", {"action": "revoke", "_selected_action": [key.pk]}
    )
    assert client.get("/api/v1/events/", **key_header(raw)).status_code == 401
    partner = other_key.partner
    response = staff.post(
        f"/secretariat/admin/mirpal/partner/{partner.pk}/change/",
        {
            "name": partner.name,
            "contact_email": partner.contact_email,
            "allowed_origins": "\n".join(partner.allowed_origins),
            "webhooks-TOTAL_FORMS": "0",
            "webhooks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert client.get("/api/v1/events/", **key_header(other_raw)).status_code == 401


def test_wrong_keys_are_still_refused_past_the_limit_with_a_cached_answer(client, settings):
    settings.API_KEY_FAILURES = 2
    EventFactory()
    _key, raw = partner_key()
    assert client.get("/api/v1/events/", **key_header(raw)).status_code == 200
    for _ in range(2):
        assert client.get("/api/v1/events/", **key_header("mpk_wrong")).status_code == 401
    refused = client.get("/api/v1/events/", **key_header(raw))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_cached_answers_carry_cors_and_security_headers(client, partner_headers):
    EventFactory()
    origin = {"HTTP_ORIGIN": "https://partner.example"}
    first = client.get("/api/v1/events/", **origin, **partner_headers)
    again = client.get("/api/v1/events/", **origin, **partner_headers)
    assert again["Access-Control-Allow-Origin"] == "https://partner.example"
    assert again["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in again
    assert headers(again) == headers(first)


# --- Query counts of the lists that had none: constant whatever the number of rows.


@pytest.mark.parametrize("count", [1, 25])
def test_issue_article_topic_and_country_lists_query_count_is_constant(
    client, count, django_assert_num_queries
):
    topic = Topic.objects.first()
    for _ in range(count):
        ArticleFactory(issue=IssueFactory(), topics=[topic])
    # count, page
    with django_assert_num_queries(2):
        assert client.get("/api/v1/issues/").status_code == 200
    # count, page, topics
    with django_assert_num_queries(3):
        assert client.get("/api/v1/articles/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/api/v1/topics/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/api/v1/countries/").status_code == 200


@pytest.mark.parametrize("page_size", [2, 50])
def test_event_list_query_count_is_constant_whatever_the_page_size(
    client, page_size, partner_raw, django_assert_num_queries
):
    topic = Topic.objects.first()
    for day in range(1, 31):
        EventFactory(starts_at=in_days(day), topics=[topic])
    url = f"/api/v1/events/?page_size={page_size}&when=all"
    # count, page, topics
    with django_assert_num_queries(3):
        assert len(client.get(url).json()["results"]) == min(page_size, 30)
    # A partner's first call records its use; then, with its answer gone from the cache, the
    # key's lookup and the same three.
    client.get(url, **key_header(partner_raw))
    cache.clear()
    with django_assert_num_queries(4):
        assert client.get(url, **key_header(partner_raw)).status_code == 200


def test_search_query_count_does_not_grow_with_the_matches(client):
    def queries_for_search() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/search/?q=remittance").status_code == 200
        return len(queries)

    DocumentFactory(title_en="Remittance report", language="en")
    ArticleFactory(title="Remittance flows", language="en")
    few = queries_for_search()
    for number in range(25):
        DocumentFactory(title_en=f"Remittance report {number}", language="en")
        ArticleFactory(title=f"Remittance flows {number}", language="en")
    # One statement per kind of entry on the page: fewer when a page holds only one kind.
    assert queries_for_search() <= few


@pytest.mark.parametrize("count", [1, 25])
def test_my_registrations_and_webhooks_query_count_is_constant(
    client, member, count, django_assert_num_queries
):
    topic = Topic.objects.first()
    for day in range(count):
        event = EventFactory(starts_at=in_days(day + 1), topics=[topic])
        RegistrationFactory(user=member, event=event)
    _token, raw = personal_token_rotate(user=member)
    # The first call records the token's use; the next ones look the token up (personal tokens
    # are not cached), then count and page the registrations and their events' topics, speakers
    # and sessions.
    client.get("/api/v1/me/registrations/", **key_header(raw))
    with django_assert_num_queries(6):
        response = client.get("/api/v1/me/registrations/", **key_header(raw))
    assert len(response.json()["results"]) == min(count, 20)
    key, partner_secret = partner_key()
    for number in range(count):
        WebhookEndpoint.objects.create(
            partner=key.partner, url=f"https://hooks.example/{number}", topics=["event.published"]
        )
    client.get("/api/v1/webhooks/", **key_header(partner_secret))
    # the webhooks (the partner's key is cached)
    with django_assert_num_queries(1):
        response = client.get("/api/v1/webhooks/", **key_header(partner_secret))
    assert len(response.json()) == count


def client_for(user) -> Client:
    staff = Client()
    staff.force_login(user)
    return staff


def test_made_up_parameters_are_answered_but_never_cached(client, django_assert_num_queries):
    EventFactory()
    for _ in range(2):
        # count, page, topics
        with django_assert_num_queries(3):
            response = client.get("/api/v1/events/?when=all&utm_source=42")
        assert response.status_code == 200
    redis = cache._cache.get_client()
    assert redis.keys(cache.make_key("api-answer:*")) == []
