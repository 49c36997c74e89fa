import pytest
from django.urls import reverse

from mirpal import preferences
from mirpal.models import MailPreference
from mirpal.outbox import Mail, outbox_enqueue, outbox_send_batch
from tests.factories.members import ProfileFactory
from tests.smtp import SmtpSink


@pytest.mark.django_db
def test_member_turns_off_invitations_and_picks_a_monthly_digest(client, member):
    client.force_login(member)
    response = client.post(
        reverse("mail_preferences"),
        {"reminders": "on", "news": "on", "digest": "monthly", "followed_countries": ["KG", "TJ"]},
    )
    assert response.status_code == 302
    saved = MailPreference.objects.get(user=member)
    assert (saved.invitations, saved.reminders, saved.news, saved.digest) == (
        False,
        True,
        True,
        "monthly",
    )
    assert saved.followed_countries == ["KG", "TJ"]
    assert preferences.users_wanting(kind="invitations", user_ids=[member.pk]) == set()
    assert preferences.users_wanting(kind="reminders", user_ids=[member.pk]) == {member.pk}


@pytest.mark.django_db
def test_one_click_unsubscribe_needs_a_post_and_a_valid_token(client, member):
    url = preferences.unsubscribe_url(user_id=member.pk, kind="digest")
    path = url.removeprefix("http://127.0.0.1:8000")

    question = client.get(path)
    assert question.status_code == 200
    assert "Digest of new events and publications" in question.content.decode()
    assert MailPreference.objects.filter(user=member).exists() is False

    done = client.post(path)
    assert done.status_code == 200
    assert MailPreference.objects.get(user=member).digest == "never"
    assert client.post(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404


@pytest.mark.django_db
def test_members_only_mail_to_a_suspended_member_is_never_sent(smtp_sink):
    active = ProfileFactory(status="approved").user
    suspended = ProfileFactory(status="suspended").user
    ids = outbox_enqueue(
        [
            Mail(
                key=f"news:{user.pk}",
                kind="news",
                to_email=user.email,
                subject="Новости",
                body_text="…",
                recipient_id=user.pk,
                members_only=True,
                headers=preferences.unsubscribe_headers(user_id=user.pk, kind="news"),
            )
            for user in (active, suspended)
        ]
    )
    assert outbox_send_batch(message_ids=ids) == {"sent": 1, "retry": 0, "failed": 0}
    assert smtp_sink.to(suspended.email) == []
    [received] = smtp_sink.to(active.email)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        str(received["List-Unsubscribe"])
        .strip()
        .startswith("<http://127.0.0.1:8000/mail/unsubscribe/")
    )
    assert SmtpSink.subject(received) == "Новости"
