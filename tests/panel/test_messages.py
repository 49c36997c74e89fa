"""Messages from the secretariat to members: audience, languages, preferences, sent once."""

import uuid

import pytest
from django.urls import reverse

from events.audiences import Audience, AudienceKind
from mirpal.models import AuditEntry, MailPreference, Message, OutboxMessage
from mirpal.outbox import outbox_send_pending
from panel.services import message_send
from panel.tasks import message_write_task
from tests.factories.members import ProfileFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db
KAZAKHSTAN = Audience(kind=AudienceKind.COUNTRY, country="KZ")
TEXT = {
    "subject_en": "Call for papers & posters",
    "subject_ru": "Приглашение к публикации",
    "body_en": "Send us your papers on circular migration.\nDeadline: 1 March.",
    "body_ru": "Присылайте статьи о циркулярной миграции.\nСрок: 1 марта.",
}


def send(by, token=None, audience=KAZAKHSTAN) -> Message:
    """The secretariat's sending, then the task that writes the mails, as the worker runs it."""
    message = message_send(token=token or uuid.uuid4(), audience=audience, by=by, **TEXT)
    message_write_task(run_id=message.pk)
    return message


@pytest.fixture
def audience_kz():
    english = ProfileFactory(country="KZ", mail_language="en").user
    russian = ProfileFactory(country="KZ", mail_language="ru").user
    no_news = ProfileFactory(country="KZ").user
    MailPreference.objects.create(user=no_news, news=False)
    elsewhere = ProfileFactory(country="UZ").user
    pending = ProfileFactory(country="KZ", status="pending").user
    suspended = ProfileFactory(country="KZ", status="suspended").user
    return english, russian, [no_news, elsewhere, pending, suspended]


def test_a_message_reaches_each_member_of_the_audience_once_in_their_language(
    smtp_sink, secretariat, audience_kz
):
    english, russian, left_out = audience_kz
    token = uuid.uuid4()
    message = send(secretariat, token)
    assert message.recipients_count == 2
    assert outbox_send_pending()["sent"] == 2

    [mail_en] = smtp_sink.to(english.email)
    assert SmtpSink.subject(mail_en) == "[MIRPAL] Call for papers & posters"
    assert "Send us your papers on circular migration." in SmtpSink.text(mail_en)
    assert mail_en["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(mail_en["List-Unsubscribe"]).strip().startswith("<http")
    [mail_ru] = smtp_sink.to(russian.email)
    assert SmtpSink.subject(mail_ru) == "[MIRPAL] Приглашение к публикации"
    assert "Присылайте статьи о циркулярной миграции." in SmtpSink.text(mail_ru)
    for user in left_out:
        assert smtp_sink.to(user.email) == []

    # Sending the same message again records nothing and mails no one twice.
    assert send(secretariat, token) == message
    assert outbox_send_pending()["sent"] == 0
    assert Message.objects.count() == 1
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted(
        [f"news:{message.pk}:{english.pk}", f"news:{message.pk}:{russian.pk}"]
    )
    assert len(smtp_sink.messages) == 2
    entry = AuditEntry.objects.get(object_type="mirpal.Message")
    assert (entry.action, entry.actor, entry.after["recipients_count"]) == (
        "send",
        secretariat,
        2,
    )


def test_a_member_suspended_before_sending_gets_nothing(smtp_sink, secretariat, audience_kz):
    english, russian, _left_out = audience_kz
    send(secretariat)
    english.profile.status = "suspended"
    english.profile.save()
    assert outbox_send_pending()["sent"] == 1
    assert [message["To"] for message in smtp_sink.messages] == [russian.email]


def _form(token, **extra):
    return {"token": str(token), "audience": "country", "country": "KZ", **TEXT, **extra}


@pytest.mark.usefixtures("audience_kz")
def test_the_page_previews_both_languages_then_sends_once(client_for, manager):
    client = client_for("manager")
    url = reverse("panel:message_new")
    assert client.get(url).status_code == 200
    token = uuid.uuid4()

    preview = client.post(url, _form(token, preview=""))
    assert preview.status_code == 200
    assert [code for code, _label, _mail in preview.context["previews"]] == ["en", "ru"]
    subjects = [mail.subject for _code, _label, mail in preview.context["previews"]]
    assert subjects == ["[MIRPAL] Call for papers & posters", "[MIRPAL] Приглашение к публикации"]
    assert preview.context["recipients"] == 2
    assert (Message.objects.count(), OutboxMessage.objects.count()) == (0, 0)

    sent = client.post(url, _form(token, send=""))
    message = Message.objects.get()
    message_write_task(run_id=message.pk)
    assert sent.status_code == 302
    assert sent["Location"] == reverse("panel:message", args=[message.pk])
    assert (message.sent_by, message.recipients_count) == (manager, 2)
    assert message.audience == {
        "kind": "country",
        "country": "KZ",
        "organisation_type": "",
        "topic_id": None,
        "user_ids": [],
    }
    again = client.post(url, _form(token, send=""))
    assert again["Location"] == sent["Location"]
    assert (Message.objects.count(), OutboxMessage.objects.count()) == (1, 2)
    detail = client.get(sent["Location"])
    assert detail.context["audience"] == "Members from one country: Kazakhstan"


def test_bad_input_saves_nothing(client_for):
    client = client_for("manager")
    response = client.post(
        reverse("panel:message_new"),
        _form(uuid.uuid4(), send="", country="", subject_ru=""),
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"country", "subject_ru"}
    assert (Message.objects.count(), OutboxMessage.objects.count()) == (0, 0)


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_of_messages_takes_the_same_queries_at_two_sizes(
    client_for, manager, django_assert_num_queries, count
):
    client = client_for("manager")
    Message.objects.bulk_create(
        Message(token=uuid.uuid4(), sent_by=manager, recipients_count=3, audience={}, **TEXT)
        for _ in range(count)
    )
    # One of them: the staff account's second factor, looked up on its first page (members.mfa).
    with django_assert_num_queries(4):
        response = client.get(reverse("panel:messages"))
    assert len(response.context["messages_sent"]) == count
