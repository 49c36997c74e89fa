"""Every change of a member's place is mailed to them, once, in their language, with the .ics."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.mail import tokens
from events.models import Registration
from mirpal.models import MailPreference, OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.events.admin_forms import change_event
from tests.events.mailbox import ics_of, invite_everyone
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db
ORGANIZER = "mailto:secretariat@mirpal.example"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(user, event, response="going"):
    reply = signed_in(user).post(
        reverse("events:register", args=[event.slug]), {"response": response}
    )
    assert reply.status_code == 302


def cancel(user, event):
    reply = signed_in(user).post(reverse("events:cancel_registration", args=[event.slug]))
    assert reply.status_code == 302


def stamp(registration: Registration) -> str:
    registration.refresh_from_db()
    return f"{registration.updated_at.astimezone(datetime.UTC):%Y%m%dT%H%M%S.%fZ}"


def registration_keys() -> list[str]:
    return list(
        OutboxMessage.objects.filter(kind="event_registration")
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )


def changes() -> list[tuple[int, str]]:
    """(member, change) of each registration mail, in the order they were queued."""
    return [(int(key.split(":")[3]), key.split(":")[4]) for key in registration_keys()]


def attendee(message) -> tuple[str, dict]:
    ics = ics_of(message)
    (line,) = ics.strict_vevent.all("ATTENDEE")
    assert str(ics.vevent["ATTENDEE"]) == line.value
    return line.value, line.params


def test_registering_on_the_page_is_confirmed_in_the_members_language(smtp_sink):
    member = ProfileFactory(mail_language="ru", time_zone="Asia/Almaty").user
    event = EventFactory(title_ru="Семинар о денежных переводах")
    register(member, event)
    register(member, event)  # a second click changes nothing and mails nothing
    registration = Registration.objects.get()
    assert registration_keys() == [
        f"event:{event.pk}:registration:{member.pk}:confirmed:{stamp(registration)}"
    ]
    outbox_send_pending()
    [message] = smtp_sink.to(member.email)
    assert SmtpSink.subject(message).startswith(
        "[MIRPAL] Вы зарегистрированы: Семинар о денежных переводах, "
    )
    text = SmtpSink.text(message)
    assert "Вы зарегистрированы на мероприятие:" in text
    assert "Приложенный файл добавит мероприятие в ваш календарь." in text
    assert event.join_url not in text  # ten days before: the event page, not the link
    assert message["List-Unsubscribe"] is None  # an answer to the member's own action
    ics = ics_of(message)
    assert (ics.method_param, str(ics.lib["METHOD"])) == ("REQUEST", "REQUEST")
    assert attendee(message) == (
        f"mailto:{member.email}",
        {
            "CN": [member.get_full_name()],
            "PARTSTAT": ["ACCEPTED"],
            "RSVP": ["FALSE"],
        },
    )
    assert ics.strict_vevent.one("ORGANIZER").value == ORGANIZER


def test_the_wait_list_is_mailed_and_the_promotion_says_so_plainly(smtp_sink):
    event = EventFactory(capacity=1, title_en="Remittance corridors")
    holder, waiting = ProfileFactory().user, ProfileFactory().user
    register(holder, event)
    register(waiting, event)
    outbox_send_pending()
    [wait_listed] = smtp_sink.to(waiting.email)
    assert SmtpSink.subject(wait_listed) == "[MIRPAL] Wait list: Remittance corridors"
    assert "The event is full, so you are on the wait list for this event:" in SmtpSink.text(
        wait_listed
    )
    assert attendee(wait_listed)[1]["PARTSTAT"] == ["TENTATIVE"]

    smtp_sink.clear()
    cancel(holder, event)
    outbox_send_pending()
    [promoted] = smtp_sink.to(waiting.email)
    assert SmtpSink.subject(promoted).startswith("[MIRPAL] A place for you: Remittance corridors, ")
    assert "A place has become free: you are now registered for this event:" in SmtpSink.text(
        promoted
    )
    assert attendee(promoted)[1]["PARTSTAT"] == ["ACCEPTED"]
    [cancelled] = smtp_sink.to(holder.email)
    assert SmtpSink.subject(cancelled) == "[MIRPAL] Registration cancelled: Remittance corridors"
    assert str(ics_of(cancelled).lib["METHOD"]) == "CANCEL"
    assert changes() == [
        (holder.pk, "confirmed"),
        (waiting.pk, "waiting"),
        (holder.pk, "cancelled"),
        (waiting.pk, "promoted"),
    ]


def test_the_secretariat_cancelling_a_place_mails_the_member_a_removal(smtp_sink, secretariat):
    event = EventFactory(capacity=1, title_en="Diaspora bonds")
    holder = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waiting")
    response = signed_in(secretariat).post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [holder.pk]},
    )
    assert response.status_code == 302
    outbox_send_pending()
    [removed] = smtp_sink.to(holder.user.email)
    assert SmtpSink.subject(removed) == "[MIRPAL] Registration cancelled: Diaspora bonds"
    text = SmtpSink.text(removed)
    assert "The secretariat has cancelled your registration for this event:" in text
    assert "The attached file removes the event from your calendar." in text
    ics = ics_of(removed)
    assert (ics.method_param, str(ics.lib["METHOD"])) == ("CANCEL", "CANCEL")
    # Removing one attendee from an event that still takes place: no STATUS (RFC 5546 3.2.5).
    assert "STATUS" not in ics.strict_vevent.names()
    assert ics.strict_vevent.one("ATTENDEE").value == f"mailto:{holder.user.email}"
    assert ics.strict_vevent.one("ORGANIZER").value == ORGANIZER
    assert ics.strict_vevent.walk("VALARM") == []
    [promoted] = smtp_sink.to(waiting.user.email)
    assert "A place has become free" in SmtpSink.text(promoted)
    assert registration_keys() == [
        f"event:{event.pk}:registration:{holder.user_id}:removed:{stamp(holder)}",
        f"event:{event.pk}:registration:{waiting.user_id}:promoted:{stamp(waiting)}",
    ]


def test_a_larger_capacity_set_in_the_admin_mails_those_it_promotes(smtp_sink, secretariat):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    first = RegistrationFactory(event=event, status="waiting")
    second = RegistrationFactory(event=event, status="waiting")
    change_event(signed_in(secretariat), event, capacity=2)
    assert registration_keys() == [
        f"event:{event.pk}:registration:{first.user_id}:promoted:{stamp(first)}"
    ]
    outbox_send_pending()
    assert len(smtp_sink.to(first.user.email)) == 1
    assert smtp_sink.to(second.user.email) == []


def test_each_change_is_mailed_once_and_a_new_change_again(smtp_sink):
    event = EventFactory()
    member = ProfileFactory().user
    MailPreference.objects.create(user=member, invitations=False, reminders=False, news=False)
    register(member, event)
    cancel(member, event)
    cancel(member, event)  # nothing left to cancel: nothing mailed
    register(member, event)
    outbox_send_pending()
    subjects = [SmtpSink.subject(message) for message in smtp_sink.to(member.email)]
    assert [subject.split(":")[0] for subject in subjects] == [
        "[MIRPAL] You are registered",
        "[MIRPAL] Registration cancelled",
        "[MIRPAL] You are registered",
    ]
    assert changes() == [
        (member.pk, "confirmed"),
        (member.pk, "cancelled"),
        (member.pk, "confirmed"),
    ]
    assert len(set(registration_keys())) == 3


def test_answering_through_the_link_in_the_invitation_is_confirmed_too(smtp_sink, client):
    member = ProfileFactory().user
    event = EventFactory()
    invite_everyone(event)
    token = tokens.rsvp_token(event=event, user_id=member.pk, answer="going")
    assert client.post(reverse("events:rsvp", args=[token])).status_code == 200
    outbox_send_pending()
    subjects = [SmtpSink.subject(message) for message in smtp_sink.to(member.email)]
    assert [subject.split(":")[0] for subject in subjects] == [
        "[MIRPAL] Invitation",
        "[MIRPAL] You are registered",
    ]


def test_within_the_hour_the_confirmation_carries_the_join_link(smtp_sink):
    start = timezone.now() + datetime.timedelta(minutes=40)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    member = ProfileFactory().user
    register(member, event)
    outbox_send_pending()
    [message] = smtp_sink.to(member.email)
    assert f"Join link: {event.join_url}" in SmtpSink.text(message)
    assert f"Passcode: {event.passcode}" in SmtpSink.text(message)
