"""The secretariat is told what arrives: an application made on the sign-up page and a request
made on the roster's form reach the managers who chose "at once" by mail, those who chose a daily
summary by the beat's task, and no one else; through the real SMTP sink."""
# (Russian text is Cyrillic on purpose.)

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members import notices
from members.models import ExpertRequest, User
from members.tasks import notices_summaries_send_task
from mirpal.models import MailPreference, OutboxMessage
from mirpal.outbox import outbox_send_pending
from mirpal.preferences import mail_preference_update
from tests.factories.members import (
    EditorFactory,
    ManagerFactory,
    ProfileFactory,
    SecretariatFactory,
)
from tests.members.filling_in import form_values
from tests.members.test_application_flow import application
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

IN_TEN_DAYS = datetime.timedelta(days=10)


def _choosing(user, choice: str):
    mail_preference_update(user=user, secretariat_notices=choice)
    return user


def _english(user):
    user.profile.mail_language = "en"
    user.profile.save(update_fields=["mail_language"])
    return user


def _sign_up(email: str, **overrides) -> User:
    response = Client().post(reverse("account_signup"), application(email, **overrides))
    assert response.status_code == 302, response.context["form"].errors
    return User.objects.get(email=email)


def _ask_for_an_expert(requester) -> ExpertRequest:
    client = Client()
    client.force_login(requester)
    today = timezone.localdate()
    response = client.post(
        reverse("members:expert_request_new"),
        {
            "topic": "remittances",
            "countries": ["TJ"],
            "language": "ru",
            "help_kind": "training",
            "starts_on": (today + IN_TEN_DAYS).isoformat(),
            "ends_on": (today + IN_TEN_DAYS * 2).isoformat(),
            "purpose": "Training for NGOs.",
        },
    )
    assert response.status_code == 302
    return ExpertRequest.objects.get(requester=requester)


def _notices_to(sink, user) -> list[tuple[str, str]]:
    return [
        (SmtpSink.subject(message), SmtpSink.text(message).replace("\r\n", "\n"))
        for message in sink.to(user.email)
    ]


def test_a_sign_up_mails_the_managers_who_chose_at_once_and_no_one_else(smtp_sink):
    at_once = _choosing(_english(ManagerFactory(first_name="Olga", last_name="Ceban")), "at_once")
    daily = SecretariatFactory()
    never = _choosing(ManagerFactory(), "none")
    # Editors handle expert requests, not applications; a member decides nothing.
    editor = _choosing(EditorFactory(), "at_once")
    member = _choosing(ProfileFactory(status="approved").user, "at_once")
    inactive = _choosing(ManagerFactory(is_active=False), "at_once")

    applicant = _sign_up("zarina@example.tj")

    assert outbox_send_pending() == {"sent": 2, "retry": 0, "failed": 0}
    [(subject, text)] = _notices_to(smtp_sink, at_once)
    assert subject == "[MIRPAL] New application: Зарина Рахимова"
    assert "Dear Olga Ceban," in text
    assert "Зарина Рахимова (Tajikistan) has applied for membership of the network." in text
    assert "Organisation: Главный специалист, Министерство труда, миграции и занятости" in text
    assert "Why they want to join: Обмен опытом по оргнабору" in text
    assert "http://127.0.0.1:8000/members/applications/" in text
    assert "in your mail preferences: http://127.0.0.1:8000/mail/preferences/" in text
    [message] = smtp_sink.to(at_once.email)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert html.startswith('<!DOCTYPE html><html lang="en">')
    assert '<a href="http://127.0.0.1:8000/members/applications/">' in html
    for other in (daily, never, editor, member, inactive):
        assert smtp_sink.to(other.email) == []
    [row] = OutboxMessage.objects.filter(kind="secretariat_notice")
    assert (row.idempotency_key, row.recipient) == (
        f"notice:application:{applicant.profile.pk}:{at_once.pk}",
        at_once,
    )

    # The mail client's one-click unsubscribe (RFC 8058) turns the notices off, nothing else.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    response = Client().post(link.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    preference = MailPreference.objects.get(user=at_once)
    assert (preference.secretariat_notices, preference.invitations) == ("none", True)
    _sign_up("farrukh@example.tj", first_name="Фаррух")
    assert outbox_send_pending() == {"sent": 1, "retry": 0, "failed": 0}  # the applicant's own
    assert len(smtp_sink.to(at_once.email)) == 1


