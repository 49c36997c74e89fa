"""Time zones named for people, in both languages, with the offset in force at the moment shown."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mirpal.timezones import NETWORK_ZONES, zone_label
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory

JANUARY = datetime.datetime(2030, 1, 15, 12, tzinfo=datetime.UTC)
JULY = datetime.datetime(2030, 7, 15, 12, tzinfo=datetime.UTC)


def labels(language: str, keys, at=JANUARY) -> list[str]:
    with translation.override(language):
        return [zone_label(key, at=at) for key in keys]


def test_the_nine_countries_zones_in_english_and_russian():
    assert labels("en", NETWORK_ZONES) == [
        "Yerevan time, UTC+4",
        "Minsk time, UTC+3",
        "Astana and Almaty time, UTC+5",
        "Bishkek time, UTC+6",
        "Chisinau time, UTC+2",
        "Moscow time, UTC+3",
        "Dushanbe time, UTC+5",
        "Kyiv time, UTC+2",
        "Tashkent time, UTC+5",
    ]
    assert labels("ru", NETWORK_ZONES) == [
        "время Еревана, UTC+4",
        "время Минска, UTC+3",
        "время Астаны и Алматы, UTC+5",
        "время Бишкека, UTC+6",
        "время Кишинёва, UTC+2",
        "время Москвы, UTC+3",
        "время Душанбе, UTC+5",
        "время Киева, UTC+2",
        "время Ташкента, UTC+5",
    ]


def test_the_offset_is_the_one_in_force_at_the_moment_shown():
    zones = ["Europe/London", "Europe/Zurich", "America/New_York", "Europe/Chisinau"]
    assert labels("en", zones, at=JANUARY) == [
        "London time, UTC+0",
        "Geneva time, UTC+1",
        "Washington and New York time, UTC−5",
        "Chisinau time, UTC+2",
    ]
    assert labels("ru", zones, at=JULY) == [
        "время Лондона, UTC+1",
        "время Женевы, UTC+2",
        "время Вашингтона и Нью-Йорка, UTC−4",
        "время Кишинёва, UTC+3",
    ]


def test_utc_half_hours_and_zones_without_a_name():
    zones = ["UTC", "Etc/UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/Argentina/Buenos_Aires"]
    assert labels("ru", zones) == [
        "UTC",
        "UTC",
        "время Нью-Дели, UTC+5:30",
        "Kathmandu, UTC+5:45",
        "Buenos Aires, UTC−3",
    ]
    assert labels("en", ["Mars/Olympus_Mons"]) == ["Olympus Mons, UTC+0"]


@pytest.mark.django_db
def test_the_footer_names_the_members_zone_in_the_page_language():
    member = ProfileFactory(status="approved", time_zone="Asia/Bishkek").user
    client = Client()
    client.force_login(member)
    english = client.get(reverse("members:account"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Times are shown in Bishkek time, UTC+6." in english
    client.cookies["mirpal_language"] = "ru"
    russian = client.get(reverse("members:account")).content.decode()
    assert "Часовой пояс: время Бишкека, UTC+6." in russian
    assert "<dt>Часовой пояс</dt><dd>время Бишкека, UTC+6</dd>" in russian


@pytest.mark.django_db
def test_the_profile_form_offers_zones_by_their_names_and_saves_the_choice():
    member = ProfileFactory(status="approved", time_zone="Asia/Almaty").user
    client = Client()
    client.force_login(member)
    client.cookies["mirpal_language"] = "ru"
    html = client.get(reverse("members:profile_edit")).content.decode()
    select = re.search(r'<select name="time_zone".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Страны сети", "Другие города", "Другие часовые пояса"]
    network = re.search(r'<optgroup label="Страны сети">(.*?)</optgroup>', select, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", network)[:4] == [
        "время Еревана, UTC+4",
        "время Минска, UTC+3",
        "время Астаны и Алматы, UTC+5",
        "время Бишкека, UTC+6",
    ]
    assert '<option value="Asia/Almaty" selected>время Астаны и Алматы, UTC+5</option>' in select
    # A place without a Russian name keeps tzdata's spelling and says it is English text.
    assert re.search(
        r'<option value="America/Argentina/Buenos_Aires" lang="en">Buenos Aires, UTC', select
    )

    data = {
        "first_name": "Айгуль",
        "last_name": "Садыкова",
        "country": "KG",
        "city": "",
        "organisation": "Министерство труда",
        "organisation_type": "government",
        "position": "специалист",
        "mail_language": "ru",
        "time_zone": "Asia/Bishkek",
        "email_visibility": "members",
        "phone_visibility": "secretariat",
    }
    response = client.post(reverse("members:profile_edit"), data)
    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.time_zone == "Asia/Bishkek"


@pytest.mark.django_db
def test_event_list_and_page_name_the_zones_for_people():
    EventFactory(
        starts_at=datetime.datetime(2030, 3, 12, 10, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 3, 12, 11, tzinfo=datetime.UTC),
        time_zone="Europe/Moscow",
    )
    client = Client()
    client.cookies["mirpal_tz"] = "Asia/Dushanbe"
    client.cookies["mirpal_language"] = "ru"
    html = client.get(reverse("events:list")).content.decode()
    assert "часовой пояс: время Душанбе, UTC+5" in html
    client.cookies["mirpal_language"] = "en"
    html = client.get(reverse("events:list")).content.decode()
    assert "times shown in Dushanbe time, UTC+5" in html


@pytest.mark.django_db
def test_the_secretariat_chooses_an_events_zone_by_its_name(secretariat):
    event = EventFactory(time_zone="Asia/Bishkek")
    client = Client()
    client.force_login(secretariat)
    client.cookies["mirpal_language"] = "ru"
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    select = re.search(r'<select name="time_zone".*?</select>', html, re.S).group(0)
    assert '<option value="Asia/Bishkek" selected>время Бишкека, UTC+6</option>' in select
    assert select.count('value="Asia/Bishkek"') == 1
