"""The secretariat's page of an event's mail: counts, permanent failures, sending again."""

import pytest
from django.urls import reverse

from events import mailings
from mirpal.models import OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def row(status, kind):
    return next(r for r in status.rows if r.kind == kind)


def test_counts_and_permanent_failures_by_kind(smtp_sink):
    event = EventFactory()
    other = EventFactory()
    ProfileFactory()
    ProfileFactory(user=UserFactory(email="gone@bounce.example"))
    mailings.event_invite(event=event, audience=mailings.Audience(kind="all"), by=None)
    mailings.event_invite(event=other, audience=mailings.Audience(kind="all"), by=None)
    OutboxMessage.objects.filter(idempotency_key__startswith=f"event:{other.pk}:").delete()
    pending = mailings.event_mail_status(event=event)
    assert (row(pending, "event_invitation").pending, pending.invited) == (2, 2)

    outbox_send_pending()
    status = mailings.event_mail_status(event=event)
    invitations = row(status, "event_invitation")
    assert (invitations.pending, invitations.sent, invitations.failed) == (0, 1, 1)
    assert row(status, "event_reminder").sent == 0
    [failure] = status.failed
    assert failure.to_email == "gone@bounce.example"
    assert failure.last_error.startswith("SMTPRecipientsRefused")


def test_resending_to_one_member_makes_a_new_row_with_its_own_message_id(smtp_sink, member):
    event = EventFactory()
    mailings.event_invite(event=event, audience=mailings.Audience(kind="all"), by=None)
    outbox_send_pending()
    first = mailings.event_mail_resend(
        event=event, email=member.email.upper(), kind="event_invitation", by=None
    )
    second = mailings.event_mail_resend(
        event=event, email=member.email, kind="event_invitation", by=None
    )
    keys = list(
        OutboxMessage.objects.filter(pk__in=[first, second])
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )
    base = f"event:{event.pk}:invitation:{member.pk}:v1"
    assert keys == [f"{base}:resend-1", f"{base}:resend-2"]
    outbox_send_pending()
    messages = smtp_sink.to(member.email)
    assert len(messages) == 3
    assert len({message["Message-ID"] for message in messages}) == 3
    with pytest.raises(mailings.EventError):
        mailings.event_mail_resend(event=event, email=member.email, kind="event_reminder", by=None)


def test_the_page_shows_counts_and_resends(client, secretariat, member, smtp_sink):
    event = EventFactory()
    mailings.event_invite(event=event, audience=mailings.Audience(kind="all"), by=None)
    client.force_login(secretariat)
    url = reverse("events:mail_status", args=[event.slug])
    page = client.get(url).content.decode()
    assert "Invitations" in page
    response = client.post(
        reverse("events:mail_resend", args=[event.slug]),
        {"email": member.email, "kind": "event_invitation"},
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(idempotency_key__endswith=":resend-1").count() == 1
    refused = client.post(
        reverse("events:mail_resend", args=[event.slug]),
        {"email": "stranger@example.org", "kind": "event_invitation"},
    )
    assert refused.status_code == 400
    assert "stranger@example.org was sent no mail" in refused.content.decode()


@pytest.mark.parametrize("members", [1, 30])
def test_the_page_takes_the_same_queries_for_1_or_30_members(
    client, secretariat, members, django_assert_num_queries
):
    event = EventFactory()
    for _ in range(members):
        ProfileFactory(user=UserFactory(email=f"x{_}-{members}@bounce.example"))
    mailings.event_invite(event=event, audience=mailings.Audience(kind="all"), by=None)
    OutboxMessage.objects.update(status="failed", last_error="550 No such mailbox")
    client.force_login(secretariat)
    url = reverse("events:mail_status", args=[event.slug])
    client.get(url)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
