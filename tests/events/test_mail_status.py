"""The secretariat's page of an event's mail: counts, permanent failures, sending again."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.mail import reminders
from events.mail.resend import event_mail_resend
from events.mail.status import event_mail_status
from events.services import EventError
from mirpal.models import OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.events.mailbox import invite_everyone
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory, UserFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def row(status, kind):
    return next(r for r in status.rows if r.kind == kind)


def test_counts_and_permanent_failures_by_kind(smtp_sink):
    event = EventFactory()
    other = EventFactory()
    ProfileFactory()
    ProfileFactory(user=UserFactory(email="gone@bounce.example"))
    invite_everyone(event)
    invite_everyone(other)
    OutboxMessage.objects.filter(idempotency_key__startswith=f"event:{other.pk}:").delete()
    pending = event_mail_status(event=event)
    assert (row(pending, "event_invitation").pending, pending.invited) == (2, 2)

    outbox_send_pending()
    status = event_mail_status(event=event)
    invitations = row(status, "event_invitation")
    assert (invitations.pending, invitations.sent, invitations.failed) == (0, 1, 1)
    assert row(status, "event_reminder").sent == 0
    [failure] = status.failed
    assert failure.to_email == "gone@bounce.example"
    assert failure.last_error.startswith("SMTPRecipientsRefused")


def test_resending_to_one_member_makes_a_new_row_with_its_own_message_id(smtp_sink, member):
    event = EventFactory()
    invite_everyone(event)
    outbox_send_pending()
    first = event_mail_resend(
        event=event, email=member.email.upper(), kind="event_invitation", by=None
    )
    second = event_mail_resend(event=event, email=member.email, kind="event_invitation", by=None)
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
    with pytest.raises(EventError):
        event_mail_resend(event=event, email=member.email, kind="event_reminder", by=None)


def test_the_page_shows_counts_and_resends(client, secretariat, member, smtp_sink):
    event = EventFactory()
    invite_everyone(event)
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
    invite_everyone(event)
    OutboxMessage.objects.update(status="failed", last_error="550 No such mailbox")
    client.force_login(secretariat)
    url = reverse("events:mail_status", args=[event.slug])
    client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def starting_in(minutes: int):
    start = (timezone.now() + datetime.timedelta(minutes=minutes)).replace(microsecond=0)
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))


def resend(client, event, email, kind):
    return client.post(
        reverse("events:mail_resend", args=[event.slug]), {"email": email, "kind": kind}
    )


def test_a_reminder_is_not_resent_to_someone_who_has_cancelled(client, secretariat, smtp_sink):
    event = starting_in(30)
    member = RegistrationFactory(event=event).user
    assert reminders.reminders_send_due() == 1
    outbox_send_pending()
    [reminder] = smtp_sink.to(member.email)
    assert event.join_url in SmtpSink.text(reminder)
    member_client = Client()
    member_client.force_login(member)
    member_client.post(reverse("events:cancel_registration", args=[event.slug]))

    client.force_login(secretariat)
    refused = resend(client, event, member.email, "event_reminder")
    assert refused.status_code == 400
    assert (
        f"{member.email} is no longer registered for this event: no reminder was sent."
        in refused.content.decode()
    )
    assert OutboxMessage.objects.filter(idempotency_key__contains=":resend-").count() == 0
    outbox_send_pending()
    assert [SmtpSink.subject(message).split(":")[0] for message in smtp_sink.to(member.email)] == [
        "[MIRPAL] Starting soon",
        "[MIRPAL] Registration cancelled",
    ]


def test_a_resent_reminder_is_written_for_today_not_copied(client, secretariat, smtp_sink):
    event = starting_in(30)
    member = RegistrationFactory(event=event).user
    # The day-before reminder, as the beat run queued it 23 hours before the start.
    day_before = event.starts_at - datetime.timedelta(hours=23)
    assert reminders.reminders_send_due(now=day_before) == 1
    outbox_send_pending()
    [stored] = smtp_sink.to(member.email)
    assert event.join_url not in SmtpSink.text(stored)

    client.force_login(secretariat)
    assert resend(client, event, member.email, "event_reminder").status_code == 302
    outbox_send_pending()
    [_stored, resent] = smtp_sink.to(member.email)
    assert f"Join link: {event.join_url}" in SmtpSink.text(resent)
    assert f"Passcode: {event.passcode}" in SmtpSink.text(resent)
    assert list(
        OutboxMessage.objects.filter(idempotency_key__contains=":resend-").values_list(
            "idempotency_key", flat=True
        )
    ) == [f"event:{event.pk}:reminder-24h:{member.pk}:resend-1"]


def test_the_latest_registration_mail_is_resent_as_the_place_stands(client, secretariat, smtp_sink):
    event = EventFactory(title_en="Diaspora bonds")
    member = ProfileFactory().user
    member_client = Client()
    member_client.force_login(member)
    member_client.post(reverse("events:register", args=[event.slug]))
    client.force_login(secretariat)
    assert resend(client, event, member.email, "event_registration").status_code == 302
    outbox_send_pending()
    assert [SmtpSink.subject(message).split(",")[0] for message in smtp_sink.to(member.email)] == [
        "[MIRPAL] You are registered: Diaspora bonds",
        "[MIRPAL] You are registered: Diaspora bonds",
    ]
    member_client.post(reverse("events:cancel_registration", args=[event.slug]))
    # The latest registration mail is now the cancellation: that is what goes again.
    assert resend(client, event, member.email, "event_registration").status_code == 302
    outbox_send_pending()
    assert SmtpSink.subject(smtp_sink.to(member.email)[-1]) == (
        "[MIRPAL] Registration cancelled: Diaspora bonds"
    )
