import pytest
from django.utils import timezone

from mirpal.apikeys import api_key_lookup, api_key_revoke, key_hash
from mirpal.models import ApiKey, Partner
from tests.factories.api import PartnerFactory, key_header, partner_key
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db


def test_scopes_limit_what_a_partner_key_reads(client):
    EventFactory()
    ExpertFactory()
    DocumentFactory()
    _key, raw = partner_key(scopes=["read:events"])
    headers = key_header(raw)
    assert client.get("/api/v1/events/", **headers).status_code == 200
    for url in (
        "/api/v1/experts/",
        "/api/v1/documents/",
        "/api/v1/issues/",
        "/api/v1/search/?q=report",
        "/api/v1/articles/",
        "/api/v1/cases/",
        "/api/v1/collections/",
        "/api/v1/programme/activities/",
    ):
        response = client.get(url, **headers)
        assert (response.status_code, response.json()) == (
            403,
            {"detail": "This API key does not have the scope this endpoint needs."},
        )
    _key, raw = partner_key(scopes=["read:experts", "read:library"])
    assert client.get("/api/v1/experts/", **key_header(raw)).status_code == 200
    assert client.get("/api/v1/documents/", **key_header(raw)).status_code == 200
    assert client.get("/api/v1/events/", **key_header(raw)).status_code == 403
    _key, raw = partner_key(scopes=["read:cases", "read:collections", "read:programme"])
    for url in ("/api/v1/cases/", "/api/v1/collections/", "/api/v1/programme/activities/"):
        assert client.get(url, **key_header(raw)).status_code == 200
    assert client.get("/api/v1/documents/", **key_header(raw)).status_code == 403


def test_key_is_stored_hashed_and_revocable(client):
    key, raw = partner_key()
    assert key.key_hash == key_hash(raw) != raw
    assert not ApiKey.objects.filter(key_hash=raw).exists()
    assert (key.prefix, len(raw)) == (raw[:12], 47)
    assert client.get("/api/v1/events/", **key_header(raw)).status_code == 200
    api_key_revoke(key=key)
    response = client.get("/api/v1/events/", **key_header(raw))
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "This API key is not valid or was revoked.",
    )
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_unknown_key_and_inactive_partner_are_refused(client):
    assert client.get("/api/v1/events/", **key_header("mpk_forged")).status_code == 401
    assert client.get("/api/v1/events/", HTTP_AUTHORIZATION="Api-Key").status_code == 401
    # A header the server cannot read as UTF-8 is refused like any unknown key, not a 500.
    response = client.get("/api/v1/events/", HTTP_AUTHORIZATION="Api-Key abc\x84")
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "This API key is not valid."},
    )
    key, raw = partner_key()
    Partner.objects.filter(pk=key.partner_id).update(is_active=False)
    assert api_key_lookup(raw) is None
    assert client.get("/api/v1/events/", **key_header(raw)).status_code == 401


def test_last_used_is_recorded_once_a_minute(client, django_assert_num_queries):
    key, raw = partner_key()
    assert key.last_used_at is None
    before = timezone.now()
    client.get("/api/v1/countries/", **key_header(raw))
    key.refresh_from_db()
    first = key.last_used_at
    assert first >= before
    # The second use within the minute writes nothing, and the key's lookup comes from the cache.
    with django_assert_num_queries(0):
        client.get("/api/v1/countries/", **key_header(raw))
    key.refresh_from_db()
    assert key.last_used_at == first


def test_secretariat_creates_key_in_admin_and_sees_it_once(client, secretariat):
    partner = PartnerFactory()
    client.force_login(secretariat)
    response = client.post(
        "/secretariat/admin/mirpal/apikey/add/",
        {"partner": partner.pk, "name": "Main site", "scopes": ["read:events", "read:library"]},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 2
    raw = shown[0].rsplit(" ", 1)[-1]
    assert (key.key_hash, key.scopes, key.created_by) == (
        key_hash(raw),
        ["read:events", "read:library"],
        secretariat,
    )
    page = client.get(f"/secretariat/admin/mirpal/apikey/{key.pk}/change/")
    assert raw not in page.content.decode()
    client.post(
        "/secretariat/admin/mirpal/apikey/", {"action": "revoke", "_selected_action": [key.pk]}
    )
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_secretariat_lists_partner_origins_for_cors(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        "/secretariat/admin/mirpal/partner/add/",
        {
            "name": "IOM office",
            "contact_email": "",
            "allowed_origins": "https://iom.example/\n",
            "is_active": "on",
            "webhooks-TOTAL_FORMS": "0",
            "webhooks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Partner.objects.get().allowed_origins == ["https://iom.example"]
    client.logout()
    cors = client.get("/api/v1/countries/", HTTP_ORIGIN="https://iom.example")
    assert cors["Access-Control-Allow-Origin"] == "https://iom.example"
    other = client.get("/api/v1/countries/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    site = client.get("/events/", HTTP_ORIGIN="https://iom.example")
    assert "Access-Control-Allow-Origin" not in site


def test_cors_origins_from_environment(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://ministry.example"]
    response = client.options(
        "/api/v1/events/",
        HTTP_ORIGIN="https://ministry.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response["Access-Control-Allow-Origin"] == "https://ministry.example"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
