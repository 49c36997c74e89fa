"""Sending a message from the panel records it and whom it goes to and writes no mail; the
writing and its progress on the message's page."""

import uuid

import pytest
from django.urls import reverse

from mirpal.models import Message, OutboxMessage
from mirpal.outbox import outbox_send_pending
from panel.services import message_write
from panel.tasks import message_write_task
from tests.events.mail_members import members_bulk

pytestmark = pytest.mark.django_db
TEXT = {
    "subject_en": "Call for papers",
    "subject_ru": "Приглашение к публикации",
    "body_en": "Send us your papers.",
    "body_ru": "Присылайте статьи.",
}


def send_form(token) -> dict:
    # The secretariat's own profile is in Russia: the audience is exactly the members made here.
    return {"token": str(token), "audience": "country", "country": "KZ", "send": "", **TEXT}


@pytest.mark.parametrize("size", [3, 1200])
def test_sending_records_the_message_and_writes_no_mail_in_the_same_queries_at_any_size(
    client_for, django_assert_num_queries, size
):
    ids = members_bulk(size, prefix="news")
    client = client_for("secretariat")
    # One of them: the staff account's second factor, looked up on its first page (members.mfa).
    with django_assert_num_queries(12):
        response = client.post(reverse("panel:message_new"), send_form(uuid.uuid4()))
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("panel:message", args=[message.pk])
    assert (message.recipients_count, message.written, message.status) == (size, 0, "writing")
    assert message.recipient_ids == ids
    assert OutboxMessage.objects.count() == 0


def test_the_message_page_shows_how_far_the_writing_and_sending_have_got(
    client_for, settings, smtp_sink
):
    members_bulk(5, prefix="progress")
    client = client_for("secretariat")
    token = uuid.uuid4()
    page = client.get(client.post(reverse("panel:message_new"), send_form(token))["Location"])
    message = Message.objects.get()
    html = page.content.decode()
    assert "0 of 5 mails written</strong> (being written)" in html
    assert "Reload the page to see how far they have got." in html

    settings.MAIL_RUN_CHUNK_SIZE = 2
    settings.MAIL_RUN_TASK_SECONDS = 0  # one chunk, then the task would queue itself again
    assert message_write(message_id=message.pk) is True
    html = client.get(reverse("panel:message", args=[message.pk])).content.decode()
    assert "2 of 5 mails written</strong> (being written)" in html
    assert "Sent: 0; waiting: 2; failed: 0; not sent (membership ended): 0." in html

    settings.MAIL_RUN_TASK_SECONDS = 60
    message_write_task(run_id=message.pk)
    message_write_task(run_id=message.pk)  # a repeated delivery of the task
    assert outbox_send_pending()["sent"] == 5
    # The same form sent again: the same message, nothing more written.
    again = client.post(reverse("panel:message_new"), send_form(token))
    assert again["Location"] == reverse("panel:message", args=[message.pk])
    html = client.get(again["Location"]).content.decode()
    assert "5 of 5 mails written</strong> (all written)" in html
    assert "Sent: 5; waiting: 0; failed: 0; not sent (membership ended): 0." in html
    assert "Reload the page" not in html
    assert (Message.objects.count(), OutboxMessage.objects.count()) == (1, 5)
    assert sorted(m["To"] for m in smtp_sink.messages) == sorted(
        f"progress-{n}@example.org" for n in range(5)
    )
    listing = client.get(reverse("panel:messages")).content.decode()
    assert "(being written)" not in listing
