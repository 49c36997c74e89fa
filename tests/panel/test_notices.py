"""The panel's home counts what waits for the secretariat, and says whose address is confirmed."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories.members import ProfileFactory, UserFactory, staff_second_factor
from tests.factories.roster import ExpertFactory, ExpertRequestFactory

pytestmark = pytest.mark.django_db


def _applicant(email: str, *, confirmed: bool, first_name: str):
    profile = ProfileFactory(
        status="pending",
        user__email=email,
        user__first_name=first_name,
        user__last_name="Test",
        user__verified_email=False,
    )
    EmailAddress.objects.create(user=profile.user, email=email, verified=confirmed, primary=True)
    return profile


@pytest.mark.parametrize(
    ("language", "confirmed", "not_confirmed", "open_requests", "choose"),
    [
        (
            "en",
            "email confirmed",
            "email not confirmed",
            "4 open requests in all",
            "Choose whether new applications and expert requests are mailed to you",
        ),
        (
            "ru",
            "адрес подтверждён",
            "адрес не подтверждён",
            "Всего открытых заявок: 4",
            "Выбрать, присылать ли вам новые заявки",
        ),
    ],
)
def test_home_counts_what_waits_and_whose_address_is_confirmed(
    client, secretariat, language, confirmed, not_confirmed, open_requests, choose
):
    _applicant("aida@example.kg", confirmed=True, first_name="Aida")
    _applicant("timur@example.uz", confirmed=False, first_name="Timur")
    ProfileFactory(status="approved")
    expert = ExpertFactory()
    for status in ["new", "new", "in_review", "matched", "done", "declined"]:
        ExpertRequestFactory(
            status=status, matched_expert=expert if status in ("matched", "done") else None
        )
    client.force_login(secretariat)

    response = client.get(reverse("panel:home"), headers={"accept-language": language})

    waiting = response.context["waiting"]
    assert (waiting.applications, waiting.expert_requests, waiting.expert_requests_open) == (
        2,
        2,
        4,
    )
    page = response.content.decode()
    assert [confirmed in line for line in page.splitlines() if "Test <span" in line] == [
        True,
        False,
    ]
    assert f'<span class="badge approved">{confirmed}</span>' in page
    assert f'<span class="badge pending">{not_confirmed}</span>' in page
    assert open_requests in page
    assert choose in page


def test_home_hides_the_notice_choice_from_staff_who_receive_no_notice(client):
    staff = UserFactory(is_staff=True)
    staff_second_factor(staff)
    staff.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(staff)
    page = client.get(reverse("panel:home"))
    assert page.status_code == 200
    assert reverse("mail_preferences") not in page.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_applications_queue_says_whose_address_is_confirmed_in_the_same_queries(
    client, secretariat, django_assert_num_queries, count
):
    for number in range(count):
        _applicant(f"a{number}@example.kz", confirmed=number % 2 == 0, first_name=f"A{number}")
    client.force_login(secretariat)
    client.get(reverse("members:applications"))
    with django_assert_num_queries(3):
        response = client.get(reverse("members:applications"))
    page = response.content.decode()
    assert page.count('<span class="badge approved">email confirmed</span>') == (count + 1) // 2
    assert page.count('<span class="badge pending">email not confirmed</span>') == count // 2
