import datetime

import pytest
from django.test import Client
from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Registration
from mirpal.apikeys import personal_token_rotate
from tests.factories.api import key_header
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def test_member_registers_lists_and_cancels_with_session(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    event = EventFactory(capacity=1)
    refused = client.post("/api/v1/me/registrations/", {"event": event.slug})
    assert refused.status_code == 403  # no CSRF token: a session write needs one
    client.get("/events/")
    token = client.cookies["csrftoken"].value
    created = client.post(
        "/api/v1/me/registrations/", {"event": event.slug}, HTTP_X_CSRFTOKEN=token
    )
    assert created.status_code == 201
    assert (created.json()["status"], created.json()["event"]["slug"]) == ("confirmed", event.slug)
    listed = client.get("/api/v1/me/registrations/").json()
    assert [row["event"]["slug"] for row in listed["results"]] == [event.slug]
    cancelled = client.delete(f"/api/v1/me/registrations/{event.slug}/", HTTP_X_CSRFTOKEN=token)
    assert cancelled.status_code == 204
    assert Registration.objects.get(user=member).status == RegistrationStatus.DECLINED
    assert client.get("/api/v1/me/registrations/").json()["count"] == 0


def test_member_uses_a_personal_token(client, member):
    _key, raw = personal_token_rotate(user=member)
    event = EventFactory()
    created = client.post("/api/v1/me/registrations/", {"event": event.slug}, **key_header(raw))
    assert created.status_code == 201
    assert created.json()["join_url"] is None  # not due yet
    mine = client.get("/api/v1/me/registrations/", **key_header(raw))
    assert mine.json()["count"] == 1
    assert mine["Cache-Control"] == "private, no-cache"
    _new, newer = personal_token_rotate(user=member)
    assert client.get("/api/v1/me/registrations/", **key_header(raw)).status_code == 401
    assert client.get("/api/v1/me/registrations/", **key_header(newer)).status_code == 200


def test_join_link_only_in_own_confirmed_registration_when_due(client, member):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(minutes=10))
    Registration.objects.create(event=event, user=member, status=RegistrationStatus.CONFIRMED)
    client.force_login(member)
    row = client.get("/api/v1/me/registrations/").json()["results"][0]
    assert (row["join_url"], row["passcode"]) == (event.join_url, event.passcode)


def test_registration_errors_are_400_and_404(client, member):
    client.force_login(member)
    started = EventFactory(starts_at=timezone.now() - datetime.timedelta(minutes=10))
    response = client.post("/api/v1/me/registrations/", {"event": started.slug})
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["This event has already started."]},
    )
    assert client.post("/api/v1/me/registrations/", {"event": "nope"}).status_code == 404


def test_personal_token_created_with_session_only(client, member):
    client.force_login(member)
    response = client.post("/api/v1/me/token/")
    assert response.status_code == 201
    raw = response.json()["token"]
    client.logout()
    again = client.post("/api/v1/me/token/", **key_header(raw))
    assert again.status_code == 400
    assert client.post("/api/v1/me/token/revoke/", **key_header(raw)).status_code == 204
    assert client.get("/api/v1/me/registrations/", **key_header(raw)).status_code == 401


@pytest.mark.parametrize("role", ["anonymous", "applicant"])
def test_non_members_cannot_register(client_for, role):
    event = EventFactory()
    response = client_for(role).post("/api/v1/me/registrations/", {"event": event.slug})
    assert response.status_code in (401, 403)
    assert not Registration.objects.exists()


def test_partner_key_never_acts_for_a_member(client, partner_headers):
    event = EventFactory()
    response = client.post("/api/v1/me/registrations/", {"event": event.slug}, **partner_headers)
    assert response.status_code == 403
    assert client.get("/api/v1/me/registrations/", **partner_headers).status_code == 403
