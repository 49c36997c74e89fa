"""base.html's header and footer are rendered once per process for what they depend on
(mirpal/templatetags/chrome.py): each page still shows the viewer's own, in their language,
with its own CSRF token and address."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories.members import ProfileFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


def current_sections(html: str) -> list[str]:
    navigation = re.search(r'<nav class="site-nav".*?</nav>', html, re.DOTALL).group(0)
    return re.findall(r'<a href="([^"]+)" aria-current="page">', navigation)


def csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_section_is_marked_current_on_its_own_pages():
    client = signed_in(ProfileFactory(status="approved").user)
    pages = {
        reverse("events:list"): [reverse("events:list")],
        reverse("members:experts"): [reverse("members:experts")],
        reverse("members:directory"): [reverse("members:directory")],
        reverse("about"): [reverse("about")],
        reverse("members:account"): [reverse("members:directory")],
        reverse("home"): [],
    }
    for _ in range(2):  # rendered, then remembered
        for path, current in pages.items():
            assert current_sections(client.get(path).content.decode()) == current, path


def test_the_chrome_follows_the_language_of_each_request():
    client = signed_in(ProfileFactory(status="approved", time_zone="Asia/Almaty").user)
    for _ in range(2):
        english = client.get(reverse("about"), headers={"accept-language": "en"}).content.decode()
        russian = client.get(reverse("about"), headers={"accept-language": "ru"}).content.decode()
        assert ("My MIRPAL" in english, "Мой MIRPAL" in english) == (True, False)
        assert ("My MIRPAL" in russian, "Мой MIRPAL" in russian) == (False, True)
        assert "<summary>Menu</summary>" in english
        assert "<summary>Меню</summary>" in russian
        assert "Times are shown in Astana and Almaty time, UTC+5." in english
        assert "Часовой пояс: время Астаны и Алматы, UTC+5." in russian
        assert '<a href="/privacy/">Privacy notice</a>' in english
        assert '<a href="/privacy/">Уведомление о конфиденциальности</a>' in russian
        assert 'lang="ru"' in english
        assert 'lang="en"' in russian


def test_visitors_members_and_the_secretariat_each_see_their_own_links():
    panel = reverse("panel:home")
    anonymous = Client().get(reverse("about")).content.decode()
    member = signed_in(ProfileFactory(status="approved", time_zone="Asia/Bishkek").user)
    staff = signed_in(SecretariatFactory())
    for _ in range(2):
        member_page = member.get(reverse("about")).content.decode()
        staff_page = staff.get(reverse("about")).content.decode()
        assert ("Log in" in anonymous, "My MIRPAL" in anonymous) == (True, False)
        assert ("Log in" in member_page, "My MIRPAL" in member_page) == (False, True)
        assert (panel in member_page, panel in staff_page) == (False, True)
        assert "Times are shown in Bishkek time, UTC+6." in member_page
        assert "Times are shown in Moscow time, UTC+3." in staff_page
    assert "Log in" in Client().get(reverse("about")).content.decode()


def test_each_page_carries_its_own_csrf_token_and_address():
    first = signed_in(ProfileFactory(status="approved").user)
    second = signed_in(ProfileFactory(status="approved").user)
    one = first.get(reverse("events:list") + "?when=past").content.decode()
    other = second.get(reverse("about")).content.decode()
    assert csrf_tokens(one)
    assert csrf_tokens(other)
    assert not csrf_tokens(one) & csrf_tokens(other)
    assert 'name="next" type="hidden" value="/events/?when=past"' in one
    assert 'name="next" type="hidden" value="/about/"' in other


def test_the_language_switch_and_log_out_work_with_the_token_the_page_gave():
    client = Client(enforce_csrf_checks=True)
    client.force_login(ProfileFactory(status="approved").user)
    page = client.get(reverse("about") + "?tab=1").content.decode()
    (token,) = csrf_tokens(page)

    switched = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": token, "language": "ru", "next": "/about/?tab=1"},
    )
    assert (switched.status_code, switched["Location"]) == (302, "/about/?tab=1")
    assert 'lang="ru"' in client.get(reverse("about")).content.decode()

    token = csrf_tokens(client.get(reverse("about")).content.decode()).pop()
    logged_out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert logged_out.status_code == 302
    assert "Войти" in Client().get(reverse("about"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_the_address_is_escaped_and_never_taken_for_a_mark(client):
    def next_field(path: str) -> str:
        page = client.get(path).content.decode()
        assert len(csrf_tokens(page)) == 1
        return re.findall(r'<input name="next" type="hidden" value="([^"]*)">', page)[0]

    search = reverse("library:search")
    assert next_field(search + "?q=chrome-live-csrf-token") == search + "?q=chrome-live-csrf-token"
    assert next_field(search + "?q=chrome-live-full-path") == search + "?q=chrome-live-full-path"
    # Sent raw, as a crafted link might: quoted in the address, escaped in the attribute.
    request = client.get(search, QUERY_STRING='q="x&y=<b>')
    assert 'value="/library/search/?q=%22x&amp;y=%3Cb%3E"' in request.content.decode()


def menu_links(html: str) -> list[str]:
    """The addresses the phone's "Menu" disclosure holds, in order."""
    menu = re.search(r'<details class="site-menu">.*?</details>', html, re.DOTALL).group(0)
    return re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)"', menu)


def test_the_menu_holds_every_link_of_the_header_as_a_plain_list():
    sections = [
        reverse(name)
        for name in (
            "events:list",
            "library:index",
            "exchange:list",
            "practices:list",
            "programme:current",
            "members:experts",
        )
    ]
    sections += [reverse("members:directory"), reverse("about")]
    member = signed_in(ProfileFactory(status="approved").user)
    staff = signed_in(SecretariatFactory())
    for _ in range(2):
        anonymous = Client().get(reverse("about")).content.decode()
        assert menu_links(anonymous) == [
            *sections,
            reverse("account_login"),
            reverse("account_signup"),
        ]
        assert menu_links(member.get(reverse("about")).content.decode()) == [
            *sections,
            reverse("my_mirpal"),
        ]
        assert menu_links(staff.get(reverse("about")).content.decode()) == [
            *sections,
            reverse("my_mirpal"),
            reverse("panel:home"),
        ]
    # "My MIRPAL" leads to the member's page, which reaches the account page.
    assert member.get(reverse("my_mirpal")).status_code == 200


def test_the_footer_gives_the_secretariat_s_address_privacy_notice_and_terms(client):
    def footer(html: str) -> str:
        return re.search(r'<footer class="site-footer">.*?</footer>', html, re.DOTALL).group(0)

    page = footer(client.get(reverse("about")).content.decode())
    assert re.findall(r'<a href="([^"]+)">', page) == [
        "mailto:secretariat@mirpal.example",
        reverse("privacy"),
        reverse("terms"),
    ]
    assert client.get(reverse("privacy")).status_code == 200
    assert client.get(reverse("terms")).status_code == 200
    # The address is part of what the memoised footer is keyed on.
    with override_settings(SECRETARIAT_CONTACT_EMAIL="office@mirpal.example"):
        page = footer(client.get(reverse("about")).content.decode())
    assert '<a href="mailto:office@mirpal.example">office@mirpal.example</a>' in page
