"""Development mail without an SMTP server: one .eml file per message under the data folder."""

import email
import email.policy

import pytest
from django.db import transaction

from mirpal.models import OutboxMessage
from mirpal.outbox import Mail, outbox_enqueue
from tests.worker import Worker, purge_test_queue, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_email_host_each_mail_is_an_eml_file_a_mail_client_opens(tmp_path):
    mails = [
        Mail(
            key="decision:1",
            kind="decision",
            to_email="applicant@example.org",
            subject="Ваша заявка одобрена",
            body_text="Добро пожаловать в MIRPAL",
            body_html="<p>Добро пожаловать в MIRPAL</p>",
        ),
        Mail(
            key="invitation:1",
            kind="invitation",
            to_email="member@example.org",
            subject="Invitation: remittances seminar",
            body_text="You are invited",
        ),
    ]
    purge_test_queue()
    # A worker as `make run` starts it: no EMAIL_HOST, data under MIRPAL_DATA_DIR.
    with Worker(smtp_port=0, env={"EMAIL_HOST": "", "MIRPAL_DATA_DIR": str(tmp_path)}):
        with transaction.atomic():
            outbox_enqueue(mails)
        assert wait_until(
            lambda: OutboxMessage.objects.filter(status="sent").count() == 2, timeout=30
        )

    files = sorted((tmp_path / "mail").iterdir())
    assert [path.suffix for path in files] == [".eml", ".eml"]
    parsed = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files
    ]
    message_id = {row.to_email: row.message_id for row in OutboxMessage.objects.all()}
    assert sorted(
        (str(message["To"]), str(message["Subject"]), str(message["Message-ID"]))
        for message in parsed
    ) == [
        ("applicant@example.org", "Ваша заявка одобрена", message_id["applicant@example.org"]),
        ("member@example.org", "Invitation: remittances seminar", message_id["member@example.org"]),
    ]
    [decision] = [message for message in parsed if message["To"] == "applicant@example.org"]
    assert decision.get_body(("plain",)).get_content() == "Добро пожаловать в MIRPAL"
    assert decision.get_body(("html",)).get_content() == "<p>Добро пожаловать в MIRPAL</p>"