def test_an_expert_request_on_the_form_mails_a_russian_handler_in_russian(smtp_sink):
    handler = _choosing(EditorFactory(), "at_once")
    handler.profile.mail_language = "ru"
    handler.profile.save(update_fields=["mail_language"])
    manager = _choosing(ManagerFactory(), "at_once")  # decides memberships, not requests
    requester = ProfileFactory(
        status="approved", user__first_name="Aida", user__last_name="Bekova"
    ).user

    request = _ask_for_an_expert(requester)

    assert outbox_send_pending() == {"sent": 2, "retry": 0, "failed": 0}
    [(subject, text)] = _notices_to(smtp_sink, handler)
    assert subject == (
        f"[MIRPAL] Новая заявка на эксперта (№ {request.pk}): Денежные переводы мигрантов"
    )
    assert (
        f"Aida Bekova просит секретариат подобрать эксперта по теме «Денежные переводы мигрантов» "
        f"(заявка № {request.pk})." in text
    )
    assert f"http://127.0.0.1:8000/members/experts/requests/{request.pk}/" in text
    assert "http://127.0.0.1:8000/members/experts/requests/queue/?status=new" in text
    assert smtp_sink.to(manager.email) == []
    assert len(smtp_sink.to(requester.email)) == 1  # the requester's own acknowledgement


def test_the_daily_summary_lists_what_arrived_once_and_only_for_each_ones_part(smtp_sink):
    everything = _english(SecretariatFactory(first_name="Nina", last_name="Petrosyan"))
    applications_only = _english(ManagerFactory())
    requests_only = _english(EditorFactory())
    never = _choosing(ManagerFactory(), "none")
    member = ProfileFactory(status="approved", user__first_name="Aida", user__last_name="Bekova")

    _sign_up("zarina@example.tj")
    _sign_up("timur@example.uz", first_name="Timur", last_name="Aliev", country="UZ")
    request = _ask_for_an_expert(member.user)
    # Daily summaries only: nothing goes at once to anyone of the secretariat.
    assert outbox_send_pending() == {"sent": 3, "retry": 0, "failed": 0}  # theirs, not ours
    assert OutboxMessage.objects.filter(kind="secretariat_notice").count() == 0
    smtp_sink.clear()

    assert notices_summaries_send_task() == 3
    assert notices_summaries_send_task() == 0
    assert OutboxMessage.objects.filter(kind="secretariat_notice").count() == 3
    assert outbox_send_pending() == {"sent": 3, "retry": 0, "failed": 0}

    [(subject, text)] = _notices_to(smtp_sink, everything)
    assert subject == "[MIRPAL] What arrived for the secretariat"
    assert text == (
        "Dear Nina Petrosyan,\n\n"
        "Since your last summary, this has arrived and waits for the secretariat.\n\n"
        "New applications for membership (2)\n"
        "- Зарина Рахимова · Министерство труда, миграции и занятости, Tajikistan\n"
        "- Timur Aliev · Министерство труда, миграции и занятости, Uzbekistan\n"
        "The queue: http://127.0.0.1:8000/members/applications/\n\n"
        "New requests for an expert (1)\n"
        f"- #{request.pk} Remittances · Aida Bekova\n"
        f"  http://127.0.0.1:8000/members/experts/requests/{request.pk}/\n"
        "The queue: http://127.0.0.1:8000/members/experts/requests/queue/?status=new\n\n"
        "You receive this summary once a day when something has arrived. Choose to be told at "
        "once instead, or not at all, in your mail preferences: "
        "http://127.0.0.1:8000/mail/preferences/\n"
    )
    [(_subject, text)] = _notices_to(smtp_sink, applications_only)
    assert "New applications for membership (2)" in text
    assert "New requests for an expert" not in text
    [(_subject, text)] = _notices_to(smtp_sink, requests_only)
    assert "New applications for membership" not in text
    assert "New requests for an expert (1)" in text
    assert smtp_sink.to(never.email) == []
    assert smtp_sink.to(member.user.email) == []

    # The next day: only what arrived since, and nothing at all for those with nothing new.
    _sign_up("dilnoza@example.uz", first_name="Dilnoza", last_name="Karimova")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert notices.notices_summaries_send(now=tomorrow) == 2
    assert notices.notices_summaries_send(now=tomorrow + datetime.timedelta(hours=1)) == 0
    smtp_sink.clear()
    outbox_send_pending()
    [(_subject, text)] = _notices_to(smtp_sink, everything)
    assert "New applications for membership (1)\n- Dilnoza Karimova" in text
    assert "Зарина" not in text
    assert "New requests for an expert" not in text
    assert smtp_sink.to(requests_only.email) == []
    assert MailPreference.objects.get(user=requests_only).notices_summarised_until == (
        tomorrow + datetime.timedelta(hours=1)
    )


