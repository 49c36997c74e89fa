"""The secretariat hears of a proposed case: a reviewer who chose it at once gets one mail with
the links to the case and the queue; one who chose the daily summary finds it there; the
proposer and staff without the review right are never told."""

import pytest

from mirpal.outbox import outbox_send_pending
from mirpal.preferences import mail_preference_update
from practices.models import Case
from tests.factories.members import EditorFactory, ManagerFactory, ProfileFactory
from tests.practices.review_support import RUSSIAN_CASE, propose, signed_in
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def _reviewer(choice: str, **names):
    user = EditorFactory(**names)
    user.profile.mail_language = "en"
    user.profile.save(update_fields=["mail_language"])
    mail_preference_update(user=user, secretariat_notices=choice)
    return user


def test_a_proposed_case_is_mailed_to_the_reviewers_once(smtp_sink):
    reviewer = _reviewer("at_once", first_name="Olga", last_name="Ceban")
    daily = _reviewer("daily")
    manager = ManagerFactory()  # may not review cases: never told
    mail_preference_update(user=manager, secretariat_notices="at_once")
    member = ProfileFactory(
        user__first_name="Айбек", user__last_name="Осмонов", mail_language="ru"
    ).user

    response = propose(signed_in(member, "ru"), **RUSSIAN_CASE)

    assert response.status_code == 302
    case = Case.objects.get()
    assert outbox_send_pending()["sent"] == 2  # the proposer's receipt and the reviewer's notice
    [notice] = smtp_sink.to(reviewer.email)
    text = SmtpSink.text(notice).replace("\r\n", "\n")
    assert SmtpSink.subject(notice) == (
        "[MIRPAL] A good-practice case to review: "
        "Оргнабор через Государственное агентство занятости"
    )
    assert "Dear Olga Ceban," in text
    assert "Айбек Осмонов proposed the good-practice case" in text
    assert "(Kazakhstan, Kyrgyz Republic)" in " ".join(text.split()), text
    assert f"/secretariat/admin/practices/case/{case.pk}/change/" in text
    assert "/secretariat/admin/practices/case/?review_state__exact=submitted" in text
    for other in (daily, manager, member):
        assert [
            SmtpSink.subject(m)
            for m in smtp_sink.to(other.email)
            if "review" in SmtpSink.subject(m)
        ] == []


def test_the_daily_summary_lists_the_cases_waiting(smtp_sink):
    from members.notices import notices_summaries_send

    daily = _reviewer("daily")
    response = propose(
        signed_in(ProfileFactory().user),
        title_en="Seasonal work through public agencies",
        measure_en="Only licensed agencies recruit.",
    )
    assert response.status_code == 302
    outbox_send_pending()

    assert notices_summaries_send() == 1
    outbox_send_pending()
    [summary] = smtp_sink.to(daily.email)
    text = SmtpSink.text(summary).replace("\r\n", "\n")
    assert "Good-practice cases waiting for review" in text
    assert "Seasonal work through public agencies" in text
