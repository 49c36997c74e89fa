"""A person's own data: the download from their account page, closing the account, and the
unsubscribe page that does not print the address."""

import json
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.enums import RegistrationStatus
from events.models import Attendance, EventFeedToken, Registration
from events.services import feed_token_get_or_create
from members.models import MembershipDecision, Profile, User
from members.roster.models import ExpertRequest
from members.services import membership_approve
from mirpal.apikeys import personal_token_rotate
from mirpal.audit import audit_record, audit_snapshot
from mirpal.enums import MailKind, OutboxStatus
from mirpal.models import ApiKey, AuditAction, AuditEntry, MailPreference, OutboxMessage, Topic
from mirpal.preferences import mail_preference_update, unsubscribe_url
from tests.factories.events import EventFactory, RegistrationFactory, in_days
from tests.factories.members import PASSWORD, ProfileFactory
from tests.factories.roster import ExpertRequestFactory

EMAIL = "zinaida.q@example.kz"
OTHER_EMAIL = "zq.work@example.org"
FIRST, LAST = "Zinaida", "Quartermaine"
# Everything that names the person; none of it may remain anywhere once the account is closed.
IDENTIFYING = (EMAIL, OTHER_EMAIL, FIRST, LAST, "+7 700 111 22 33")
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.fixture
def person(db, secretariat):
    """A member with a bit of everything the platform holds about people."""
    profile = ProfileFactory(
        status="pending",
        user__email=EMAIL,
        user__first_name=FIRST,
        user__last_name=LAST,
        organisation=f"{LAST} Institute of Migration",
        position="Head of unit",
        phone="+7 700 111 22 33",
        motivation=f"I am {FIRST} and I want to learn from colleagues.",
        interests=[Topic.objects.get(slug="remittances")],
    )
    user = profile.user
    EmailAddress.objects.create(user=user, email=OTHER_EMAIL, verified=True, primary=False)
    # The secretariat approves through the service: a decision, a mail and an audit entry.
    membership_approve(profile=profile, by=secretariat, note=f"Welcome, {FIRST}!")
    audit_record(
        actor=secretariat,
        action=AuditAction.CHANGE,
        obj=user,
        before=audit_snapshot(user),
        after={**audit_snapshot(user), "first_name": FIRST.upper()},
    )
    ExpertRequestFactory(requester=user, purpose=f"{FIRST} {LAST} needs a speaker on remittances.")
    personal_token_rotate(user=user)
    TOTP.activate(user, TOTP_SECRET)
    mail_preference_update(user=user, news=False)
    feed_token_get_or_create(user=user)
    return user


@pytest.fixture
def past_event(person):
    event = EventFactory(starts_at=in_days(-10), title_en="Remittance corridors")
    RegistrationFactory(event=event, user=person)
    Attendance.objects.create(event=event, user=person, minutes=95)
    for other in ProfileFactory.create_batch(2, status="approved"):
        RegistrationFactory(event=event, user=other.user)
        Attendance.objects.create(event=event, user=other.user, minutes=60)
    return event


