"""Security events through the doors people use: allauth's log-in, password, email and
two-factor pages, the API with a key, the member's security page, the staff mail, the admin."""

import datetime
import re
import zoneinfo

import pytest
from allauth.mfa.models import Authenticator
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from mirpal.apikeys import personal_token_rotate
from mirpal.models import OutboxMessage, SecurityEvent
from mirpal.outbox import outbox_send_pending
from mirpal.security_events import (
    DEVICE_COOKIE_NAME,
    DEVICE_COOKIE_SALT,
    device_hash,
    login_hash,
)
from mirpal.tasks import security_events_prune_task
from tests.factories.members import (
    PASSWORD,
    STAFF_TOTP_SECRET,
    ProfileFactory,
    SecretariatFactory,
    UserFactory,
    staff_second_factor,
)
from tests.members.signing_in import totp_code
from tests.smtp import SmtpSink

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def log_in(client, email, password=PASSWORD, *, totp_secret=None, steps_ahead=0, **meta):
    """Log in through allauth's form and, for an account with an authenticator app, its second
    step; returns the last response."""
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **meta)
    if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
        code = totp_code(totp_secret, step=steps_ahead)
        response = client.post(reverse("mfa_authenticate"), {"code": code}, **meta)
    return response


def events(**filters):
    return list(
        SecurityEvent.objects.filter(**filters)
        .order_by("pk")
        .values_list("kind", "user__email", "ip", "new_device")
    )


@pytest.mark.django_db
def test_a_sign_in_is_recorded_and_its_browser_gets_a_device_cookie(client, member):
    response = log_in(
        client, member.email, HTTP_USER_AGENT=FIREFOX_WINDOWS, REMOTE_ADDR="203.0.113.7"
    )
    assert (response.status_code, response["Location"]) == (302, reverse("members:account"))

    cookie = response.cookies[DEVICE_COOKIE_NAME]
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (True, "Lax", 34560000)
    device_id = signing.get_cookie_signer(
        salt=signing._cookie_signer_salt(DEVICE_COOKIE_NAME, DEVICE_COOKIE_SALT)
    ).unsign(cookie.value)
    [event] = SecurityEvent.objects.all()
    assert (event.kind, event.user, event.ip, event.user_agent) == (
        "sign_in",
        member,
        "203.0.113.7",
        FIREFOX_WINDOWS,
    )
    assert (event.device, event.new_device, event.detail) == (
        device_hash(device_id),
        True,
        {"methods": ["password"]},
    )

    # The same browser again: a known device. Another browser: a new one.
    client.post(reverse("account_logout"))
    log_in(client, member.email, REMOTE_ADDR="203.0.113.7")
    log_in(Client(), member.email, REMOTE_ADDR="198.51.100.20")
    assert events(kind="sign_in") == [
        ("sign_in", member.email, "203.0.113.7", True),
        ("sign_in", member.email, "203.0.113.7", False),
        ("sign_in", member.email, "198.51.100.20", True),
    ]


@pytest.mark.django_db
def test_the_device_cookie_is_secure_where_the_session_cookie_is(client, member, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = log_in(client, member.email)
    assert response.cookies[DEVICE_COOKIE_NAME]["secure"] is True


@pytest.mark.django_db
def test_a_device_cookie_that_was_tampered_with_counts_as_no_cookie(client, member):
    client.cookies[DEVICE_COOKIE_NAME] = "forged-device:not-signed"
    response = log_in(client, member.email)
    assert response.cookies[DEVICE_COOKIE_NAME].value != "forged-device:not-signed"
    assert events() == [("sign_in", member.email, "127.0.0.1", True)]


@pytest.mark.django_db
def test_wrong_passwords_are_recorded_and_unknown_addresses_are_kept_only_hashed(client, member):
    client.post(reverse("account_login"), {"login": member.email.upper(), "password": "nope"})
    client.post(reverse("account_login"), {"login": "Nobody@Example.org", "password": "guess"})
    assert events() == [
        ("sign_in_failed", member.email, "127.0.0.1", False),
        ("sign_in_failed", None, "127.0.0.1", False),
    ]
    unknown = SecurityEvent.objects.get(user=None)
    assert unknown.detail == {"login_hash": login_hash("nobody@example.org")}
    assert "nobody" not in str(unknown.detail)


@pytest.mark.django_db
def test_the_lock_out_is_recorded_once_however_often_the_attacker_knocks(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    for _ in range(3):
        locked = client.post(
            reverse("account_login"), {"login": member.email, "password": PASSWORD}
        )
        assert "Too many failed login attempts" in locked.content.decode()
    assert events() == [("sign_in_failed", member.email, "127.0.0.1", False)] * 5 + [
        ("locked_out", member.email, "127.0.0.1", False)
    ]


@pytest.mark.django_db
def test_password_change_and_a_new_email_address_are_recorded(client, member):
    log_in(client, member.email)
    changed = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "new-horse-battery-9",
            "password2": "new-horse-battery-9",
        },
    )
    assert changed.status_code == 302
    added = client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    assert added.status_code == 302
    assert events() == [
        ("sign_in", member.email, "127.0.0.1", True),
        ("password_changed", member.email, "127.0.0.1", False),
        ("email_added", member.email, "127.0.0.1", False),
    ]
    assert SecurityEvent.objects.get(kind="email_added").detail == {"email": "second@example.org"}


