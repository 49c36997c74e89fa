import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Profile
from mirpal.models import Topic


def profile_form(**overrides) -> dict:
    data = {
        "first_name": "Нодира",
        "last_name": "Юсупова",
        "country": "UZ",
        "city": "Ташкент",
        "organisation": "Агентство внешней трудовой миграции",
        "organisation_type": "government",
        "position": "Начальник отдела",
        "languages": ["uz", "ru"],
        "mail_language": "ru",
        "time_zone": "",
        "interests": [Topic.objects.get(slug="organised-recruitment").pk],
        "phone": "+998 71 000 00 00",
        "email_visibility": "members",
        "phone_visibility": "secretariat",
        "listed_in_directory": "on",
    }
    return data | overrides


@pytest.mark.django_db
def test_member_edits_profile_and_time_zone_defaults_from_country(client, member):
    client.force_login(member)
    response = client.post(reverse("members:profile_edit"), profile_form())
    assert response.status_code == 302

    profile = Profile.objects.get(user=member)
    assert (profile.country, profile.time_zone, profile.organisation) == (
        "UZ",
        "Asia/Tashkent",
        "Агентство внешней трудовой миграции",
    )
    assert profile.languages == ["uz", "ru"]
    assert list(profile.interests.values_list("slug", flat=True)) == ["organised-recruitment"]
    member.refresh_from_db()
    assert member.get_full_name() == "Нодира Юсупова"
    assert profile.sort_name == "юсупова нодира"


@pytest.mark.django_db
def test_profile_edit_refuses_an_unknown_time_zone_and_changes_nothing(client, member):
    client.force_login(member)
    before = Profile.objects.values().get(user=member)
    response = client.post(reverse("members:profile_edit"), profile_form(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["time_zone"]
    assert Profile.objects.values().get(user=member) == before


@pytest.mark.django_db
def test_applicant_can_edit_profile_but_stays_pending(client, applicant):
    client.force_login(applicant)
    client.post(reverse("members:profile_edit"), profile_form())
    applicant.profile.refresh_from_db()
    assert applicant.profile.status == "pending"


@pytest.mark.django_db
def test_times_follow_the_members_time_zone(client, member):
    member.profile.time_zone = "Asia/Almaty"
    member.profile.save()
    client.force_login(member)
    page = client.get(reverse("members:account")).content.decode()
    assert "Times are shown in Astana and Almaty time, UTC+5." in page


@pytest.mark.django_db
def test_anonymous_visitors_get_their_browsers_time_zone(client, settings):
    client.cookies[settings.TIMEZONE_COOKIE_NAME] = "Europe/Chisinau"
    chisinau = zoneinfo.ZoneInfo("Europe/Chisinau")
    offset = int(timezone.now().astimezone(chisinau).utcoffset().total_seconds() // 3600)
    shown = f"Times are shown in Chisinau time, UTC+{offset}."  # +2, or +3 in summer
    assert shown in client.get("/").content.decode()
    client.cookies[settings.TIMEZONE_COOKIE_NAME] = "Not/AZone"
    assert "Times are shown in UTC." in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switcher_sets_russian(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/about/"})
    assert response.status_code == 302
    page = client.get("/about/").content.decode()
    assert "О сети" in page
    assert '<html lang="ru">' in page
