"""The call's closing reminder: PROGRAMME_CALL_REMINDER_DAYS before an open call closes, every
approved member who accepts news and calls from the secretariat is mailed once, in their
language, with their supports left; a second run mails no one again."""

import datetime
import zoneinfo

import pytest
from django.utils import dateformat, timezone, translation

from members.models import User
from mirpal.models import MailPreference, OutboxMessage
from mirpal.outbox import outbox_send_pending
from programme.tasks import call_reminders_send_task
from tests.factories.programme import CallFactory, ProposalFactory, SupportFactory
from tests.programme.proposal_world import person
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def _closing(closes, zone: str, language: str) -> str:
    """The closing time as the mail writes it: in the member's zone and language."""
    with translation.override(language):
        return dateformat.format(closes.astimezone(zoneinfo.ZoneInfo(zone)), "j E Y, H:i")


def test_members_are_reminded_once_in_their_language(smtp_sink, applicant):
    now = timezone.now()
    closes = (now + datetime.timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    call = CallFactory(closes_at=closes)
    later = CallFactory(closes_at=now + datetime.timedelta(days=20))
    english = person("Ion", "Rusu", country="MD", time_zone="Europe/Chisinau")
    russian = person("Айгуль", "Сатпаева", language="ru", time_zone="Asia/Almaty")
    no_news = person("Mark", "Quiet")
    MailPreference.objects.create(user=no_news, news=False)
    suspended = person("Olga", "Lapsed", status="suspended")
    for _ in range(2):
        SupportFactory(proposal=ProposalFactory(call=call), user=english)
    # Every approved, active member (the proposals' authors and supporters too) but the one
    # who turned news off.
    expected = set(
        User.objects.filter(is_active=True, profile__status="approved").values_list("pk", flat=True)
    ) - {no_news.pk}

    queued = call_reminders_send_task()

    assert queued == len(expected)
    assert set(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == {
        f"programme:call-reminder:{call.pk}:{user_id}" for user_id in expected
    }
    assert {english.pk, russian.pk} <= expected
    assert not {no_news.pk, suspended.pk, applicant.pk} & expected
    call.refresh_from_db()
    later.refresh_from_db()
    assert call.reminder_sent_at is not None
    assert later.reminder_sent_at is None

    outbox_send_pending()
    [mail] = smtp_sink.to(english.email)
    with translation.override("en"):
        day_month = dateformat.format(
            closes.astimezone(zoneinfo.ZoneInfo("Europe/Chisinau")), "j E"
        )
    assert SmtpSink.subject(mail) == (
        f"[MIRPAL] Proposals for {call.year}: the call closes on {day_month}"
    )
    text = SmtpSink.text(mail)
    assert "Dear Ion Rusu," in text
    assert (
        f"The call for proposals for the {call.year} work programme closes on "
        f"{_closing(closes, 'Europe/Chisinau', 'en')}." in text
    )
    assert "You have 3 supports left of 5." in text
    assert f"http://127.0.0.1:8000/programme/proposals/?year={call.year}" in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    [in_russian] = smtp_sink.to(russian.email)
    html = in_russian.get_body(preferencelist=("html",)).get_content()
    assert html.startswith('<!DOCTYPE html><html lang="ru">')
    # In Almaty's time, the month in Russian (Django's own catalogue).
    assert _closing(closes, "Asia/Almaty", "ru") in SmtpSink.text(in_russian)
    for nobody in (no_news, suspended, applicant):
        assert smtp_sink.to(nobody.email) == []

    # A second run: nothing more.
    assert call_reminders_send_task() == 0
    assert OutboxMessage.objects.count() == len(expected)


def test_no_reminder_before_its_days_nor_after_the_close(settings):
    settings.PROGRAMME_CALL_REMINDER_DAYS = 3
    now = timezone.now()
    person("Ion", "Rusu")
    CallFactory(closes_at=now + datetime.timedelta(days=4))
    closed = CallFactory(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(hours=1)
    )
    assert call_reminders_send_task() == 0
    assert OutboxMessage.objects.count() == 0
    closed.refresh_from_db()
    assert closed.reminder_sent_at is None
