"""Malformed input answered 400 with the reason, where it used to answer 500: NUL characters and
broken UTF-8 in addresses, query strings and forms; lookups in the admin that overflow; JSON
nested deeper than the parser can go."""

import re

import pytest
from django.test import Client

from library.models import Document
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.library import DocumentFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
NUL_IN_QUERY = "The query string contains a NUL character, which is not allowed."


def answer(response) -> tuple[int, str, str]:
    """Status, type and the reason the page gives (its paragraph under the heading)."""
    page = response.content.decode()
    reason = re.search(r'<section class="hero error-page">\s*<h1>[^<]*</h1>\s*<p>([^<]*)</p>', page)
    return response.status_code, response["Content-Type"], reason.group(1) if reason else page


@pytest.mark.parametrize(
    "url",
    [
        "/api/widget/events/?topic=%00",
        "/api/widget/events/?lang=ru&topic=migration%00",
        "/api/feeds/events.ics?topic=%00",
    ],
)
def test_nul_in_the_widget_and_public_feed_query_is_a_400(url):
    assert Client().get(url).json() == {"detail": NUL_IN_QUERY}
    assert Client().get(url).status_code == 400


def test_nul_in_the_personal_feed_token_is_a_400(member):
    RegistrationFactory(event=EventFactory(), user=member)
    assert answer(Client().get("/events/feed/%00.ics")) == (
        400,
        "text/html; charset=utf-8",
        "The address of the page contains a NUL character, which is not allowed.",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/events/?q=%ff%fe", "The query string is not valid UTF-8 text."),
        ("/library/?q=report%00", NUL_IN_QUERY),
        ("/events/%ff%fe/", "The address of the page is not valid UTF-8 text."),
    ],
)
def test_broken_text_in_a_page_address_is_a_400_with_the_reason(url, message):
    assert answer(Client().get(url)) == (400, "text/html; charset=utf-8", message)


def test_the_reason_is_given_in_the_visitors_language():
    client = Client()
    client.cookies["mirpal_language"] = "ru"
    assert answer(client.get("/events/?q=%00")) == (
        400,
        "text/html; charset=utf-8",
        "Параметры запроса содержат недопустимый символ NUL.",
    )


def test_text_that_is_utf8_passes(member):
    # "миграция", percent-encoded as a browser sends it.
    response = Client().get("/library/?q=%D0%BC%D0%B8%D0%B3%D1%80%D0%B0%D1%86%D0%B8%D1%8F")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            "login=a%00b&password=x",
            "application/x-www-form-urlencoded",
            "The submitted form contains a NUL character, which is not allowed.",
        ),
        (
            "login=%ff%fe&password=x",
            "application/x-www-form-urlencoded",
            "The submitted form is not valid UTF-8 text.",
        ),
    ],
)
def test_broken_text_in_a_submitted_form_is_a_400(body, content_type, message):
    response = Client().post("/accounts/login/", body, content_type=content_type)
    assert answer(response) == (400, "text/html; charset=utf-8", message)


def test_nul_in_a_multipart_form_is_a_400():
    response = Client().post("/accounts/login/", {"login": "a\x00b", "password": "x"})
    assert answer(response) == (
        400,
        "text/html; charset=utf-8",
        "The submitted form contains a NUL character, which is not allowed.",
    )


# --- The admin


@pytest.mark.parametrize(
    "query",
    [
        f"published_on__year={HUGE}",
        f"published_on__year=-{HUGE}",
        f"created_at__year={HUGE}",
    ],
)
def test_admin_lookup_that_overflows_is_a_400_and_the_list_still_works(secretariat, query):
    DocumentFactory(title_en="Remittances in 2024")
    client = Client()
    client.force_login(secretariat)
    url = "/secretariat/admin/library/document/"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "A value in the address or in the form is out of range or not valid (for example a year"
        " with too many digits), so this page cannot be shown." in html
    )
    assert f'<a href="{url}">Show the list without filters</a>' in html
    # The failed query was rolled back to its savepoint: the next one runs.
    listed = client.get(url)
    assert [document.title_en for document in listed.context["cl"].result_list] == [
        "Remittances in 2024"
    ]
    assert Document.objects.count() == 1


@pytest.mark.parametrize("query", ["published_on__exact=never", "published_on__year=10000"])
def test_admin_lookup_django_already_refuses_still_redirects(secretariat, query):
    client = Client()
    client.force_login(secretariat)
    response = client.get(f"/secretariat/admin/library/document/?{query}")
    assert (response.status_code, response["Location"]) == (
        302,
        "/secretariat/admin/library/document/?e=1",
    )


# --- The API


def test_json_nested_50000_deep_is_a_400_parse_error(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/api/v1/me/registrations/",
        "[" * 50_000 + "]" * 50_000,
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error: the data is nested too deeply."},
    )


def test_json_an_api_client_sends_still_parses(member):
    event = EventFactory()
    client = Client()
    client.force_login(member)
    response = client.post(
        "/api/v1/me/registrations/", {"event": event.slug}, content_type="application/json"
    )
    assert (response.status_code, response.json()["event"]["slug"]) == (201, event.slug)


def test_a_multipart_form_without_a_boundary_is_a_400():
    response = Client().post("/accounts/login/", b"login=a", content_type="multipart/form-data")
    assert answer(response) == (
        400,
        "text/html; charset=utf-8",
        "The submitted form cannot be read: its multipart encoding is broken.",
    )


def test_a_multipart_body_without_a_boundary_is_a_400_in_the_api(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/api/v1/me/registrations/", b'{"event": "0"}', content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The submitted form cannot be read: its multipart encoding is broken."
    }