def test_a_summary_lists_only_what_still_waits_and_nothing_goes_when_nothing_does(smtp_sink):
    decider = SecretariatFactory()
    applicant = _sign_up("zarina@example.tj")
    client = Client()
    client.force_login(decider)
    client.post(
        reverse("members:applications_decide"),
        {"profiles": [applicant.profile.pk], "decision": "approved", "note": ""},
    )
    assert notices_summaries_send_task() == 0
    assert OutboxMessage.objects.filter(kind="secretariat_notice").count() == 0


def test_a_russian_manager_receives_the_summary_in_russian(smtp_sink):
    manager = SecretariatFactory(first_name="Ольга", last_name="Чебан")
    manager.profile.mail_language = "ru"
    manager.profile.save(update_fields=["mail_language"])
    _sign_up("zarina@example.tj")
    requester = ProfileFactory(user__first_name="Aida", user__last_name="Bekova").user
    request = _ask_for_an_expert(requester)

    assert notices_summaries_send_task() == 1
    outbox_send_pending()
    [(subject, text)] = _notices_to(smtp_sink, manager)
    assert subject == "[MIRPAL] Что поступило в секретариат"
    assert "Уважаемый(-ая) Ольга Чебан!" in text
    assert "Новые заявки на членство (1)\n- Зарина Рахимова · Министерство" in text
    assert "Таджикистан" in text
    assert "Очередь: http://127.0.0.1:8000/members/applications/" in text
    assert f"Новые заявки на эксперта (1)\n- #{request.pk} Денежные переводы мигрантов" in text
    assert "Эта сводка приходит раз в день, если что-то поступило." in text


def test_the_choice_shows_only_to_managers_and_saves_through_the_page():
    manager = ManagerFactory()
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("mail_preferences")).content.decode()
    assert 'name="secretariat_notices"' in page
    assert "new applications for membership" in page
    data = form_values(page, "mail-preferences")
    assert data["secretariat_notices"] == "daily"
    saved = client.post(reverse("mail_preferences"), {**data, "secretariat_notices": "at_once"})
    assert saved.status_code == 302
    assert MailPreference.objects.get(user=manager).secretariat_notices == "at_once"
    russian = client.get(reverse("mail_preferences"), headers={"accept-language": "ru"})
    assert "Сразу: отдельное письмо о каждой" in russian.content.decode()

    member = ProfileFactory(status="approved").user
    client.force_login(member)
    page = client.get(reverse("mail_preferences")).content.decode()
    assert "secretariat_notices" not in page
    data = form_values(page, "mail-preferences")
    # A member who posts the field anyway changes nothing but what the page shows.
    client.post(reverse("mail_preferences"), {**data, "news": "", "secretariat_notices": "none"})
    saved = MailPreference.objects.get(user=member)
    assert (saved.news, saved.secretariat_notices) == (False, "daily")


def test_a_long_day_lists_twenty_and_counts_the_rest(smtp_sink):
    manager = _english(ManagerFactory())
    for number in range(notices.SUMMARY_ITEMS + 1):
        ProfileFactory(status="pending", user__first_name=f"P{number:02d}", user__last_name="X")

    assert notices_summaries_send_task() == 1
    outbox_send_pending()
    [(_subject, text)] = _notices_to(smtp_sink, manager)
    assert "New applications for membership (21)\n- P00 X" in text
    assert "- P19 X" in text
    assert "P20 X" not in text
    assert "and 1 more\nThe queue: http://127.0.0.1:8000/members/applications/" in text