@pytest.fixture
def full_event(person):
    """An event still to come with one place, held by the person; a colleague waits."""
    event = EventFactory(starts_at=in_days(20), capacity=1, title_en="Labour mobility")
    RegistrationFactory(event=event, user=person)
    RegistrationFactory(
        event=event,
        user=ProfileFactory(status="approved").user,
        status=RegistrationStatus.WAITING,
    )
    return event


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client) -> dict:
    response = client.get(reverse("members:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mirpal-my-data-')
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


# --- The download.


def test_the_account_page_links_to_the_download_and_to_closing(person):
    page = signed_in(person).get(reverse("members:account")).content.decode()
    assert reverse("members:data_export") in page
    assert reverse("members:account_close") in page


def test_a_member_downloads_everything_held_about_them(person, past_event, full_event, secretariat):
    data = download(signed_in(person))

    assert data["format"] == "mirpal-personal-data/1"
    account = data["account"]
    assert (account["email"], account["first_name"], account["last_name"]) == (EMAIL, FIRST, LAST)
    assert account["email_addresses"] == [
        {"email": EMAIL, "verified": True, "primary": True},
        {"email": OTHER_EMAIL, "verified": True, "primary": False},
    ]
    profile = data["profile"]
    assert profile["country"] == {"value": "KZ", "label": "Kazakhstan"}
    assert profile["organisation"] == f"{LAST} Institute of Migration"
    assert profile["phone"] == "+7 700 111 22 33"
    assert profile["interests"] == [Topic.objects.get(slug="remittances").name_en]
    membership = profile["membership"]
    assert membership["status"] == {"value": "approved", "label": "approved"}
    [decision] = membership["decisions"]
    assert (decision["from"], decision["to"], decision["by"], decision["note"]) == (
        "pending",
        "approved",
        "the secretariat",
        f"Welcome, {FIRST}!",
    )

    registrations = data["events"]["registrations"]
    assert [(r["event"]["title"], r["answer"]["value"]) for r in registrations] == [
        ("Remittance corridors", "confirmed"),
        ("Labour mobility", "confirmed"),
    ]
    assert [(a["event"]["title"], a["minutes"]) for a in data["events"]["attendance"]] == [
        ("Remittance corridors", 95)
    ]
    assert data["events"]["calendar_feed"] is not None
    [expert_request] = data["expert_requests"]
    assert expert_request["purpose"] == f"{FIRST} {LAST} needs a speaker on remittances."
    assert expert_request["status"]["value"] == "new"

    [mail] = data["mail_received"]
    decision_mail = OutboxMessage.objects.get(recipient=person)
    assert (mail["to"], mail["subject"], mail["status"]["value"]) == (
        EMAIL,
        decision_mail.subject,
        "pending",
    )
    assert FIRST in mail["body"]
    assert data["mail_preferences"]["news"] is False
    [token] = data["api_keys"]
    key = ApiKey.objects.get(user=person)
    assert (token["prefix"], token["revoked_at"]) == (key.prefix, None)
    assert [factor["type"]["value"] for factor in data["second_factors"]] == ["totp"]

    # Never a secret, never the hash of one, never who on the staff decided.
    raw = json.dumps(data)
    for secret in (key.key_hash, TOTP_SECRET, EventFeedToken.objects.get(user=person).token):
        assert secret not in raw
    assert secretariat.email not in raw
    assert secretariat.last_name not in raw


def test_an_applicant_and_staff_download_theirs_too(applicant, secretariat):
    assert download(signed_in(applicant))["account"]["email"] == applicant.email
    assert download(signed_in(secretariat))["account"]["staff"] is True


def test_the_download_takes_the_same_queries_however_many_rows(person):
    client = signed_in(person)
    client.get(reverse("members:data_export"))  # sessions, caches and content types warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("members:data_export")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(4):
        RegistrationFactory(user=person)
        Attendance.objects.create(event=EventFactory(starts_at=in_days(-3)), user=person)
        ExpertRequestFactory(requester=person)
    assert queries() == few
    assert few <= 30


# --- Closing the account.


def close(client, password=PASSWORD, **extra):
    return client.post(
        reverse("members:account_close"), {"password": password, "confirm": "on", **extra}
    )


def text_columns_mentioning(needle: str) -> list[str]:
    """Every text and JSON column of every table that still holds `needle` (case ignored)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        condition = Q(pk__in=[])
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                condition |= Q(**{f"{field.attname}__icontains": needle})
            elif isinstance(field, models.JSONField):
                condition |= Q(**{f"_text_{field.attname}__icontains": needle})
        annotations = {
            f"_text_{field.attname}": Cast(field.attname, TextField())
            for field in model._meta.concrete_fields
            if isinstance(field, models.JSONField)
        }
        if model.objects.annotate(**annotations).filter(condition).exists():
            found.append(model._meta.label)
    return found


def test_the_close_page_warns_in_russian_what_happens(person):
    client = signed_in(person)
    page = client.get(reverse("members:account_close"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Закрыть учётную запись" in page
    assert "Это действие нельзя отменить" in page


def test_a_wrong_password_closes_nothing(person, past_event):
    client = signed_in(person)
    response = close(client, password="not-my-password")

    assert response.status_code == 200
    assert "This is not your current password." in response.content.decode()
    person.refresh_from_db()
    assert (person.email, person.first_name, person.is_active) == (EMAIL, FIRST, True)
    assert person.check_password(PASSWORD)
    assert person.profile.status == "approved"
    assert EmailAddress.objects.filter(user=person).count() == 2
    assert client.get(reverse("members:account")).status_code == 200


def test_closing_without_ticking_the_box_closes_nothing(person):
    response = close(signed_in(person), confirm="")
    assert response.status_code == 200
    assert "Tick the box to confirm." in response.content.decode()
    person.refresh_from_db()
    assert person.is_active is True


def test_closing_erases_the_person_and_keeps_the_counts(person, past_event, full_event):
    waiting = Registration.objects.get(event=full_event, status=RegistrationStatus.WAITING)
    other_device = signed_in(person)
    attendance_before = Attendance.objects.filter(event=past_event).count()
    registrations_before = Registration.objects.filter(event=past_event).count()
    mail_before = OutboxMessage.objects.count()
    client = signed_in(person)
    # The search below does find the person before they leave.
    assert {"members.User", "mirpal.AuditEntry", "mirpal.OutboxMessage"} <= set(
        text_columns_mentioning(EMAIL)
    )
    assert "members.ExpertRequest" in text_columns_mentioning(LAST)

    response = close(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("members:account_closed")
    assert "account is closed" in client.get(response["Location"]).content.decode()
    # Signed out here and on every other device.
    assert client.get(reverse("members:account")).status_code == 302
    assert other_device.get(reverse("members:account")).status_code == 302
    assert not any(
        str(session.get_decoded().get("_auth_user_id")) == str(person.pk)
        for session in Session.objects.all()
    )

    # Nothing that names the person is left in any table.
    for needle in IDENTIFYING:
        assert text_columns_mentioning(needle) == [], needle

    shell = User.objects.get(pk=person.pk)
    assert (shell.email, shell.first_name, shell.last_name, shell.is_active) == (
        f"closed-{person.pk}@closed.invalid",
        "",
        "",
        False,
    )
    assert shell.has_usable_password() is False
    profile = Profile.objects.get(user=shell)
    assert (profile.status, profile.country, profile.organisation_type) == (
        "closed",
        "KZ",
        "government",
    )
    assert (profile.city, profile.position, profile.languages, profile.listed_in_directory) == (
        "",
        "",
        [],
        False,
    )
    assert list(profile.interests.all()) == []
    assert EmailAddress.objects.filter(user=shell).count() == 0
    assert Authenticator.objects.filter(user=shell).count() == 0
    assert ApiKey.objects.filter(user=shell).count() == 0
    assert EventFeedToken.objects.filter(user=shell).count() == 0
    assert MailPreference.objects.filter(user=shell).count() == 0

    # What the network keeps: attendance and registrations of past events, the decision, the
    # mail sent (as a count, with no address and no body), the request as a count.
    assert Attendance.objects.filter(event=past_event).count() == attendance_before
    assert Registration.objects.filter(event=past_event).count() == registrations_before
    decisions = MembershipDecision.objects.filter(profile=profile)
    assert list(decisions.values_list("to_status", "note")) == [("approved", "")]
    request = ExpertRequest.objects.get(requester=shell)
    assert (request.purpose, request.status) == ("", "declined")
    decision_mail = OutboxMessage.objects.get(kind="membership_decision")
    assert (decision_mail.recipient, decision_mail.body_text, decision_mail.status) == (
        None,
        "",
        OutboxStatus.SKIPPED,
    )
    # The place the person held goes to the colleague waiting for it, who is told by mail.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert OutboxMessage.objects.count() == mail_before + 1
    assert Registration.objects.get(event=full_event, user=shell).status == "declined"

    # The audit log says an account was closed, and still says what the secretariat did, but
    # no longer about whom.
    closed = AuditEntry.objects.get(action=AuditAction.CLOSE_ACCOUNT)
    assert (closed.object_type, closed.object_id, closed.actor, closed.actor_email) == (
        "members.User",
        str(person.pk),
        None,
        "",
    )
    assert AuditEntry.objects.filter(action=AuditAction.APPROVE).count() == 1


def test_closing_twice_or_signing_in_again_is_impossible(person):
    client = signed_in(person)
    close(client)
    assert close(client).status_code == 302  # signed out: sent to log in
    signed = Client().post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert signed.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in Client().session


def test_the_same_address_signs_up_again_as_a_new_account(person):
    close(signed_in(person))
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {
            "email": EMAIL,
            "password1": "Sunflower-Valley-2026",
            "password2": "Sunflower-Valley-2026",
            "first_name": FIRST,
            "last_name": LAST,
            "country": "KZ",
            "organisation": "Ministry of Labour",
            "organisation_type": "government",
            "position": "Adviser",
            "languages": ["ru"],
            "mail_language": "ru",
            "time_zone": "",
        },
    )

    assert response.status_code == 302
    fresh = User.objects.get(email=EMAIL)
    assert fresh.pk != person.pk
    assert (fresh.profile.status, fresh.is_active) == ("pending", True)
    assert EmailAddress.objects.get(user=fresh).email == EMAIL


def test_staff_cannot_close_their_own_account(secretariat):
    client = signed_in(secretariat)
    page = client.get(reverse("members:account_close")).content.decode()
    assert "Staff accounts cannot be closed here" in page
    assert 'name="password"' not in page

    assert close(client).status_code == 403
    secretariat.refresh_from_db()
    assert secretariat.is_active is True
    assert not AuditEntry.objects.filter(action=AuditAction.CLOSE_ACCOUNT).exists()


def test_password_attempts_are_limited(person):
    client = signed_in(person)
    for _ in range(10):
        close(client, password="guess")
    response = close(client)  # the right one, too late
    assert "Too many attempts" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active is True


# --- The unsubscribe page.


def test_the_unsubscribe_page_masks_the_address(person):
    url = unsubscribe_url(user_id=person.pk, kind=MailKind.NEWS)
    page = Client().get(urlsplit(url).path).content.decode()
    assert "z•••@example.kz" in page
    assert EMAIL not in page
    assert "zinaida" not in page.lower()
