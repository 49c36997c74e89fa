import re

import pytest
from django.urls import reverse

from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

NINE = ["AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ"]


def figures(html: str) -> list[str]:
    """The home page's figures as a person reads them, tags and spacing aside."""
    block = re.search(r'<div class="figures">(.*?)</div>', html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", "", p).split()) for p in re.findall(r"<p>.*?</p>", block)]


def approved(count: int, countries: list[str]) -> None:
    for number in range(count):
        ProfileFactory(country=countries[number % len(countries)], user__verified_email=False)


def test_members_outside_the_nine_countries_do_not_add_a_country(client):
    approved(9, NINE)
    ProfileFactory(country="XX")
    ProfileFactory(country="UZ", status="pending")
    html = client.get(reverse("home")).content.decode()
    assert figures(html) == ["10 members", "9 countries"]


@pytest.mark.parametrize(
    ("members", "countries", "english", "russian"),
    [
        (1, ["KG"], ["1 member", "1 country"], ["1 участник", "1 страна"]),
        (3, NINE[:3], ["3 members", "3 countries"], ["3 участника", "3 страны"]),
        (5, NINE[:5], ["5 members", "5 countries"], ["5 участников", "5 стран"]),
        (293, NINE, ["293 members", "9 countries"], ["293 участника", "9 стран"]),
    ],
)
def test_figures_agree_with_their_number_in_both_languages(
    client, members, countries, english, russian
):
    approved(members, countries)
    assert figures(client.get(reverse("home")).content.decode()) == english
    russian_page = client.get(reverse("home"), headers={"accept-language": "ru"})
    assert figures(russian_page.content.decode()) == russian
