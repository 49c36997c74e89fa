"""The answer page reached from the invitation's link speaks the recipient's mail language,
whatever the browser opening it says, and has no English left on it."""

import re

import pytest
from django.test import Client

from events import services
from events.audiences import Audience, AudienceKind
from events.tasks import invitation_run_write_task
from mirpal.outbox import outbox_send_pending
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory
from tests.mirpal.test_russian_pages import english_words
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def answer_links(message) -> list[str]:
    """The one-click answer addresses in the delivered text, as a mail client shows them."""
    return re.findall(r"https?://\S+?(/events/answer/[^/\s]+/)", SmtpSink.text(message))


def invite_everyone(event) -> None:
    result = services.event_invite(event=event, audience=Audience(kind=AudienceKind.ALL), by=None)
    if result.run is not None:
        invitation_run_write_task(run_id=result.run.pk)
    outbox_send_pending()


def test_the_link_in_a_russian_invitation_opens_a_russian_page_in_an_english_browser(smtp_sink):
    member = ProfileFactory(
        mail_language="ru", user__first_name="Айгуль", user__last_name="Садыкова"
    ).user
    event = EventFactory(title_en="Return migration", title_ru="Возвратная миграция")
    invite_everyone(event)
    [message] = smtp_sink.to(member.email)
    going, not_going = answer_links(message)

    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")  # no session: opened from the mail
    browser.cookies["mirpal_language"] = "en"
    page = browser.get(going)
    html = page.content.decode()
    assert (page.status_code, page["Content-Language"]) == (200, "ru")
    assert '<html lang="ru"' in html
    assert "Айгуль Садыкова, подтвердите, что примете участие в этом мероприятии." in html
    assert english_words(html) == []
    assert english_words(browser.get(not_going).content.decode()) == []

    done = browser.post(going)
    assert done["Content-Language"] == "ru"
    assert english_words(done.content.decode()) == []


def test_the_link_in_an_english_invitation_opens_an_english_page_in_a_russian_browser(smtp_sink):
    member = ProfileFactory(mail_language="en").user
    invite_everyone(EventFactory())
    [message] = smtp_sink.to(member.email)
    going, _ = answer_links(message)
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").get(going)
    assert (page.status_code, page["Content-Language"]) == (200, "en")
    assert "Nothing is recorded until you press the button." in page.content.decode()
