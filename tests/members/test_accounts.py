import pytest
from django.urls import reverse

from members.models import User
from mirpal.outbox import outbox_send_pending
from tests.factories.members import PASSWORD, ProfileFactory
from tests.members.test_application_flow import application
from tests.smtp import SmtpSink


@pytest.mark.django_db
def test_member_logs_in_with_email_and_lands_on_their_account(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:account")


@pytest.mark.django_db
def test_failed_log_ins_trip_the_rate_limit(client, member):
    for _ in range(5):
        wrong = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
        assert wrong.status_code == 200
        assert (
            "The email address and/or password you specified are not correct."
            in wrong.content.decode()
        )

    # The sixth try is refused even with the right password: the key is locked out for a while.
    locked = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert locked.status_code == 200
    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_up_with_a_taken_email_looks_the_same_and_creates_nothing(client, smtp_sink, member):
    fresh = client.post(reverse("account_signup"), application("newcomer@example.org"))
    taken = client.__class__().post(reverse("account_signup"), application(member.email))

    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"])
    assert User.objects.filter(email=member.email).count() == 1
    assert member.profile.__class__.objects.filter(user__email=member.email).count() == 1
    outbox_send_pending()
    # The owner of the address is told someone tried to sign up with it.
    [notice] = smtp_sink.to(member.email)
    assert "already" in SmtpSink.text(notice)


@pytest.mark.django_db
def test_password_reset_answers_alike_for_known_and_unknown_addresses(client, smtp_sink, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("account_reset_password_done")
    outbox_send_pending()
    [reset] = smtp_sink.to(member.email)
    assert "/accounts/password/reset/key/" in SmtpSink.text(reset)
    [no_account] = smtp_sink.to("nobody@example.org")
    assert "/accounts/password/reset/key/" not in SmtpSink.text(no_account)


@pytest.mark.django_db
def test_password_reset_from_the_mail_sets_a_new_password(client, smtp_sink, member):
    import re

    client.post(reverse("account_reset_password"), {"email": member.email})
    outbox_send_pending()
    [reset] = smtp_sink.to(member.email)
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", SmtpSink.text(reset)).group(0)
    form_page = client.get(link, follow=True)
    new_password = "Another-Long-Passphrase-9"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password) is True


@pytest.mark.django_db
def test_unverified_account_cannot_log_in(client):
    profile = ProfileFactory(user__verified_email=False, status="pending")
    response = client.post(
        reverse("account_login"), {"login": profile.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_log_in_page_in_russian(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ru")
    text = page.content.decode()
    assert '<html lang="ru">' in text
    assert "Войти" in text
    assert "Подать заявку" in text
