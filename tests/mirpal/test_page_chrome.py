"""base.html's header and footer are rendered once per process for what they depend on
(mirpal/templatetags/chrome.py): each page still shows the viewer's own, in their language,
with its own CSRF token and address."""

from __future__ import annotations

import re

import pytest
from django.test import Client
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
        assert ("My account" in english, "Личный кабинет" in english) == (True, False)
        assert ("My account" in russian, "Личный кабинет" in russian) == (False, True)
        assert "Times are shown in Asia/Almaty." in english
        assert "Время указано по часовому поясу Asia/Almaty." in russian
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
        assert ("Log in" in anonymous, "My account" in anonymous) == (True, False)
        assert ("Log in" in member_page, "My account" in member_page) == (False, True)
        assert (panel in member_page, panel in staff_page) == (False, True)
        assert "Times are shown in Asia/Bishkek." in member_page
        assert "Times are shown in Europe/Moscow." in staff_page
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
