"""A second factor: required of every staff account before any secretariat page opens, optional
for members, asked at every sign-in once set up. The tests drive allauth.mfa's real pages: the
secret is read off the set-up page and the codes computed from it as an authenticator app does.
"""

from __future__ import annotations

import html
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from mirpal.roles import SECRETARIAT_GROUP
from tests.factories.members import (
    PASSWORD,
    ProfileFactory,
    UserFactory,
    staff_second_factor,
)
from tests.members.signing_in import ADMIN, browser, post_form, totp_code

pytestmark = pytest.mark.django_db

WHY = "Staff accounts need a second factor before the secretariat's pages open."


def new_staff(**extra):
    """A secretariat account as a superuser would make it: no second factor yet."""
    user = UserFactory(is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    ProfileFactory(user=user, status="approved")
    return user


def sign_in(client, email: str, *, next_url: str = ""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return post_form(client, url, {"login": email, "password": PASSWORD})


def enter_code(client, code: str):
    return post_form(client, reverse("mfa_authenticate"), {"code": code})


def log_out(client):
    page = client.get(reverse("account_logout"))
    post_form(client, reverse("account_logout"), {}, page=page)
    assert "_auth_user_id" not in client.session


def secret_on_page(page) -> str:
    tag = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', page.content.decode(), re.S)
    return re.search(r'value="([A-Z2-7]+)"', tag.group(0)).group(1)


def recovery_codes_on_page(page) -> list[str]:
    found = re.search(
        r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', page.content.decode(), re.S
    )
    return found.group(1).split()


def give_password_again(client, url: str):
    """allauth asks for the password again before a factor is added or removed (even just after
    signing in): the page it sends to, answered, leads back to `url`."""
    asked = client.get(url)
    if asked.status_code != 302 or not asked["Location"].startswith(
        reverse("account_reauthenticate")
    ):
        return asked
    answered = post_form(client, asked["Location"], {"password": PASSWORD})
    assert answered["Location"] == url
    return client.get(url)


def activate_totp(client) -> tuple[str, list[str]]:
    """Set up an authenticator app on the real page; returns the secret and the recovery codes."""
    page = give_password_again(client, reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = secret_on_page(page)
    assert page.context["form"].secret == secret
    done = post_form(client, None, {"code": totp_code(secret)}, page=page)
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(done["Location"])
    codes = recovery_codes_on_page(codes_page)
    assert len(codes) == 10
    return secret, codes


def test_new_staff_set_up_an_authenticator_before_the_admin_then_give_its_code_each_time():
    staff = new_staff()
    client = browser()
    # Without a factor the password alone signs in, and the admin sends on to the set-up.
    signed = sign_in(client, staff.email, next_url=ADMIN)
    assert signed["Location"] == ADMIN
    sent = client.get(ADMIN, follow=True)
    assert sent.redirect_chain == [(reverse("mfa_index"), 302)]
    assert WHY in html.unescape(sent.content.decode())

    secret, codes = activate_totp(client)
    assert Authenticator.objects.filter(user=staff).count() == 2  # the app and recovery codes
    assert client.get(ADMIN).status_code == 200

    # Next time: password, then the code; a wrong code is refused.
    log_out(client)
    at_password = sign_in(client, staff.email, next_url=ADMIN)
    assert at_password["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN)["Location"].startswith(f"{ADMIN}login/")
    wrong = enter_code(client, totp_code(secret, step=5))
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    # The code used to activate is spent; the next period's is accepted (MFA_TOTP_TOLERANCE).
    right = enter_code(client, totp_code(secret, step=1))
    assert right["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200

    # A recovery code stands in for the app, once.
    log_out(client)
    sign_in(client, staff.email)
    assert enter_code(client, codes[0]).status_code == 302
    assert client.get(ADMIN).status_code == 200
    log_out(client)
    sign_in(client, staff.email)
    again = enter_code(client, codes[0])
    assert "Incorrect code." in again.content.decode()
    assert enter_code(client, codes[1]).status_code == 302


@pytest.mark.parametrize(
    "path", [ADMIN, f"{ADMIN}members/user/", "/secretariat/", "/members/applications/"]
)
def test_every_staff_page_waits_for_the_second_factor(path):
    staff = new_staff()
    client = Client()
    client.force_login(staff)
    answer = client.get(path)
    assert (answer.status_code, answer["Location"]) == (302, reverse("mfa_index"))
    # allauth's own pages stay open: the set-up, the password, log-out.
    for open_page in ("mfa_index", "account_change_password", "account_logout"):
        assert client.get(reverse(open_page)).status_code == 200
    staff_second_factor(staff)
    assert client.get(path).status_code == 200


def test_a_group_without_the_staff_flag_is_staff_too():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    ProfileFactory(user=user)
    client = Client()
    client.force_login(user)
    assert client.get("/secretariat/")["Location"] == reverse("mfa_index")


def test_members_need_no_second_factor(member):
    client = Client()
    client.force_login(member)
    assert client.get(reverse("members:account")).status_code == 200
    assert client.get(reverse("members:directory")).status_code == 200


def test_a_member_can_turn_on_the_authenticator_and_is_then_asked_for_it(member):
    client = browser()
    sign_in(client, member.email)
    account = client.get(reverse("members:account")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in account
    overview = client.get(reverse("mfa_index"))
    assert "An authenticator app is not active." in overview.content.decode()
    secret, _codes = activate_totp(client)
    log_out(client)

    assert sign_in(client, member.email)["Location"] == reverse("mfa_authenticate")
    assert enter_code(client, totp_code(secret, step=1))["Location"] == reverse("members:account")
    # A member may turn it off again (signed in moments ago, so no password is asked again).
    off = post_form(
        client, None, {}, page=give_password_again(client, reverse("mfa_deactivate_totp"))
    )
    assert off["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=member).exists()


def test_staff_cannot_turn_off_their_only_authenticator():
    staff = new_staff()
    client = browser()
    sign_in(client, staff.email)
    activate_totp(client)
    page = give_password_again(client, reverse("mfa_deactivate_totp"))
    assert "A staff account must keep a second factor" in page.content.decode()
    refused = client.post(
        reverse("mfa_deactivate_totp"), {"csrfmiddlewaretoken": page.context["csrf_token"]}
    )
    assert refused.status_code == 200
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def _security_key(user, name="Office key"):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def test_staff_cannot_remove_their_last_security_key_but_can_remove_a_spare():
    staff = new_staff()
    key = _security_key(staff)
    client = browser()
    client.force_login(staff)
    # Removing asks for the password again first; a browser gives it on allauth's page.
    post_form(client, reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})
    token = client.cookies["csrftoken"].value
    refused = client.post(url, {"csrfmiddlewaretoken": token}, follow=False)
    assert refused["Location"] == reverse("mfa_list_webauthn")
    assert Authenticator.objects.filter(pk=key.pk).exists()

    spare = _security_key(staff, name="Spare key")
    removed = client.post(
        reverse("mfa_remove_webauthn", kwargs={"pk": spare.pk}), {"csrfmiddlewaretoken": token}
    )
    assert removed.status_code == 302
    assert not Authenticator.objects.filter(pk=spare.pk).exists()
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_someone_elses_security_key_is_not_found(member):
    other = _security_key(ProfileFactory().user)
    client = browser()
    sign_in(client, member.email)
    post_form(client, reverse("account_reauthenticate"), {"password": PASSWORD})
    token = client.cookies["csrftoken"].value
    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        url = reverse(name, kwargs={"pk": other.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 404
    assert Authenticator.objects.filter(pk=other.pk).exists()


def test_a_removed_authenticator_closes_the_staff_pages_again(secretariat):
    client = Client()
    client.force_login(secretariat)
    assert client.get(ADMIN).status_code == 200  # remembered as having one
    # A superuser removes it in the admin (a lost phone): the next request sends to the set-up.
    Authenticator.objects.filter(user=secretariat).delete()
    assert client.get(ADMIN)["Location"] == reverse("mfa_index")


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["Two-Factor Authentication", "Authenticator App", "Security Keys"]),
        (
            "ru",
            ["Двухфакторная аутентификация", "Приложение-аутентификатор", "Коды восстановления"],
        ),
    ],
)
def test_the_pages_render_in_the_sites_layout_in_both_languages(member, language, texts):
    client = browser(language=language)
    sign_in(client, member.email)
    post_form(client, reverse("account_reauthenticate"), {"password": PASSWORD})
    for name in ("mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "mfa_list_webauthn"):
        page = client.get(reverse(name))
        text = page.content.decode()
        assert page.status_code == 200, name
        assert f'<html lang="{language}">' in text
        assert 'class="site-header"' in text, name
        assert '<main id="main"' in text, name
    overview = client.get(reverse("mfa_index")).content.decode()
    for text in texts:
        assert text in overview


def test_the_security_key_script_is_served_from_the_site(member):
    client = browser()
    sign_in(client, member.email)
    page = give_password_again(client, reverse("mfa_add_webauthn")).content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert "/static/mfa/js/webauthn.js" in scripts
    assert "/static/mfa/js/webauthn-json.js" in scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    for src in scripts:
        served = client.get(src)
        assert served.status_code == 200, src
        assert b"".join(served.streaming_content)
    login_page = Client().get(reverse("account_login")).content.decode()
    assert 'id="passkey_login"' in login_page


def test_the_demo_staff_sign_in_with_the_published_demo_secret():
    from io import StringIO

    from django.core.management import call_command

    from demo import members as members_demo

    members_demo.load(members=3)
    members_demo.load(members=3)
    staff = members_demo.User.objects.get(email="secretariat@mirpal.example")
    assert list(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == ["totp"]
    printed = StringIO()
    call_command("demo_totp", stdout=printed, stderr=StringIO())
    client = browser()
    answer = post_form(
        client,
        f"{reverse('account_login')}?next={ADMIN}",
        {"login": staff.email, "password": members_demo.DEMO_PASSWORD},
    )
    assert answer["Location"] == reverse("mfa_authenticate")
    assert enter_code(client, printed.getvalue().strip())["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
