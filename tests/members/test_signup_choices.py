"""The application form asks for the country and the type of organisation; it guesses neither."""

import re

import pytest
from django.urls import reverse

from members.models import User
from tests.members.test_application_flow import application

pytestmark = pytest.mark.django_db


def selected(html: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of the options the browser shows as chosen in the <select name=...>."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select)
    chosen = [(value, label) for value, attrs, label in options if "selected" in attrs]
    return chosen or [(options[0][0], options[0][2])]


@pytest.mark.parametrize(
    ("language", "choose", "mail_language"),
    [("en", "— choose —", ("en", "English")), ("ru", "— выберите —", ("ru", "Русский"))],
)
def test_sign_up_page_starts_with_no_country_and_no_type(client, language, choose, mail_language):
    html = client.get(
        reverse("account_signup"), headers={"accept-language": language}
    ).content.decode()
    assert selected(html, "country") == [("", choose)]
    assert selected(html, "organisation_type") == [("", choose)]
    # Mail comes in the language the person is filling the form in, unless they change it.
    assert selected(html, "mail_language") == [mail_language]


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "en",
            {
                "country": ["Choose your country."],
                "organisation_type": ["Choose the type of your organisation."],
            },
        ),
        (
            "ru",
            {
                "country": ["Выберите вашу страну."],
                "organisation_type": ["Выберите тип вашей организации."],
            },
        ),
    ],
)
def test_an_application_without_country_or_type_is_refused_with_a_reason(
    client, language, messages
):
    response = client.post(
        reverse("account_signup"),
        application("nochoice@example.org", country="", organisation_type=""),
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {name: errors[name] for name in messages} == messages
    html = response.content.decode()
    for texts in messages.values():
        assert html.count(texts[0]) == 1
    assert User.objects.filter(email="nochoice@example.org").exists() is False


def test_profile_page_of_a_person_without_profile_guesses_no_country(client, secretariat):
    secretariat.profile.delete()
    client.force_login(User.objects.get(pk=secretariat.pk))
    html = client.get(reverse("members:profile_edit")).content.decode()
    assert selected(html, "country") == [("", "— choose —")]
    assert selected(html, "organisation_type") == [("", "— choose —")]
