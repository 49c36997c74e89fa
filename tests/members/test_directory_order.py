"""The directory and the roster list names by family name as a reader of the page's language
expects them: Cyrillic and Latin interleaved, each placed by its transliteration."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import Expert, Profile
from members.name_order import name_sort_key
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.roster import ExpertFactory
from tests.members.test_profile import profile_form

# (given, family) of fourteen members in both scripts.
MEMBERS = [
    ("Иван", "Иванов"),
    ("Anna", "Ivanova"),
    ("Анна", "Иванова"),
    ("Тимур", "Абдуллаев"),
    ("Timur", "Abdullaev"),
    ("Pavel", "Zhukov"),
    ("Павел", "Жуков"),
    ("Олег", "Ёлкин"),
    ("Oleg", "Elkin"),
    ("Оксана", "Ющенко"),
    ("Oksana", "Yushchenko"),
    ("Mehmet", "Şahin"),
    ("Тарас", "Шевченко"),
    ("John", "Clarke"),
]

IN_RUSSIAN = [
    "Тимур Абдуллаев",
    "Timur Abdullaev",
    "Олег Ёлкин",
    "Oleg Elkin",
    "Павел Жуков",
    "Pavel Zhukov",
    "Иван Иванов",
    "Анна Иванова",
    "Anna Ivanova",
    "John Clarke",
    "Mehmet Şahin",
    "Тарас Шевченко",
    "Оксана Ющенко",
    "Oksana Yushchenko",
]
IN_ENGLISH = [
    "Timur Abdullaev",
    "Тимур Абдуллаев",
    "John Clarke",
    "Oleg Elkin",
    "Олег Ёлкин",
    "Иван Иванов",
    "Anna Ivanova",
    "Анна Иванова",
    "Mehmet Şahin",
    "Тарас Шевченко",
    "Oksana Yushchenko",
    "Оксана Ющенко",
    "Pavel Zhukov",
    "Павел Жуков",
]


def directory_names(client, language: str) -> list[str]:
    client.cookies["mirpal_language"] = language
    page = client.get(reverse("members:directory")).content.decode()
    return re.findall(r'<h2><a href="/members/\d+/">([^<]+)</a></h2>', page)


def roster_names(client, language: str) -> list[str]:
    client.cookies["mirpal_language"] = language
    page = client.get(reverse("members:experts")).content.decode()
    return re.findall(r'<h2><a href="/members/experts/\d+/">([^<]+)</a></h2>', page)


@pytest.fixture
def reader(db, client):
    """An approved member who is not listed, so the directory shows only the names above."""
    profile = ProfileFactory(
        user=UserFactory(first_name="Читатель", last_name="Каталога"), listed_in_directory=False
    )
    client.force_login(profile.user)
    return profile.user


@pytest.fixture
def mixed_members(db):
    # Created in an order that is none of the two expected ones.
    return [
        ProfileFactory(user=UserFactory(first_name=given, last_name=family))
        for given, family in MEMBERS
    ]


def test_directory_in_russian_interleaves_latin_names_by_their_russian_reading(
    client, reader, mixed_members
):
    assert directory_names(client, "ru") == IN_RUSSIAN


def test_directory_in_english_interleaves_cyrillic_names_by_their_transliteration(
    client, reader, mixed_members
):
    assert directory_names(client, "en") == IN_ENGLISH


def test_a_new_family_name_moves_the_member_in_both_orders(client, reader, mixed_members):
    assert directory_names(client, "ru")[0] == "Тимур Абдуллаев"
    renamed = mixed_members[3].user  # Тимур Абдуллаев
    client.force_login(renamed)
    response = client.post(
        reverse("members:profile_edit"), profile_form(first_name="Тимур", last_name="Яковлев")
    )
    assert response.status_code == 302

    client.force_login(reader)
    russian = directory_names(client, "ru")
    assert russian[0] == "Timur Abdullaev"
    assert russian[-3:] == ["Оксана Ющенко", "Oksana Yushchenko", "Тимур Яковлев"]
    english = directory_names(client, "en")
    assert english[0] == "Timur Abdullaev"
    assert english[-5:] == [
        "Тимур Яковлев",
        "Oksana Yushchenko",
        "Оксана Ющенко",
        "Pavel Zhukov",
        "Павел Жуков",
    ]


@pytest.fixture
def mixed_experts(db):
    for name_en, name_ru in [
        ("Pavel Zhukov", "Павел Жуков"),
        ("Helen Whitaker", "Хелен Уитакер"),
        ("Timur Abdullaev", "Тимур Абдуллаев"),
        ("Marco Bellini", "Марко Беллини"),
        ("Olena Ivanenko", "Олена Іваненко"),
    ]:
        ExpertFactory(name_en=name_en, name_ru=name_ru)


def test_roster_orders_experts_by_family_name_in_each_language(client, mixed_experts):
    assert roster_names(client, "ru") == [
        "Тимур Абдуллаев",
        "Марко Беллини",
        "Павел Жуков",
        "Олена Іваненко",
        "Хелен Уитакер",
    ]
    assert roster_names(client, "en") == [
        "Timur Abdullaev",
        "Marco Bellini",
        "Olena Ivanenko",
        "Helen Whitaker",
        "Pavel Zhukov",
    ]


def test_demo_loaders_bulk_inserts_carry_the_sort_keys(db):
    call_command("demo_data", members=30, experts=30, documents=0, events=0)

    profiles = Profile.objects.select_related("user")
    assert profiles.count() == 33
    assert profiles.filter(sort_key_ru="").count() == 0
    assert profiles.filter(sort_key_en="").count() == 0
    secretariat = profiles.get(user__email="secretariat@mirpal.example")
    assert (secretariat.sort_key_ru, secretariat.sort_key_en) == (
        "секретарева елена!0секретарёва елена",
        "sekretareva elena!1секретарёва елена",
    )
    assert Expert.objects.count() == 30
    assert Expert.objects.filter(sort_key_ru="").count() == 0
    whitaker = Expert.objects.get(name_en="Helen Whitaker")
    assert (whitaker.sort_key_ru, whitaker.sort_key_en) == (
        "уитакер хелен!0уитакер хелен",
        "whitaker helen!0whitaker helen",
    )


@pytest.mark.parametrize(
    ("family", "given", "russian", "english"),
    [
        ("Әлиев", "Нұрлан", "алиев нурлан", "aliev nurlan"),  # Kazakh
        ("Ғуломов", "Ўткир", "гуломов уткир", "gulomov utkir"),  # Uzbek
        ("Ҷалолов", "Ҳамид", "джалолов хамид", "jalolov hamid"),  # Tajik
        ("Ткачук", "Ігор", "ткачук игор", "tkachuk ihor"),  # Ukrainian: г is h
        ("Әлібеков", "Ғани", "алибеков гани", "alibekov gani"),  # Kazakh і, not Ukrainian
        ("O'Brien", "Seán", "обриен сеан", "obrien sean"),
        ("Ciobanu", "Ștefan", "циобану штефан", "ciobanu stefan"),  # Romanian ș
        ("Ivanov-Petrov", "Andrei", "иванов-петров андрей", "ivanov-petrov andrei"),
    ],
)
def test_sort_keys_read_the_regions_alphabets(family, given, russian, english):
    assert name_sort_key(family=family, given=given, language="ru").split("!")[0] == russian
    assert name_sort_key(family=family, given=given, language="en").split("!")[0] == english
