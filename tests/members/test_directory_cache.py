"""The directory's filter form and cards come from a cache shared by every member who asks for the
same page in the same language: a change shows on the next request, each viewer still sees what
is theirs to see, and a cached page asks the database nothing about the members."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mirpal.models import Topic
from tests.factories.members import PASSWORD, ProfileFactory, UserFactory
from tests.members.filling_in import admin_change
from tests.members.list_pages import counted, counts, queries_of
from tests.members.signing_in import browser, post_form, staff_signed_in

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")


def signed_in(user, client=None) -> Client:
    client = client or Client()
    client.force_login(user)
    return client


def cards(response) -> list[str]:
    """Each card's name and the line under it, as the page shows them."""
    assert response.status_code == 200
    return [
        f"{name} | {line}"
        for name, line in re.findall(
            r'<h2><a href="/members/\d+/">([^<]+)</a></h2>\s*<p class="muted">([^<]+)</p>',
            response.content.decode(),
        )
    ]


@pytest.fixture
def aram(db):
    return ProfileFactory(
        user=UserFactory(first_name="Арам", last_name="Петросян", email="aram@migration.am"),
        organisation="Миграционная служба",
        position="Head of unit",
        email_visibility="members",
    )


@pytest.fixture
def olga(db):
    return ProfileFactory(
        user=UserFactory(first_name="Ольга", last_name="Новик", email="olga@demography.by"),
        organisation="Институт демографии",
        position="Researcher",
        email_visibility="secretariat",
    )


