"""Rotating SECRET_KEY: with the old key in SECRET_KEY_FALLBACKS, sessions and mailed links signed
with it keep working; without it they stop."""

from django.test import Client
from django.urls import reverse

from events.mail.tokens import rsvp_url
from mirpal.enums import MailKind
from mirpal.preferences import unsubscribe_token
from tests.factories.events import EventFactory

OLD_KEY = "old-" + "r8Kq2vLx9TzB4mWc7Hp1" * 3
NEW_KEY = "new-" + "a5Jn3sQe6YuD2kFg8Xo4" * 3


def _rotate(settings, *, keep_old: bool):
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY] if keep_old else []


def test_a_session_signed_with_the_old_key_survives_the_rotation(member, settings):
    settings.SECRET_KEY = OLD_KEY
    kept, dropped = Client(), Client()
    kept.force_login(member)
    dropped.force_login(member)
    _rotate(settings, keep_old=False)
    assert dropped.get(reverse("members:account")).status_code == 302
    _rotate(settings, keep_old=True)
    assert kept.get(reverse("members:account")).status_code == 200
    # The first request re-signed the session with the new key: it outlives the fallback.
    _rotate(settings, keep_old=False)
    assert kept.get(reverse("members:account")).status_code == 200


def test_mailed_links_signed_with_the_old_key_survive_the_rotation(client, member, settings):
    settings.SECRET_KEY = OLD_KEY
    event = EventFactory()
    answer_link = rsvp_url(event=event, user_id=member.pk, answer="going")
    path = answer_link.removeprefix(settings.SITE_URL)
    unsubscribe = reverse(
        "mail_unsubscribe", args=[unsubscribe_token(user_id=member.pk, kind=MailKind.DIGEST)]
    )
    _rotate(settings, keep_old=True)
    assert client.get(path).status_code == 200
    assert client.get(unsubscribe).status_code == 200
    _rotate(settings, keep_old=False)
    assert client.get(path).status_code == 400
    assert client.get(unsubscribe).status_code == 404
