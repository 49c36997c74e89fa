"""Invitations: audiences, language and time zone, the .ics, and the one-click answers."""

import datetime
import email.utils
import zoneinfo

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from events import audiences, services
from events.audiences import Audience, AudienceKind
from events.enums import RegistrationStatus
from events.mail import tokens
from events.models import Event, Invitation, InvitationRun, Registration
from events.tasks import invitation_run_write_task
from members.models import Expert
from mirpal.models import MailPreference, OutboxMessage, Topic
from mirpal.outbox import outbox_send_pending
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db
ALL = Audience(kind=AudienceKind.ALL)


def invite(event, audience=ALL, by=None):
    """The secretariat's decision, then the task that writes it, as the worker runs it."""
    result = services.event_invite(event=event, audience=audience, by=by)
    if result.run is not None:
        invitation_run_write_task(run_id=result.run.pk)
    return result


def ics_of(message) -> str:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            return content.decode() if isinstance(content, bytes) else content
    raise AssertionError("no .ics attached")


def start_at_utc(hour: int) -> datetime.datetime:
    day = timezone.now().date() + datetime.timedelta(days=10)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def test_each_member_gets_the_invitation_in_their_language_and_time_zone(smtp_sink):
    dushanbe = ProfileFactory(mail_language="ru", time_zone="Asia/Dushanbe").user
    chisinau = ProfileFactory(mail_language="en", time_zone="Europe/Chisinau").user
    starts = start_at_utc(9)
    event = EventFactory(
        title_en="Pre-departure orientation",
        title_ru="Подготовка к выезду",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    result = invite(event)
    assert (result.invited, result.skipped) == (2, 0)
    assert outbox_send_pending()["sent"] == 2

    [russian] = smtp_sink.to(dushanbe.email)
    [english] = smtp_sink.to(chisinau.email)
    # 09:00 UTC is 14:00 in Dushanbe (UTC+5); in Chisinau 11:00 or 12:00 by the season.
    local = starts.astimezone(zoneinfo.ZoneInfo("Europe/Chisinau"))
    assert SmtpSink.subject(russian).startswith("[MIRPAL] Приглашение: Подготовка к выезду, ")
    assert "14:00–16:00" in SmtpSink.subject(russian)
    assert SmtpSink.subject(english).startswith("[MIRPAL] Invitation: Pre-departure orientation, ")
    assert f"{local:%H:%M}–{local.hour + 2:02d}:00" in SmtpSink.subject(english)
    assert "(ваше время, время Душанбе, UTC+5)" in SmtpSink.text(russian)
    assert f"(your time, Chisinau time, UTC+{local.utcoffset().seconds // 3600})" in SmtpSink.text(
        english
    )
    assert "Я приму участие:" in SmtpSink.text(russian)
    assert "I'll attend:" in SmtpSink.text(english)


def test_the_invitation_carries_the_ics_links_and_unsubscribe_headers(smtp_sink, member):
    event = EventFactory()
    invite(event)
    outbox_send_pending()
    [message] = smtp_sink.to(member.email)
    calendar = ics_of(message)
    # A request to this member (tests/events/test_ical.py reads it field by field).
    assert "METHOD:REQUEST" in calendar
    assert f"mailto:{member.email}" in calendar.replace("\r\n ", "")
    assert f"UID:event-{event.pk}@" in calendar
    assert event.join_url not in calendar
    assert event.join_url not in SmtpSink.text(message)
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == OutboxMessage.objects.get().message_id
    assert OutboxMessage.objects.get().idempotency_key == (
        f"event:{event.pk}:invitation:{member.pk}:v1"
    )
    text = SmtpSink.text(message)
    assert text.count("/events/answer/") == 2


def test_suspended_rejected_pending_and_opted_out_members_are_not_invited(smtp_sink, member):
    suspended = ProfileFactory(status="suspended").user
    rejected = ProfileFactory(status="rejected").user
    pending = ProfileFactory(status="pending").user
    opted_out = ProfileFactory().user
    MailPreference.objects.create(user=opted_out, invitations=False)
    event = EventFactory()
    assert invite(event).invited == 1
    outbox_send_pending()
    assert [message["To"] for message in smtp_sink.messages] == [member.email]
    assert list(Invitation.objects.values_list("user", flat=True)) == [member.pk]
    for user in (suspended, rejected, pending, opted_out):
        assert smtp_sink.to(user.email) == []


def test_a_member_suspended_after_the_invitation_was_queued_gets_nothing(smtp_sink, member):
    event = EventFactory()
    invite(event)
    member.profile.status = "suspended"
    member.profile.save()
    assert outbox_send_pending()["sent"] == 0
    assert smtp_sink.messages == []
    assert OutboxMessage.objects.get().status == "skipped"


def test_audiences_pick_the_right_members():
    topic = Topic.objects.order_by("pk").first()
    kz = ProfileFactory(country="KZ", organisation_type="ngo").user
    tj = ProfileFactory(country="TJ", organisation_type="government", interests=[topic]).user
    expert_user = ProfileFactory(country="AM", organisation_type="academia").user
    Expert.objects.create(name_en="Expert", name_ru="Эксперт", user=expert_user)
    Expert.objects.create(name_en="No account", name_ru="Без учётной записи")

    def ids(**kwargs):
        return audiences.audience_user_ids(Audience(**kwargs))

    assert ids(kind="all") == {kz.pk, tj.pk, expert_user.pk}
    assert ids(kind="country", country="TJ") == {tj.pk}
    assert ids(kind="organisation_type", organisation_type="ngo") == {kz.pk}
    assert ids(kind="topic", topic_id=topic.pk) == {tj.pk}
    assert ids(kind="experts") == {expert_user.pk}
    assert ids(kind="users", user_ids=(kz.pk, expert_user.pk)) == {kz.pk, expert_user.pk}


def test_inviting_again_mails_only_the_new_people(member):
    event = EventFactory()
    assert invite(event).invited == 1
    newcomer = ProfileFactory().user
    registered = ProfileFactory().user
    Registration.objects.create(event=event, user=registered, status="confirmed")
    result = invite(event)
    assert (result.invited, result.skipped) == (1, 2)
    assert set(OutboxMessage.objects.values_list("recipient", flat=True)) == {
        member.pk,
        newcomer.pk,
    }


def test_publish_and_invite_is_one_transaction(member):
    draft = EventFactory(status="draft", sequence=0, published_at=None)
    with pytest.raises(services.EventError):
        services.event_publish_and_invite(event=draft, audience=Audience(kind="nonsense"), by=None)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Invitation.objects.count() == 0
    result = services.event_publish_and_invite(event=draft, audience=ALL, by=None)
    invitation_run_write_task(run_id=result.run.pk)
    draft.refresh_from_db()
    assert (draft.status, result.invited, OutboxMessage.objects.count()) == ("published", 1, 1)


def test_a_draft_cannot_be_invited_to():
    with pytest.raises(services.EventError):
        invite(EventFactory(status="draft"))


# --- One-click answers


def links_of(event, user):
    return (
        reverse(
            "events:rsvp", args=[tokens.rsvp_token(event=event, user_id=user.pk, answer="going")]
        ),
        reverse(
            "events:rsvp",
            args=[tokens.rsvp_token(event=event, user_id=user.pk, answer="not_going")],
        ),
    )


def test_get_shows_a_confirmation_and_changes_nothing(client, member):
    event = EventFactory()
    invite(event)
    going, _ = links_of(event, member)
    for _ in range(3):  # a mail scanner prefetching, then the member opening it
        response = client.get(going)
        assert response.status_code == 200
        assert b'method="post"' in response.content
    assert Registration.objects.count() == 0
    assert Invitation.objects.get().answer == ""


def test_post_registers_and_posting_twice_registers_once(client, member):
    event = EventFactory(capacity=10)
    invite(event)
    going, not_going = links_of(event, member)
    assert client.post(going).status_code == 200
    assert client.post(going).status_code == 200
    registration = Registration.objects.get()
    assert (registration.user, registration.status) == (member, RegistrationStatus.CONFIRMED)
    invitation = Invitation.objects.get()
    assert invitation.answer == "going"
    assert invitation.answered_at is not None

    response = client.post(not_going)
    assert b"cannot attend" in response.content
    assert list(Registration.objects.values_list("status", flat=True)) == ["declined"]
    assert Invitation.objects.get().answer == "not_going"


def test_a_tampered_link_is_refused_with_a_clear_page(client, member):
    event = EventFactory()
    token = tokens.rsvp_token(event=event, user_id=member.pk, answer="going")
    data = signing.loads(token, salt=tokens.RSVP_SALT)
    forged = signing.dumps({**data, "u": member.pk + 1}, salt="not-the-salt", compress=True)
    for bad in (token[:-3] + "abc", forged):
        url = reverse("events:rsvp", args=[bad])
        assert client.get(url).status_code == 400
        response = client.post(url)
        assert response.status_code == 400
        assert b"This link is not valid" in response.content
    assert Registration.objects.count() == 0


def test_a_link_expires_when_the_event_ends(client, member):
    event = EventFactory()
    going, _ = links_of(event, member)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = client.post(going)
    assert response.status_code == 400
    assert b"This link has expired" in response.content
    assert Registration.objects.count() == 0


def test_a_suspended_member_cannot_answer(client, member):
    event = EventFactory()
    going, _ = links_of(event, member)
    member.profile.status = "suspended"
    member.profile.save()
    response = client.post(going)
    assert response.status_code == 409
    assert Registration.objects.count() == 0


def test_the_answer_pages_speak_the_members_mail_language_not_the_browsers(client):
    russian = ProfileFactory(mail_language="ru").user
    english = ProfileFactory(mail_language="en").user
    event = EventFactory(title_en="Return migration", title_ru="Возвратная миграция")
    going, _ = links_of(event, russian)
    page = client.get(going, HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "ru"
    html = page.content.decode()
    assert '<html lang="ru"' in html
    assert "Ничего не будет записано, пока вы не нажмёте кнопку." in html
    assert "<h1>Возвратная миграция</h1>" in html
    done = client.post(going, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Спасибо, ваше участие подтверждено." in done

    _, not_going = links_of(event, english)
    page = client.get(not_going, HTTP_ACCEPT_LANGUAGE="ru")
    assert page["Content-Language"] == "en"
    assert "Nothing is recorded until you press the button." in page.content.decode()
    done = client.post(not_going, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Thank you for letting us know that you cannot attend." in done


def test_message_id_is_a_valid_header(member):
    event = EventFactory()
    invite(event)
    assert email.utils.parseaddr(OutboxMessage.objects.get().message_id)[1].count("@") == 1


# --- The admin action


def test_the_admin_action_publishes_and_invites_a_country(client, secretariat):
    kz = ProfileFactory(country="KZ").user
    ProfileFactory(country="UA")
    draft = EventFactory(status="draft", sequence=0, published_at=None)
    client.force_login(secretariat)
    url = reverse("admin:events_event_changelist")
    form_page = client.post(url, {"action": "invite_events", "_selected_action": [draft.pk]})
    assert form_page.status_code == 200
    assert b"Publish and send the invitations" in form_page.content
    missing = client.post(
        url,
        {
            "action": "invite_events",
            "_selected_action": [draft.pk],
            "apply": "1",
            "audience": "country",
        },
    )
    assert b"Fill this in" in missing.content
    assert Invitation.objects.count() == 0
    done = client.post(
        url,
        {
            "action": "invite_events",
            "_selected_action": [draft.pk],
            "apply": "1",
            "audience": "country",
            "country": "KZ",
        },
    )
    assert done.status_code == 302
    invitation_run_write_task(run_id=InvitationRun.objects.get(event=draft).pk)
    draft.refresh_from_db()
    assert draft.status == "published"
    # The secretariat's own profile is in Russia: only the member from Kazakhstan is invited.
    assert list(Invitation.objects.values_list("user", flat=True)) == [kz.pk]
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [kz.pk]
