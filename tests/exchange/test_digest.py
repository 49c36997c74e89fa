"""The discussions in the members' digest: new questions in what a member follows and new answers
in the threads they follow, for those who chose the digest over mail as it happens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.mail import digests
from exchange.models import Thread
from mirpal.models import OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.exchange.conftest import answer, ask, signed_in
from tests.exchange.test_mail import SCRIPT_TITLE, _choosing, _follows, _html, _member
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def _next_week():
    """A digest run next week covers this week, when the test's threads are written."""
    return timezone.now() + datetime.timedelta(days=7)


def test_a_member_who_chose_the_digest_gets_the_discussions_there_and_not_at_once(
    smtp_sink, asker, answerer, topic
):
    weekly = _choosing(_follows(_member("Lena", "Weekly"), topic=topic.pk), "digest")
    at_once = _follows(_member("Ivan", "Atonce"), topic=topic.pk)
    _choosing(_follows(_member("Mark", "Silent"), topic=topic.pk), "none")

    ask(signed_in(asker), topic, title=SCRIPT_TITLE)
    thread = Thread.objects.get()
    ask(signed_in(weekly), topic, title="The digest reader's own question")
    answer(signed_in(answerer), thread, body="We register them online.")
    answer(signed_in(answerer), thread, body="And within three days.")
    answer(signed_in(weekly), thread, body="Thank you, we shall try.")  # follows it now
    outbox_send_pending()
    assert smtp_sink.to(weekly.email) == []
    assert len(smtp_sink.to(at_once.email)) == 2  # the two questions, as they happened
    smtp_sink.clear()

    # Only the digest reader has something: the others chose otherwise, and no event or
    # document is new.
    assert digests.digests_send(frequency="weekly", now=_next_week()) == 1
    assert digests.digests_send(frequency="weekly", now=_next_week()) == 0
    outbox_send_pending()
    [digest] = smtp_sink.to(weekly.email)
    text = SmtpSink.text(digest).replace("\r\n", "\n")
    url = f"http://127.0.0.1:8000{thread.get_absolute_url()}"
    assert f"New questions in the discussions you follow\n\n- {SCRIPT_TITLE}\n  {url}\n" in text
    assert (
        f"New answers in the discussions you follow\n\n"
        f"- {SCRIPT_TITLE} (2 new answers and replies)\n  {url}\n"
    ) in text
    assert "The digest reader's own question" not in text
    html = _html(digest)
    assert "<script" not in html.lower()
    assert (
        f'<a href="{url}">Seasonal workers &lt;script&gt;alert(&#x27;title&#x27;)'
        "&lt;/script&gt;</a> (2 new answers and replies)"
    ) in html
    assert digest["List-Unsubscribe"]
    assert smtp_sink.to(at_once.email) == []
    [row] = OutboxMessage.objects.filter(kind="digest")
    assert row.members_only


def test_the_discussions_in_a_russian_digest(smtp_sink, asker, topic):
    reader = _choosing(
        _follows(_member("Айгуль", "Сатпаева", language="ru"), country="TJ"), "digest"
    )
    ask(signed_in(asker), topic, title="Как вы регистрируете сезонных работников?")
    outbox_send_pending()
    assert digests.digests_send(frequency="monthly", now=_next_week()) == 0  # weekly reader
    assert digests.digests_send(frequency="weekly", now=_next_week()) == 1
    outbox_send_pending()
    [digest] = smtp_sink.to(reader.email)
    text = SmtpSink.text(digest)
    assert "Уважаемый(-ая) Айгуль Сатпаева!" in text
    assert "Как вы регистрируете сезонных работников?" in text
    assert _html(digest).startswith('<!DOCTYPE html><html lang="ru">')


def test_following_nothing_new_means_no_digest(asker, topic):
    _choosing(_follows(_member("Lena", "Weekly"), topic=topic.pk), "digest")
    assert digests.digests_send(frequency="weekly", now=_next_week()) == 0
    assert signed_in(asker).get(reverse("exchange:following")).status_code == 200
