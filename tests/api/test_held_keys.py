"""A partner key this process has looked up is let in without a trip to Redis and confirmed with
what the throttle's single round trip reads (api.authentication, api.base): whatever changed
about the key since is still seen by the very next request."""

import pytest

from api import authentication, base, cachetrips
from api.views import EventViewSet
from mirpal.apikeys import api_key_revoke, key_hash
from tests.factories.api import key_header, partner_key
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def redis_trips(monkeypatch):
    """How many round trips to Redis the API's own code makes (api.cachetrips)."""
    trips = []
    for module, name in (
        (authentication, "read_many"),
        (base, "read_many"),
        (cachetrips, "read_many"),
        (cachetrips, "_count_script"),
    ):
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            trips.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return trips


def held(raw: str) -> bool:
    return f"api-key:{key_hash(raw)}" in authentication._keys_here


def test_a_held_key_costs_one_round_trip_as_an_anonymous_call_does(client, redis_trips):
    EventFactory()
    _key, raw = partner_key()
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert held(raw)
    redis_trips.clear()
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert redis_trips == ["_count_script"]


def test_a_held_key_revoked_by_the_admin_service_is_refused_on_the_next_request(client):
    EventFactory()
    key, raw = partner_key()
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert held(raw)
    api_key_revoke(key=key)
    refused = client.get(EVENTS, **key_header(raw))
    assert (refused.status_code, refused.json()["detail"]) == (
        401,
        "This API key is not valid or was revoked.",
    )
    assert refused["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert not held(raw)
    assert client.get(EVENTS, **key_header(raw)).status_code == 401


def test_a_held_key_of_a_deactivated_partner_is_refused_on_the_next_request(client):
    EventFactory()
    key, raw = partner_key()
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert held(raw)
    key.partner.is_active = False
    key.partner.save()
    assert client.get(EVENTS, **key_header(raw)).status_code == 401


def test_a_held_key_answers_with_its_scopes_as_they_are_now(client):
    EventFactory()
    key, raw = partner_key(scopes=["read:events"])
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert held(raw)
    # A scope taken away refuses at once...
    key.scopes = ["read:library"]
    key.save()
    assert client.get(EVENTS, **key_header(raw)).status_code == 403
    # ...and one given back lets in at once, though this process held the key without it.
    assert held(raw)
    key.scopes = ["read:events", "read:library"]
    key.save()
    assert client.get(EVENTS, **key_header(raw)).status_code == 200


def test_wrong_keys_from_an_address_block_a_held_right_key_too(client, settings):
    settings.API_KEY_FAILURES = 2
    EventFactory()
    _key, raw = partner_key()
    here, there = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.8"}
    assert client.get(EVENTS, **here, **key_header(raw)).status_code == 200
    assert held(raw)
    for _ in range(2):
        assert client.get(EVENTS, **here, **key_header("mpk_wrong")).status_code == 401
    refused = client.get(EVENTS, **here, **key_header(raw))
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many invalid API keys from this address.")
    assert int(refused["Retry-After"]) >= 1
    assert client.get(EVENTS, **there, **key_header(raw)).status_code == 200


def test_the_throttle_counts_each_held_key_on_its_own(client, settings):
    settings.API_RATE_KEY = 3
    EventFactory()
    key, raw = partner_key()
    _other, other_raw = partner_key()
    for _ in range(3):
        assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert held(raw)
    assert client.get(EVENTS, **key_header(raw)).status_code == 429
    assert client.get(EVENTS, **key_header(other_raw)).status_code == 200
    # Past its limit, a key revoked meanwhile is told it is revoked, not to wait.
    api_key_revoke(key=key)
    assert client.get(EVENTS, **key_header(raw)).status_code == 401


def test_a_held_key_is_confirmed_when_no_throttle_makes_the_round_trip(client, monkeypatch):
    monkeypatch.setattr(EventViewSet, "throttle_classes", [])
    EventFactory()
    key, raw = partner_key()
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert client.get(EVENTS, **key_header(raw)).status_code == 200
    assert held(raw)
    api_key_revoke(key=key)
    assert client.get(EVENTS, **key_header(raw)).status_code == 401
