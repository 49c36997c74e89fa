"""One log-in for everyone, throttled: the admin's log-in is allauth's, failed passwords lock out
per address and per account, the owner of a locked account gets in through the mailed reset
link, and wrong API keys are limited per address.

ACCOUNT_RATE_LIMITS["login_failed"] is "10/m/ip,5/5m/key": ten failures a minute from one
address, five in five minutes on one account.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mirpal.outbox import outbox_send_pending
from tests.factories.api import key_header, partner_key
from tests.factories.members import PASSWORD, STAFF_TOTP_SECRET, ProfileFactory
from tests.members.signing_in import ADMIN, admin_login_page, browser, post_form, totp_code
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. Try again later."
WRONG = "The email address and/or password you specified are not correct."


def sign_in(client, email: str, password: str):
    return post_form(client, reverse("account_login"), {"login": email, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_at_the_admin_then_the_right_one_is_refused(secretariat):
    client = browser()
    for attempt in range(30):
        page = admin_login_page(client)
        answer = post_form(
            client, None, {"login": secretariat.email, "password": f"guess-{attempt}"}, page=page
        )
        assert answer.status_code == 200
        assert (WRONG if attempt < 5 else LOCKED) in answer.content.decode()

    right = post_form(
        client,
        None,
        {"login": secretariat.email, "password": PASSWORD},
        page=admin_login_page(client),
    )
    # The 31st log-in in a minute from one address meets allauth's "login" limit (30/m/ip) too.
    assert right.status_code == 429
    assert not signed_in(client)
    assert client.get(ADMIN)["Location"] == f"{ADMIN}login/?next={ADMIN}"


def test_the_admins_own_form_authenticates_no_one(secretariat):
    """Django admin's form posted its fields to this address; now the address only redirects."""
    client = browser()
    client.get(reverse("account_login"))
    answer = client.post(
        f"{ADMIN}login/?next={ADMIN}",
        {
            "username": secretariat.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert (answer.status_code, answer["Location"]) == (
        302,
        "/accounts/login/?next=%2Fsecretariat%2Fadmin%2F",
    )
    assert not signed_in(client)


def test_staff_signing_in_at_the_admin_give_the_code_then_reach_the_page_asked_for(secretariat):
    client = browser()
    answer = post_form(
        client,
        None,
        {"login": secretariat.email, "password": PASSWORD},
        page=admin_login_page(client),
    )
    assert answer["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    # allauth's second-factor stage, then back to the admin.
    done = post_form(client, reverse("mfa_authenticate"), {"code": totp_code(STAFF_TOTP_SECRET)})
    assert (done.status_code, done["Location"]) == (302, ADMIN)
    assert client.get(ADMIN).status_code == 200


def test_a_signed_in_member_at_the_admin_is_refused_without_a_loop(member):
    client = browser()
    sign_in(client, member.email, PASSWORD)
    assert signed_in(client)
    first = client.get(ADMIN)
    assert first["Location"] == f"{ADMIN}login/?next={ADMIN}"
    refused = client.get(first["Location"])
    assert refused.status_code == 403
    assert "Your account does not give access to this page." in refused.content.decode()
    # allauth's log-in page with the admin as next sends the signed-in on, to that same 403.
    assert client.get(f"/accounts/login/?next={ADMIN}")["Location"] == ADMIN


def test_the_admins_log_out_is_allauths(secretariat):
    client = browser()
    client.force_login(secretariat)
    admin_page = client.get(ADMIN)
    assert admin_page.status_code == 200
    token = admin_page.context["csrf_token"]
    answer = client.post(f"{ADMIN}logout/", {"csrfmiddlewaretoken": str(token)})
    assert (answer.status_code, answer["Location"]) == (302, "/")
    assert not signed_in(client)
    # The admin's own password form is allauth's too (rate-limited, current password asked).
    client.force_login(secretariat)
    assert client.get(f"{ADMIN}password_change/")["Location"] == reverse("account_change_password")


def test_the_lock_out_is_per_address():
    people = [ProfileFactory().user for _ in range(6)]
    attacker = browser("203.0.113.9")
    # Two wrong passwords on each of five accounts: no account reaches five, the address ten.
    for person in people[:5]:
        for _ in range(2):
            assert WRONG in sign_in(attacker, person.email, "wrong").content.decode()
    refused = sign_in(attacker, people[5].email, PASSWORD)
    assert LOCKED in refused.content.decode()
    assert not signed_in(attacker)
    # The same account from another address is not affected.
    elsewhere = browser("198.51.100.20")
    assert sign_in(elsewhere, people[5].email, PASSWORD).status_code == 302
    assert signed_in(elsewhere)


def test_the_lock_out_is_per_account(member):
    attacker = browser("203.0.113.9")
    for _ in range(5):
        assert WRONG in sign_in(attacker, member.email, "wrong").content.decode()
    owner = browser("198.51.100.20")
    refused = sign_in(owner, member.email, PASSWORD)
    assert LOCKED in refused.content.decode()
    assert not signed_in(owner)
    # The attacker's address has used five of its ten: another account still signs in from it.
    other = ProfileFactory().user
    assert sign_in(attacker, other.email, PASSWORD).status_code == 302


def test_the_owner_of_a_locked_account_gets_in_through_the_mailed_reset_link(member, smtp_sink):
    attacker = browser("203.0.113.9")
    for _ in range(5):
        sign_in(attacker, member.email, "wrong")
    owner = browser("198.51.100.20")
    assert LOCKED in sign_in(owner, member.email, PASSWORD).content.decode()

    asked = post_form(owner, reverse("account_reset_password"), {"email": member.email})
    assert asked["Location"] == reverse("account_reset_password_done")
    outbox_send_pending()
    [mail] = smtp_sink.to(member.email)
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", SmtpSink.text(mail)).group(0)
    form_page = owner.get(link, follow=True)
    new_password = "Another-Long-Passphrase-9"
    done = post_form(
        owner, None, {"password1": new_password, "password2": new_password}, page=form_page
    )
    # The reset signs the owner in (ACCOUNT_LOGIN_ON_PASSWORD_RESET) ...
    assert done.status_code == 302
    assert signed_in(owner)
    assert int(owner.session["_auth_user_id"]) == member.pk
    # ... and cleared the account's count: the new password works from any address.
    later = browser("192.0.2.44")
    assert sign_in(later, member.email, new_password).status_code == 302
    assert signed_in(later)


def test_the_reset_keeps_the_second_factor(smtp_sink):
    from tests.factories.members import staff_second_factor

    person = ProfileFactory().user
    staff_second_factor(person)
    owner = browser()
    post_form(owner, reverse("account_reset_password"), {"email": person.email})
    outbox_send_pending()
    [mail] = smtp_sink.to(person.email)
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", SmtpSink.text(mail)).group(0)
    form_page = owner.get(link, follow=True)
    done = post_form(
        owner,
        None,
        {"password1": "Yet-Another-Pass-77", "password2": "Yet-Another-Pass-77"},
        page=form_page,
    )
    assert done["Location"] == reverse("mfa_authenticate")
    assert not signed_in(owner)
    post_form(owner, reverse("mfa_authenticate"), {"code": totp_code(STAFF_TOTP_SECRET)})
    assert signed_in(owner)


def test_wrong_api_keys_are_limited_per_address(client, settings):
    settings.API_KEY_FAILURES = 20
    _key, raw = partner_key()
    for _ in range(20):
        wrong = client.get("/api/v1/events/", REMOTE_ADDR="203.0.113.9", **key_header("mk_wrong"))
        assert wrong.status_code == 401
    limited = client.get("/api/v1/events/", REMOTE_ADDR="203.0.113.9", **key_header("mk_wrong"))
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= settings.API_KEY_FAILURES_WINDOW_SECONDS
    assert limited.json()["detail"].startswith(
        "Too many invalid API keys from this address. Expected available in "
    )
    # From that address even the right key waits; from another it is answered.
    assert (
        client.get("/api/v1/events/", REMOTE_ADDR="203.0.113.9", **key_header(raw)).status_code
        == 429
    )
    assert (
        client.get("/api/v1/events/", REMOTE_ADDR="198.51.100.20", **key_header(raw)).status_code
        == 200
    )
    # Right keys are not counted: a partner's own traffic never trips the limit.
    for _ in range(30):
        assert (
            client.get("/api/v1/events/", REMOTE_ADDR="192.0.2.5", **key_header(raw)).status_code
            == 200
        )
