"""Errors answer with pages in the site's own look and language, with DEBUG off."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HEADINGS = {
    404: {"en": "Page not found", "ru": "Страница не найдена"},
    403: {"en": "No access to this page", "ru": "Нет доступа к этой странице"},
    500: {"en": "Something went wrong", "ru": "Что-то пошло не так"},
}


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False


def site_page(response) -> dict:
    """What shows that the answer is the site's own page: language, title, heading, header."""
    html = response.content.decode()
    return {
        "status": response.status_code,
        "lang": re.search(r'<html lang="([a-z]+)">', html).group(1),
        "title": re.search(r"<title>([^<]+)</title>", html).group(1),
        "h1": re.findall(r"<h1>([^<]+)</h1>", html),
        "header": '<header class="site-header">' in html and "/static/css/mirpal.css" in html,
    }


def expected(status: int, language: str) -> dict:
    heading = HEADINGS[status][language]
    return {
        "status": status,
        "lang": language,
        "title": f"{heading} · MIRPAL",
        "h1": [heading],
        "header": True,
    }


@pytest.mark.parametrize("language", ["en", "ru"])
def test_unknown_address_answers_with_the_site_404_page(client, language):
    response = client.get("/nonexistent/", headers={"accept-language": language})
    assert site_page(response) == expected(404, language)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_page_the_role_may_not_see_answers_with_the_site_403_page(client, editor, language):
    client.force_login(editor)
    response = client.get("/members/applications/", headers={"accept-language": language})
    assert site_page(response) == expected(403, language)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_failing_view_answers_with_the_site_500_page(settings, language):
    settings.ROOT_URLCONF = "tests.mirpal.urls_with_error"
    client = Client(raise_request_exception=False)
    response = client.get("/failing/", headers={"accept-language": language})
    assert site_page(response) == expected(500, language)
    # Without a request context the page leaves out what needs one.
    html = response.content.decode()
    assert ("language-switch" in html, "Times are shown in" in html) == (False, False)


def test_a_host_not_allowed_answers_400_with_the_site_page(settings):
    # Refused before AuthenticationMiddleware: the page renders for a request with no user.
    settings.ALLOWED_HOSTS = ["mirpal.example"]
    response = Client(HTTP_HOST="elsewhere.example").get("/")
    assert response.status_code == 400
    assert '<header class="site-header">' in response.content.decode()