def profile_form_data(profile, **changes) -> dict:
    """The profile page's form as its owner sees it filled in, with these fields changed."""
    data = {
        "first_name": profile.user.first_name,
        "last_name": profile.user.last_name,
        "country": profile.country,
        "city": profile.city,
        "organisation": profile.organisation,
        "organisation_type": profile.organisation_type,
        "position": profile.position,
        "languages": list(profile.languages),
        "mail_language": profile.mail_language,
        "time_zone": profile.time_zone,
        "interests": [topic.pk for topic in profile.interests.all()],
        "phone": profile.phone,
        "email_visibility": profile.email_visibility,
        "phone_visibility": profile.phone_visibility,
        "listed_in_directory": "on" if profile.listed_in_directory else "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def test_a_profile_edited_by_its_owner_shows_on_the_next_request(aram, olga, member):
    viewer = signed_in(member)
    first = cards(viewer.get(DIRECTORY))
    assert "Ольга Новик | Researcher, Институт демографии" in first
    assert cards(viewer.get(DIRECTORY)) == first  # from the cache

    owner = signed_in(olga.user, browser())
    saved = post_form(
        owner,
        reverse("members:profile_edit"),
        profile_form_data(olga, organisation="Институт демографии НАН", last_name="Новик-Ковач"),
    )
    assert saved.status_code == 302, saved.context["form"].errors

    after = cards(viewer.get(DIRECTORY))
    assert "Ольга Новик-Ковач | Researcher, Институт демографии НАН" in after
    assert "Ольга Новик | Researcher, Институт демографии" not in after
    assert "Арам Петросян | Head of unit, Миграционная служба" in after


def test_a_member_who_leaves_the_directory_is_gone_on_the_next_request(aram, olga, member):
    viewer = signed_in(member)
    before = viewer.get(DIRECTORY)
    assert "Ольга Новик | Researcher, Институт демографии" in cards(before)
    owner = signed_in(olga.user, browser())
    saved = post_form(
        owner, reverse("members:profile_edit"), profile_form_data(olga, listed_in_directory="")
    )
    assert saved.status_code == 302
    after = viewer.get(DIRECTORY)
    assert "Ольга Новик | Researcher, Институт демографии" not in cards(after)
    assert counted(before) == "3 members found"
    assert counted(after) == "2 members found"


def test_an_applicant_approved_on_the_applications_page_shows_on_the_next_request(
    aram, member, secretariat
):
    applicant = ProfileFactory(
        status="pending",
        user=UserFactory(first_name="Тимур", last_name="Алиев"),
        organisation="Агентство по труду",
        position="Analyst",
    )
    viewer = signed_in(member)
    assert "Тимур Алиев | Analyst, Агентство по труду" not in cards(viewer.get(DIRECTORY))
    # The second page of the same filter shares the count, so it must be renewed as well.
    assert counted(viewer.get(DIRECTORY + "?page=2")) == "3 members found"

    staff = signed_in(secretariat, browser())
    queue = staff.get(reverse("members:applications"))
    assert "Тимур Алиев" in queue.content.decode()
    decided = post_form(
        staff,
        reverse("members:applications"),
        {"profiles": [applicant.pk], "decision": "approved"},
        page=queue,
    )
    assert decided["Location"] == reverse("members:applications")

    after = viewer.get(DIRECTORY)
    assert "Тимур Алиев | Analyst, Агентство по труду" in cards(after)
    assert counted(after) == "4 members found"
    assert counted(viewer.get(DIRECTORY + "?page=2")) == "4 members found"


def test_a_topic_renamed_in_the_admin_shows_on_the_next_request(member, editor):
    topic = Topic.objects.get(slug="remittances")
    ProfileFactory(interests=[topic])
    viewer = signed_in(member)
    assert f'<li class="badge">{topic.name_en}</li>' in viewer.get(DIRECTORY).content.decode()

    admin_change(
        staff_signed_in(editor),
        reverse("admin:mirpal_topic_change", args=[topic.pk]),
        "topic_form",
        name_en="Remittances and savings",
    )

    page = viewer.get(DIRECTORY).content.decode()
    assert '<li class="badge">Remittances and savings</li>' in page
    assert '<option value="remittances">Remittances and savings</option>' in page


def test_a_sign_in_leaves_the_cached_directory_alone(aram, member):
    viewer = signed_in(member)
    viewer.get(DIRECTORY)
    assert Client().login(email=aram.user.email, password=PASSWORD)
    _response, queries = queries_of(viewer, DIRECTORY)
    assert counts(queries) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_a_cached_page_asks_no_more_than_an_empty_signed_in_page(member, rows):
    topics = list(Topic.objects.all()[:3])
    ProfileFactory.create_batch(rows, interests=topics)
    viewer = signed_in(member)
    empty_page = reverse("members:account_closed")
    viewer.get(empty_page)  # whatever the first request of a session pays (its permissions)

    _floor, floor_queries = queries_of(viewer, empty_page)
    cold, cold_queries = queries_of(viewer, DIRECTORY)
    warm, warm_queries = queries_of(viewer, DIRECTORY)

    # The first request counts once and reads the topics, a page of profiles and their interests.
    assert len(counts(cold_queries)) == 1
    assert len(cold_queries) == len(floor_queries) + 4
    # The second is served from the cache: no count, nothing about members beyond the viewer.
    assert counts(warm_queries) == []
    assert len(warm_queries) == len(floor_queries)
    assert (cards(warm), counted(warm)) == (cards(cold), counted(cold))
    assert len(cards(warm)) == min(rows + 1, 20)


def test_another_page_of_the_same_filter_counts_nothing(member):
    ProfileFactory.create_batch(25)
    viewer = signed_in(member)
    _first, first_queries = queries_of(viewer, DIRECTORY + "?country=KZ")
    second, second_queries = queries_of(viewer, DIRECTORY + "?country=KZ&page=2")
    assert len(counts(first_queries)) == 1
    assert counts(second_queries) == []
    assert counted(second) == "26 members found"
    assert len(cards(second)) == 6


def test_who_sees_addresses_gets_a_body_of_their_own(aram, olga, member, manager):
    second_member = ProfileFactory(time_zone="America/New_York").user  # another zone, same body
    first = signed_in(member).get(DIRECTORY).content.decode()
    assert "aram@migration.am" in first
    assert "olga@demography.by" not in first

    # The people-and-mail role sees every member's address; no one else is served its body.
    managing = signed_in(manager).get(DIRECTORY).content.decode()
    assert "aram@migration.am" in managing
    assert "olga@demography.by" in managing

    response, queries = queries_of(signed_in(second_member), DIRECTORY)
    assert counts(queries) == []  # the members' body, from the cache
    page = response.content.decode()
    assert "aram@migration.am" in page
    assert "olga@demography.by" not in page
    # The page around the body is the viewer's own: the secretariat's link only for staff.
    secretariat_link = f'href="{reverse("panel:home")}"'
    assert secretariat_link in managing
    assert secretariat_link not in page


def test_russian_and_english_are_cached_apart(aram, member):
    viewer = signed_in(member)
    english = viewer.get(DIRECTORY, headers={"accept-language": "en"}).content.decode()
    russian = viewer.get(DIRECTORY, headers={"accept-language": "ru"}).content.decode()
    assert "members found" in english
    assert "Kazakhstan" in english
    assert "Казахстан" in russian
    assert "Kazakhstan" not in russian
    assert "Найдено 2 участника" in russian
    again = viewer.get(DIRECTORY, headers={"accept-language": "en"}).content.decode()
    assert "Kazakhstan" in again
    assert "Казахстан" not in again


def test_who_sees_addresses_sees_them_on_a_members_page_too(olga, member, manager):
    url = reverse("members:detail", args=[olga.pk])
    assert "olga@demography.by" in signed_in(manager).get(url).content.decode()
    assert "olga@demography.by" not in signed_in(member).get(url).content.decode()
