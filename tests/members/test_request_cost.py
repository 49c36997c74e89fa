"""What a signed-in request costs before its page does anything: the session from the cache, the
user and their profile in one query, the permission sets from the cache (invalidated by any
change to groups and permissions, made here through the admin's forms), base.html without
queries of its own."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from members.permissions import DECIDE_MEMBERSHIP
from mirpal.roles import EDITOR_GROUP, SECRETARIAT_GROUP
from tests.factories.members import (
    PASSWORD,
    ProfileFactory,
    SecretariatFactory,
    SuperuserFactory,
    UserFactory,
)
from tests.members.signing_in import browser, post_form
from tests.members.test_privileges import form_of

pytestmark = pytest.mark.django_db

# A page with nothing but base.html around a few paragraphs.
SIMPLE_PAGE = "/about/"
APPLICATIONS = "/members/applications/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def store_prefix() -> str:
    return import_module(settings.SESSION_ENGINE).SessionStore.cache_key_prefix


def cached_session_key(client: Client) -> str:
    return store_prefix() + client.cookies[settings.SESSION_COOKIE_NAME].value


def session_cache():
    return caches[settings.SESSION_CACHE_ALIAS]


# --- One query per signed-in request.


def test_a_members_simple_page_costs_one_query_the_user_with_their_profile(
    django_assert_num_queries,
):
    member = ProfileFactory(status="approved", time_zone="Asia/Tashkent").user
    client = signed_in(member)
    for _ in range(2):  # the first request after signing in, and any other
        with django_assert_num_queries(1):
            page = client.get(SIMPLE_PAGE)
        html = page.content.decode()
        assert page.status_code == 200
        # The chrome drew on the user (signed in), the profile (their zone) and the
        # permissions (no secretariat link) without a query of its own.
        assert "Log out" in html
        assert "Times are shown in Tashkent time, UTC+5." in html
        assert reverse("panel:home") not in html


def test_a_staff_account_pays_for_its_permissions_once_then_one_query_per_request(
    django_assert_num_queries,
):
    client = signed_in(SecretariatFactory())
    # The user, their permissions, their second factor; both remembered in the cache.
    with django_assert_num_queries(3):
        assert client.get(SIMPLE_PAGE).status_code == 200
    with django_assert_num_queries(1):
        page = client.get(SIMPLE_PAGE)
    assert reverse("panel:home") in page.content.decode()


def test_an_account_without_a_profile_costs_one_query_too(django_assert_num_queries):
    client = signed_in(UserFactory())
    with django_assert_num_queries(1):
        page = client.get(SIMPLE_PAGE)
    assert page.status_code == 200
    assert "My MIRPAL" in page.content.decode()


def test_the_account_page_shows_the_profile_read_with_the_user(django_assert_num_queries):
    member = ProfileFactory(status="approved", organisation="Ministry of Labour").user
    client = signed_in(member)
    # The user with the profile, then the page's own: the latest membership decisions.
    with django_assert_num_queries(2):
        page = client.get(reverse("members:account"))
    assert page.status_code == 200
    assert "Ministry of Labour" in page.content.decode()


# --- Sessions in the cache, kept in the database too.


def test_a_session_outlives_a_cleared_cache():
    member = ProfileFactory(status="approved").user
    client = signed_in(member)
    session_cache().clear()
    assert client.get(reverse("members:account")).status_code == 200


def test_logging_in_gives_a_new_session_and_logging_out_ends_it_in_the_cache_too():
    member = ProfileFactory(status="approved").user
    client = browser()
    login = client.get(reverse("account_login"))
    anonymous_key = client.session.session_key  # the visitor's session before signing in
    response = post_form(
        client, reverse("account_login"), {"login": member.email, "password": PASSWORD}, page=login
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key != anonymous_key
    assert session_cache().get(cached_session_key(client)) is not None
    other_tab = Client()
    other_tab.cookies[settings.SESSION_COOKIE_NAME] = key
    assert other_tab.get(reverse("members:account")).status_code == 200

    page = client.get(reverse("members:account"))
    logout = post_form(
        client, reverse("account_logout"), {}, page=client.get(reverse("account_logout"))
    )

    assert logout.status_code == 302
    assert page.status_code == 200
    assert session_cache().get(store_prefix() + key) is None
    assert other_tab.get(reverse("members:account")).status_code == 302


def test_closing_the_account_removes_its_sessions_from_the_cache():
    member = ProfileFactory(status="approved").user
    phone, laptop = signed_in(member), signed_in(member)
    keys = [cached_session_key(phone), cached_session_key(laptop)]
    assert all(session_cache().get(key) is not None for key in keys)

    response = post_form(
        laptop, reverse("members:account_close"), {"password": PASSWORD, "confirm": "on"}
    )

    assert response.status_code == 302
    assert [session_cache().get(key) for key in keys] == [None, None]
    assert phone.get(reverse("members:account")).status_code == 302


# --- Permission sets in the cache, changed through the admin.


def admin_form(client: Client, url: str, form_id: str) -> dict:
    return form_of(client.get(url), form_id)


def test_a_permission_taken_from_a_group_in_the_admin_closes_the_page_at_the_next_request():
    secretariat = SecretariatFactory()
    staff = signed_in(secretariat)
    assert staff.get(APPLICATIONS).status_code == 200  # the permissions are in the cache now
    superuser = signed_in(SuperuserFactory())
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    url = reverse("admin:auth_group_change", args=[group.pk])
    decide = Permission.objects.get(content_type__app_label="members", codename="decide_membership")
    data = admin_form(superuser, url, "group_form")
    assert str(decide.pk) in data["permissions"]

    data["permissions"] = [pk for pk in data["permissions"] if pk != str(decide.pk)]
    assert superuser.post(url, data).status_code == 302

    assert staff.get(APPLICATIONS).status_code == 403

    data["permissions"].append(str(decide.pk))
    assert superuser.post(url, data).status_code == 302
    assert staff.get(APPLICATIONS).status_code == 200


def test_an_account_taken_out_of_one_of_its_groups_in_the_admin_loses_its_page_at_once():
    secretariat = SecretariatFactory()
    editors = Group.objects.get(name=EDITOR_GROUP)
    secretariat.groups.add(editors)
    staff = signed_in(secretariat)
    assert staff.get(APPLICATIONS).status_code == 200
    superuser = signed_in(SuperuserFactory())
    url = reverse("admin:members_user_change", args=[secretariat.pk])
    data = admin_form(superuser, url, "user_form")
    assert len(data["groups"]) == 2

    data["groups"] = [str(editors.pk)]  # still staff, with the content role only
    assert superuser.post(url, data).status_code == 302

    assert staff.get(APPLICATIONS).status_code == 403


def test_a_member_given_a_role_in_the_admin_is_asked_for_a_second_factor_at_the_next_request():
    member = ProfileFactory(status="approved").user
    client = signed_in(member)
    assert client.get(APPLICATIONS).status_code == 403
    superuser = signed_in(SuperuserFactory())
    url = reverse("admin:members_user_change", args=[member.pk])
    data = admin_form(superuser, url, "user_form")

    data["groups"] = [str(Group.objects.get(name=SECRETARIAT_GROUP).pk)]
    assert superuser.post(url, data).status_code == 302

    response = client.get(APPLICATIONS)
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_index"))
    member.refresh_from_db()
    assert member.has_perm(DECIDE_MEMBERSHIP)


def test_superuser_status_given_in_the_admin_opens_the_page_at_the_next_request():
    secretariat = SecretariatFactory()
    secretariat.groups.clear()
    staff = signed_in(secretariat)
    assert staff.get(APPLICATIONS).status_code == 403
    superuser = signed_in(SuperuserFactory())
    url = reverse("admin:members_user_change", args=[secretariat.pk])
    data = admin_form(superuser, url, "user_form")

    data["is_superuser"] = ["on"]
    assert superuser.post(url, data).status_code == 302

    assert staff.get(APPLICATIONS).status_code == 200