@pytest.mark.django_db
def test_turning_on_an_authenticator_app_and_a_wrong_code_are_recorded(
    client, member, django_capture_on_commit_callbacks
):
    log_in(client, member.email)
    # Turning on a second factor asks for the password again (allauth's re-authentication).
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    # allauth sends its signal once the activation has committed.
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=member, type="totp").count() == 1
    assert [(e.kind, e.user, e.detail) for e in SecurityEvent.objects.order_by("pk")] == [
        ("sign_in", member, {"methods": ["password"]}),
        ("mfa_added", member, {"type": "totp"}),
        ("mfa_added", member, {"type": "recovery_codes"}),  # made with the app, by allauth
    ]

    # Signing in again now asks for the code; a wrong one is recorded.
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert events(kind="mfa_failed") == [("mfa_failed", member.email, "127.0.0.1", False)]


@pytest.mark.django_db
def test_an_api_key_is_recorded_once_per_new_address(client, member):
    key, raw = personal_token_rotate(user=member)
    header = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    for address in ["198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.1"]:
        assert client.get("/api/v1/countries/", REMOTE_ADDR=address, **header).status_code == 200
    assert events() == [
        ("api_key_new_address", member.email, "198.51.100.1", False),
        ("api_key_new_address", member.email, "198.51.100.2", False),
    ]
    assert SecurityEvent.objects.first().api_key == key


@pytest.mark.django_db
def test_a_known_address_costs_no_query_and_survives_a_cleared_cache(
    client, member, django_assert_num_queries
):
    _key, raw = personal_token_rotate(user=member)
    header = {"HTTP_AUTHORIZATION": f"Api-Key {raw}", "REMOTE_ADDR": "198.51.100.1"}
    client.get("/api/v1/countries/", **header)
    # the key's lookup only: the address is known to the cache, last use was a moment ago
    with django_assert_num_queries(1):
        client.get("/api/v1/countries/", **header)
    cache.clear()
    client.get("/api/v1/countries/", **header)
    assert SecurityEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_record_does_not_break_the_log_in(client, member):
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE mirpal_securityevent RENAME TO securityevent_away")
    response = log_in(client, member.email)
    assert (response.status_code, response["Location"]) == (302, reverse("members:account"))
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_members_see_their_own_sign_ins_and_no_one_elses(client, member):
    other = ProfileFactory(status="approved").user
    log_in(Client(), other.email, HTTP_USER_AGENT=SAFARI_IPHONE, REMOTE_ADDR="192.0.2.99")
    client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    log_in(client, member.email, HTTP_USER_AGENT=FIREFOX_WINDOWS, REMOTE_ADDR="203.0.113.7")

    account = client.get(reverse("members:account"))
    assert reverse("members:security") in account.content.decode()
    page = client.get(reverse("members:security"))
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", page.content.decode(), re.S)[1:]
    ]
    when = timezone.localtime(
        SecurityEvent.objects.get(kind="sign_in", user=member).created_at,
        zoneinfo.ZoneInfo("Asia/Almaty"),  # the member's zone
    )
    stamp = formats.date_format(when, "SHORT_DATETIME_FORMAT")
    assert rows == [
        f"{stamp} Signed in new device this device Firefox on Windows 203.0.113.•",
        f"{stamp} Wrong password Not given 127.0.0.•",
    ]
    assert "192.0.2" not in page.content.decode()
    assert "iOS" not in page.content.decode()


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.django_db
def test_the_security_page_query_count_is_constant(
    client, member, count, django_assert_num_queries
):
    SecurityEvent.objects.bulk_create(
        SecurityEvent(user=member, kind="sign_in_failed", ip="203.0.113.1") for _ in range(count)
    )
    client.force_login(member)
    # The user with their profile (the session is in the cache, a member holds no permission),
    # then the events
    with django_assert_num_queries(2):
        assert client.get(reverse("members:security")).status_code == 200


