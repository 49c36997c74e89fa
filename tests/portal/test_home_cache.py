"""The home page's figures come from a cache shared by every visitor of one language: an
application approved shows on the next request, and a cached page asks the database nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.members import ProfileFactory, UserFactory
from tests.members.signing_in import post_form, staff_signed_in

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def figures(response) -> list[str]:
    block = re.search(r'<div class="figures">(.*?)</div>', response.content.decode(), re.S)[1]
    return [" ".join(re.sub(r"<[^>]+>", "", p).split()) for p in re.findall(r"<p>.*?</p>", block)]


def test_an_application_approved_shows_in_the_figures_on_the_next_request(secretariat):
    for country in ("KG", "TJ"):
        ProfileFactory(country=country)
    applicant = ProfileFactory(status="pending", country="UZ", user=UserFactory())
    visitor = Client()
    # The secretariat's own profile counts too (Russia).
    assert figures(visitor.get(HOME)) == ["3 members", "3 countries"]
    assert figures(visitor.get(HOME)) == ["3 members", "3 countries"]

    staff = staff_signed_in(secretariat)
    decided = post_form(
        staff, reverse("members:applications"), {"profiles": [applicant.pk], "decision": "approved"}
    )
    assert decided["Location"] == reverse("members:applications")

    assert figures(visitor.get(HOME)) == ["4 members", "4 countries"]
    assert figures(visitor.get(HOME, headers={"accept-language": "ru"})) == [
        "4 участника",
        "4 страны",
    ]


@pytest.mark.parametrize("count", [1, 30])
def test_a_second_visit_asks_the_database_nothing(count, django_assert_num_queries):
    for _number in range(count):
        ProfileFactory(country="AM")
    visitor = Client()
    with django_assert_num_queries(1):
        first = visitor.get(HOME)
    with django_assert_num_queries(0):
        second = visitor.get(HOME)
    assert (
        figures(first)
        == figures(second)
        == [f"{count} members" if count > 1 else "1 member", "1 country"]
    )


def test_the_buttons_follow_the_viewer_while_the_figures_are_shared(member):
    anonymous = Client().get(HOME).content.decode()
    signed_in = Client()
    signed_in.force_login(member)
    page = signed_in.get(HOME).content.decode()
    assert "Apply to join the network" in anonymous
    assert "Apply to join the network" not in page
    assert (
        re.search(r'<div class="figures">.*?</div>', anonymous, re.S)[0]
        == re.search(r'<div class="figures">.*?</div>', page, re.S)[0]
    )
