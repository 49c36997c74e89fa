import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from members.models import MembershipDecision, Profile, User
from mirpal.models import Topic
from mirpal.outbox import outbox_send_pending
from tests.smtp import SmtpSink

PASSWORD = "Sunflower-Valley-2026"


def application(email: str, **overrides) -> dict:
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Зарина",
        "last_name": "Рахимова",
        "country": "TJ",
        "city": "Душанбе",
        "organisation": "Министерство труда, миграции и занятости",
        "organisation_type": "government",
        "position": "Главный специалист",
        "languages": ["ru", "tg"],
        "mail_language": "ru",
        "time_zone": "",
        "interests": [Topic.objects.get(slug="remittances").pk],
        "motivation": "Обмен опытом по оргнабору",
    }
    return data | overrides


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", SmtpSink.text(message)).group(0)


@pytest.mark.django_db
def test_applicant_signs_up_verifies_waits_and_is_approved(client, smtp_sink, secretariat):
    response = client.post(reverse("account_signup"), application("zarina@example.tj"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="zarina@example.tj")
    profile = user.profile
    assert (profile.status, profile.country, profile.time_zone) == (
        "pending",
        "TJ",
        "Asia/Dushanbe",
    )
    assert list(profile.interests.values_list("slug", flat=True)) == ["remittances"]
    assert EmailAddress.objects.get(user=user).verified is False

    assert outbox_send_pending() == {"sent": 1, "retry": 0, "failed": 0}
    [verification] = smtp_sink.to("zarina@example.tj")
    link = confirmation_link(verification)
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified is True

    status_page = client.get(reverse("members:account"))
    assert "has been received: the secretariat reviews" in status_page.content.decode()
    assert client.get(reverse("members:directory"))["Location"] == reverse("members:account")

    decider = client.__class__()
    decider.force_login(secretariat)
    queue = decider.get(reverse("members:applications"))
    assert "zarina@example.tj" in queue.content.decode()
    decided = decider.post(
        reverse("members:applications_decide"),
        {"profiles": [profile.pk], "decision": "approved", "note": "Добро пожаловать"},
    )
    assert decided.status_code == 302

    profile.refresh_from_db()
    assert profile.status == "approved"
    decision = MembershipDecision.objects.get(profile=profile)
    assert (decision.from_status, decision.to_status, decision.decided_by) == (
        "pending",
        "approved",
        secretariat,
    )
    smtp_sink.clear()
    assert outbox_send_pending()["sent"] == 1
    [approval] = smtp_sink.to("zarina@example.tj")
    assert SmtpSink.subject(approval) == "[MIRPAL] Ваша заявка на членство одобрена"
    assert "Добро пожаловать" in SmtpSink.text(approval)

    directory = client.get(reverse("members:directory"))
    assert directory.status_code == 200
    assert "Зарина Рахимова" in directory.content.decode()


@pytest.mark.django_db
def test_rejected_applicant_is_told_and_stays_outside(client, smtp_sink, secretariat, applicant):
    applicant.profile.mail_language = "en"
    applicant.profile.save()
    decider = client.__class__()
    decider.force_login(secretariat)

    decider.post(
        reverse("members:applications_decide"),
        {"profiles": [applicant.profile.pk], "decision": "rejected", "note": "Not a practitioner."},
    )

    applicant.profile.refresh_from_db()
    assert applicant.profile.status == "rejected"
    outbox_send_pending()
    [mail] = smtp_sink.to(applicant.email)
    assert SmtpSink.subject(mail) == "[MIRPAL] Your application"
    assert "Not a practitioner." in SmtpSink.text(mail)
    client.force_login(applicant)
    assert client.get(reverse("members:directory")).status_code == 302
    page = client.get(reverse("members:account")).content.decode()
    assert "could not accept your application" in page
    assert "Not a practitioner." in page


@pytest.mark.django_db
def test_bulk_decision_skips_memberships_that_do_not_allow_it(client, secretariat):
    from tests.factories.members import ProfileFactory

    waiting = ProfileFactory.create_batch(2, status="pending")
    already = ProfileFactory(status="approved")
    client.force_login(secretariat)

    response = client.post(
        reverse("members:applications_decide"),
        {"profiles": [p.pk for p in [*waiting, already]], "decision": "rejected"},
        follow=True,
    )

    statuses = dict(
        Profile.objects.filter(pk__in=[p.pk for p in [*waiting, already]]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        waiting[0].pk: "rejected",
        waiting[1].pk: "rejected",
        already.pk: "approved",
    }
    text = response.content.decode()
    assert "Decision recorded for 2 applicants." in text
    assert MembershipDecision.objects.filter(to_status="rejected").count() == 2


@pytest.mark.django_db
def test_decision_without_applicants_is_refused_with_a_message(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:applications_decide"), {"decision": "approved"}, follow=True
    )
    assert "Choose at least one applicant." in response.content.decode()
    assert MembershipDecision.objects.count() == 0


@pytest.mark.django_db
def test_member_cannot_decide(client, member, applicant):
    client.force_login(member)
    response = client.post(
        reverse("members:applications_decide"),
        {"profiles": [applicant.profile.pk], "decision": "approved"},
    )
    assert response.status_code == 403
    applicant.profile.refresh_from_db()
    assert applicant.profile.status == "pending"


@pytest.mark.django_db
def test_signup_with_bad_input_saves_nothing(client):
    response = client.post(
        reverse("account_signup"),
        application("bad@example.org", country="FR", organisation="", password2="different"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"country", "organisation", "password2"}
    assert User.objects.filter(email="bad@example.org").exists() is False
    assert Profile.objects.count() == 0


@pytest.mark.django_db
def test_decision_mail_escapes_html_but_keeps_plain_text_as_written(client, smtp_sink, secretariat):
    from tests.factories.members import ProfileFactory, UserFactory

    profile = ProfileFactory(
        status="pending", user=UserFactory(first_name="<b>O'Neil</b>", last_name="Smith")
    )
    client.force_login(secretariat)
    client.post(
        reverse("members:applications_decide"),
        {"profiles": [profile.pk], "decision": "approved", "note": "Welcome & <script>"},
    )
    outbox_send_pending()
    [mail] = smtp_sink.to(profile.user.email)
    assert "Dear <b>O'Neil</b> Smith," in SmtpSink.text(mail)
    assert "Welcome & <script>" in SmtpSink.text(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;O&#x27;Neil&lt;/b&gt;" in html
    assert "Welcome &amp; &lt;script&gt;" in html