@pytest.mark.django_db
def test_staff_get_one_mail_for_a_sign_in_from_a_new_device(client, smtp_sink, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # the second log-in uses the next period's code
    staff = SecretariatFactory()
    staff.profile.mail_language = "ru"
    staff.profile.save(update_fields=["mail_language"])

    response = log_in(
        client,
        staff.email,
        totp_secret=STAFF_TOTP_SECRET,
        HTTP_USER_AGENT=FIREFOX_WINDOWS,
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind="sign_in")
    assert (event.new_device, event.detail) == (True, {"methods": ["password", "mfa:totp"]})
    outbox_send_pending()
    [mail] = smtp_sink.to(staff.email)
    text = SmtpSink.text(mail).replace("\r\n", "\n")
    assert SmtpSink.subject(mail) == "[MIRPAL] Новый вход в вашу учётную запись"
    with translation.override("ru"):  # in the staff member's language and zone
        when = formats.date_format(
            timezone.localtime(event.created_at, zoneinfo.ZoneInfo("Europe/Moscow")),
            "DATETIME_FORMAT",
        )
    assert text.split("\n\n")[1:5] == [
        "Только что в вашу служебную учётную запись MIRPAL выполнен вход с устройства или из "
        "браузера, которые раньше для неё не использовались.",
        f"Время: {when} (время Москвы, UTC+3)\n"
        "IP-адрес: 203.0.113.7\nБраузер и система: Firefox, Windows",
        "Если это были вы, ничего делать не нужно.",
        "Если это были не вы, немедленно смените пароль, проверьте двухфакторную аутентификацию "
        "и сообщите администратору платформы:\n"
        f"Сменить пароль: {settings.SITE_URL}/accounts/password/change/\n"
        f"Ваши входы: {settings.SITE_URL}/members/me/security/",
    ]

    # The same browser signs in again: a known device, no mail.
    client.post(reverse("account_logout"))
    again = log_in(client, staff.email, totp_secret=STAFF_TOTP_SECRET, steps_ahead=1)
    assert again.status_code == 302
    outbox_send_pending()
    assert len(smtp_sink.to(staff.email)) == 1
    assert OutboxMessage.objects.filter(kind="security").count() == 1
    assert events(kind="sign_in") == [
        ("sign_in", staff.email, "203.0.113.7", True),
        ("sign_in", staff.email, "127.0.0.1", False),
    ]


@pytest.mark.django_db
def test_members_are_not_mailed_about_new_devices(client, member):
    log_in(client, member.email)
    assert OutboxMessage.objects.filter(kind="security").count() == 0


@pytest.mark.django_db
def test_the_log_is_for_managers_not_editors_and_staff_rows_for_superusers_only(
    client, member, manager, editor
):
    colleague = SecretariatFactory(email="colleague@example.org")
    client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    client.post(reverse("account_login"), {"login": colleague.email, "password": "nope"})
    url = reverse("admin:mirpal_securityevent_changelist")

    as_manager = Client()
    as_manager.force_login(manager)
    page = as_manager.get(url, {"q": member.email})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == list(SecurityEvent.objects.filter(user=member))
    everything = as_manager.get(url, {"kind__exact": "sign_in_failed"})
    assert [event.user for event in everything.context["cl"].result_list] == [member]
    event = SecurityEvent.objects.get(user=colleague)
    hidden = as_manager.get(reverse("admin:mirpal_securityevent_change", args=[event.pk]))
    assert hidden.status_code == 302  # the admin's answer for an object it cannot find

    as_editor = Client()
    as_editor.force_login(editor)
    assert as_editor.get(url).status_code == 403

    superuser = UserFactory(is_staff=True, is_superuser=True)
    staff_second_factor(superuser)
    as_superuser = Client()
    as_superuser.force_login(superuser)
    users = {e.user for e in as_superuser.get(url).context["cl"].result_list}
    assert users == {member, colleague}


@pytest.mark.django_db
def test_old_events_are_pruned(member, settings):
    settings.SECURITY_EVENTS_RETENTION_DAYS = 365
    old, recent = SecurityEvent.objects.bulk_create(
        [
            SecurityEvent(user=member, kind="sign_in"),
            SecurityEvent(user=member, kind="sign_in"),
        ]
    )
    SecurityEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=366)
    )
    assert security_events_prune_task() == 1
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert security_events_prune_task() == 0
