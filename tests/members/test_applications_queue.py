"""The queue tells the secretariat whose email address is confirmed, and what approval means for
someone whose address is not."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mirpal.outbox import outbox_send_pending
from tests.factories.members import PASSWORD, ProfileFactory
from tests.members.test_application_flow import confirmation_link

pytestmark = pytest.mark.django_db


def pending(email: str, *, confirmed: bool, first_name: str, last_name: str):
    profile = ProfileFactory(
        status="pending",
        user__email=email,
        user__first_name=first_name,
        user__last_name=last_name,
        user__verified_email=False,
    )
    EmailAddress.objects.create(user=profile.user, email=email, verified=confirmed, primary=True)
    return profile


def email_badges(html: str) -> dict[str, str]:
    """Each applicant's address with the badge beside it, as the queue shows them."""
    return dict(
        re.findall(
            r'<span class="muted applicant-email">([^<]+)</span> '
            r'<span class="badge [a-z]+">([^<]+)</span>',
            html,
        )
    )


@pytest.mark.parametrize(
    ("language", "confirmed", "not_confirmed"),
    [
        ("en", "email confirmed", "email not confirmed"),
        ("ru", "адрес подтверждён", "адрес не подтверждён"),
    ],
)
def test_queue_shows_whether_each_address_is_confirmed(
    client, secretariat, language, confirmed, not_confirmed
):
    pending("aida@example.kg", confirmed=True, first_name="Aida", last_name="Bekova")
    pending("timur@example.uz", confirmed=False, first_name="Timur", last_name="Aliev")
    client.force_login(secretariat)
    html = client.get(
        reverse("members:applications"), headers={"accept-language": language}
    ).content.decode()
    assert email_badges(html) == {
        "aida@example.kg": confirmed,
        "timur@example.uz": not_confirmed,
    }


def test_admin_list_of_profiles_shows_whether_the_address_is_confirmed(client, secretariat):
    pending("aida@example.kg", confirmed=True, first_name="Aida", last_name="Bekova")
    pending("timur@example.uz", confirmed=False, first_name="Timur", last_name="Aliev")
    client.force_login(secretariat)
    response = client.get(reverse("admin:members_profile_changelist") + "?status__exact=pending")
    html = response.content.decode()
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    shown = {
        re.search(r"Aida Bekova|Timur Aliev", row).group(0): re.search(
            r'alt="(True|False)"', row
        ).group(1)
        for row in rows
        if re.search(r"Aida Bekova|Timur Aliev", row)
    }
    assert shown == {"Aida Bekova": "True", "Timur Aliev": "False"}
    assert "Email confirmed" in html


def test_approving_an_unconfirmed_applicant_says_what_follows_and_it_holds(
    client, secretariat, smtp_sink
):
    profile = pending("timur@example.uz", confirmed=False, first_name="Timur", last_name="Aliev")
    ready = pending("aida@example.kg", confirmed=True, first_name="Aida", last_name="Bekova")
    client.force_login(secretariat)
    response = client.post(
        reverse("members:applications_decide"),
        {"profiles": [profile.pk, ready.pk], "decision": "approved"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Decision recorded for 2 applicants.",
        "Email address not confirmed yet: Timur Aliev. They will be able to sign in after "
        "confirming it; when they try to sign in, they receive a new confirmation link.",
    ]
    profile.refresh_from_db()
    assert profile.status == "approved"

    # What the message promises: signing in sends a new link, and once confirmed they are in.
    applicant = client.__class__()
    outbox_send_pending()
    smtp_sink.clear()
    attempt = applicant.post(
        reverse("account_login"), {"login": "timur@example.uz", "password": PASSWORD}
    )
    assert attempt["Location"] == reverse("account_email_verification_sent")
    outbox_send_pending()
    [mail] = smtp_sink.to("timur@example.uz")
    applicant.post(confirmation_link(mail))
    assert applicant.get(reverse("members:directory")).status_code == 200


def test_approving_unconfirmed_applicants_in_russian(client, secretariat):
    first = pending("a@example.org", confirmed=False, first_name="Айгуль", last_name="Сеитова")
    second = pending("b@example.org", confirmed=False, first_name="Ион", last_name="Русу")
    client.force_login(secretariat)
    response = client.post(
        reverse("members:applications_decide"),
        {"profiles": [first.pk, second.pk], "decision": "approved"},
        headers={"accept-language": "ru"},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]][1] == (
        "Адреса электронной почты ещё не подтверждены: Ион Русу, Айгуль Сеитова. Войти они "
        "смогут после подтверждения адреса; при попытке входа им придёт новая ссылка для "
        "подтверждения."
    )


def test_rejecting_an_unconfirmed_applicant_adds_no_warning(client, secretariat):
    profile = pending("timur@example.uz", confirmed=False, first_name="Timur", last_name="Aliev")
    client.force_login(secretariat)
    response = client.post(
        reverse("members:applications_decide"),
        {"profiles": [profile.pk], "decision": "rejected"},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Decision recorded for 1 applicant."
    ]


def test_a_verified_second_address_does_not_confirm_the_one_used_to_sign_in(client, secretariat):
    profile = pending("timur@example.uz", confirmed=False, first_name="Timur", last_name="Aliev")
    EmailAddress.objects.create(user=profile.user, email="timur@work.example", verified=True)
    pending("aida@example.kg", confirmed=True, first_name="Aida", last_name="Bekova")
    client.force_login(secretariat)
    html = client.get(reverse("members:applications")).content.decode()
    assert email_badges(html) == {
        "aida@example.kg": "email confirmed",
        "timur@example.uz": "email not confirmed",
    }


def test_the_queue_asks_as_many_queries_for_thirty_applicants_as_for_one(client, secretariat):
    client.force_login(secretariat)
    client.get(reverse("members:applications"))  # what the first page of a session pays

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("members:applications"))
        assert page.status_code == 200
        return len(captured)

    pending("one@example.org", confirmed=True, first_name="Ана", last_name="Первая")
    one = queries()
    for number in range(29):
        pending(f"p{number}@example.org", confirmed=number % 2 == 0, first_name="A", last_name="B")
    assert queries() == one
