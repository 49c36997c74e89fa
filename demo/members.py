"""Fictional demo members: plausible names and organisations across the nine countries."""

from __future__ import annotations

import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from members.enums import OrganisationType as Org
from members.models import Profile, User, profile_sort_name
from mirpal.countries import Country, default_time_zone_for
from mirpal.fragments import data_changed
from mirpal.models import Topic

FIRST_NAMES = {
    Country.ARMENIA: (["Арам", "Давид", "Тигран", "Гагик"], ["Анаит", "Лусине", "Мариам", "Ануш"]),
    Country.BELARUS: (
        ["Андрей", "Сергей", "Павел", "Виктор"],
        ["Ольга", "Татьяна", "Ирина", "Алеся"],
    ),
    Country.KAZAKHSTAN: (
        ["Ерлан", "Нурлан", "Асхат", "Данияр"],
        ["Айгуль", "Динара", "Жанар", "Сауле"],
    ),
    Country.KYRGYZ_REPUBLIC: (
        ["Бакыт", "Азамат", "Улан", "Эрлан"],
        ["Айжан", "Гульнара", "Назира", "Чолпон"],
    ),
    Country.MOLDOVA: (
        ["Ион", "Василе", "Михай", "Думитру"],
        ["Елена", "Наталья", "Мария", "Виорика"],
    ),
    Country.RUSSIA: (
        ["Алексей", "Дмитрий", "Михаил", "Игорь"],
        ["Анна", "Екатерина", "Светлана", "Юлия"],
    ),
    Country.TAJIKISTAN: (
        ["Фаррух", "Рустам", "Шерзод", "Джамшед"],
        ["Малика", "Зарина", "Нигина", "Мехриниссо"],
    ),
    Country.UKRAINE: (
        ["Олег", "Тарас", "Богдан", "Юрий"],
        ["Оксана", "Наталья", "Галина", "Ирина"],
    ),
    Country.UZBEKISTAN: (
        ["Бахтиёр", "Рустам", "Улугбек", "Алишер"],
        ["Дилноза", "Нодира", "Гулнора", "Шахноза"],
    ),
    Country.OTHER: (["John", "Michael", "David", "Peter"], ["Sarah", "Emma", "Laura", "Helen"]),
}

# (male, female) forms of the surname.
SURNAMES = {
    Country.ARMENIA: [
        ("Петросян", "Петросян"),
        ("Саркисян", "Саркисян"),
        ("Акопян", "Акопян"),
        ("Мартиросян", "Мартиросян"),
    ],
    Country.BELARUS: [
        ("Ковалёв", "Ковалёва"),
        ("Новик", "Новик"),
        ("Жук", "Жук"),
        ("Лукашевич", "Лукашевич"),
    ],
    Country.KAZAKHSTAN: [
        ("Нурланов", "Нурланова"),
        ("Сарсенбаев", "Сарсенбаева"),
        ("Ахметов", "Ахметова"),
        ("Жумабеков", "Жумабекова"),
    ],
    Country.KYRGYZ_REPUBLIC: [
        ("Осмонов", "Осмонова"),
        ("Токтогулов", "Токтогулова"),
        ("Асанов", "Асанова"),
        ("Мамытов", "Мамытова"),
    ],
    Country.MOLDOVA: [
        ("Чобану", "Чобану"),
        ("Русу", "Русу"),
        ("Лупу", "Лупу"),
        ("Мунтяну", "Мунтяну"),
    ],
    Country.RUSSIA: [
        ("Иванов", "Иванова"),
        ("Смирнов", "Смирнова"),
        ("Кузнецов", "Кузнецова"),
        ("Соколов", "Соколова"),
    ],
    Country.TAJIKISTAN: [
        ("Рахимов", "Рахимова"),
        ("Саидов", "Саидова"),
        ("Назаров", "Назарова"),
        ("Шарипов", "Шарипова"),
    ],
    Country.UKRAINE: [
        ("Шевченко", "Шевченко"),
        ("Бондаренко", "Бондаренко"),
        ("Мельник", "Мельник"),
        ("Ткаченко", "Ткаченко"),
    ],
    Country.UZBEKISTAN: [
        ("Каримов", "Каримова"),
        ("Юсупов", "Юсупова"),
        ("Рашидов", "Рашидова"),
        ("Ахмедов", "Ахмедова"),
    ],
    Country.OTHER: [
        ("Miller", "Miller"),
        ("Clarke", "Clarke"),
        ("Becker", "Becker"),
        ("Dupont", "Dupont"),
    ],
}

ORGANISATIONS = {
    Org.GOVERNMENT: [
        "Государственная миграционная служба",
        "Министерство труда и социальной защиты",
        "Министерство иностранных дел, консульский департамент",
        "Агентство по занятости населения",
    ],
    Org.PARLIAMENT: ["Комитет по социальной политике парламента"],
    Org.ACADEMIA: [
        "Институт демографических исследований",
        "Национальный университет, кафедра экономики",
    ],
    Org.THINK_TANK: ["Центр миграционной политики", "Аналитический центр «Евразия»"],
    Org.NGO: ["Общественный фонд «Мигрант и право»", "Ассоциация помощи трудовым мигрантам"],
    Org.INTERNATIONAL: ["Представительство МОМ", "Страновой офис ПРООН"],
    Org.PRIVATE: ["Платёжная система «Быстрый перевод»", "Кадровое агентство «Оргнабор»"],
    Org.MEDIA: ["Информационное агентство «Миграция сегодня»"],
}
INTERNATIONAL_ORGANISATIONS = {
    Org.INTERNATIONAL: ["International Organization for Migration", "UN Development Programme"],
    Org.ACADEMIA: ["University of Oxford, Centre on Migration", "Central European University"],
    Org.THINK_TANK: ["Migration Policy Institute", "Global Migration Policy Associates"],
}
CITIES = {
    Country.ARMENIA: ["Ереван", "Гюмри"],
    Country.BELARUS: ["Минск", "Гродно"],
    Country.KAZAKHSTAN: ["Астана", "Алматы"],
    Country.KYRGYZ_REPUBLIC: ["Бишкек", "Ош"],
    Country.MOLDOVA: ["Кишинёв", "Бельцы"],
    Country.RUSSIA: ["Москва", "Санкт-Петербург"],
    Country.TAJIKISTAN: ["Душанбе", "Худжанд"],
    Country.UKRAINE: ["Киев", "Львов"],
    Country.UZBEKISTAN: ["Ташкент", "Самарканд"],
    Country.OTHER: ["Geneva", "Washington"],
}
NATIONAL_LANGUAGE = {
    Country.ARMENIA: "hy",
    Country.BELARUS: "be",
    Country.KAZAKHSTAN: "kk",
    Country.KYRGYZ_REPUBLIC: "ky",
    Country.MOLDOVA: "ro",
    Country.RUSSIA: "ru",
    Country.TAJIKISTAN: "tg",
    Country.UKRAINE: "uk",
    Country.UZBEKISTAN: "uz",
    Country.OTHER: "en",
}
POSITIONS = [
    "Главный специалист",
    "Начальник отдела",
    "Научный сотрудник",
    "Эксперт",
    "Руководитель программы",
    "Консультант",
    "Директор",
]
POSITIONS_EN = ["Senior Migration Specialist", "Research Fellow", "Programme Manager", "Economist"]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    country: str
    city: str
    organisation: str
    organisation_type: str
    position: str
    languages: list[str]
    mail_language: str
    interest_count: int


def demo_person(index: int, rng: random.Random) -> DemoPerson:
    countries = list(Country)
    # One in twenty is an international expert or partner; the rest spread over the nine.
    country = Country.OTHER if index % 20 == 19 else countries[index % 9]
    female = rng.random() < 0.5
    first = rng.choice(FIRST_NAMES[country][1 if female else 0])
    last = rng.choice(SURNAMES[country])[1 if female else 0]
    if country == Country.OTHER:
        organisation_type = rng.choice(list(INTERNATIONAL_ORGANISATIONS))
        organisation = rng.choice(INTERNATIONAL_ORGANISATIONS[organisation_type])
        languages = ["en", "ru"] if rng.random() < 0.4 else ["en"]
        position, mail_language = rng.choice(POSITIONS_EN), "en"
    else:
        organisation_type = rng.choices(list(ORGANISATIONS), weights=[5, 1, 3, 2, 2, 1, 1, 1])[0]
        organisation = rng.choice(ORGANISATIONS[organisation_type])
        languages = sorted(
            {"ru", NATIONAL_LANGUAGE[country]} | ({"en"} if rng.random() < 0.4 else set())
        )
        position = rng.choice(POSITIONS)
        mail_language = "en" if rng.random() < 0.1 else "ru"
    return DemoPerson(
        email=f"member{index:05d}@demo.mirpal.example",
        first_name=first,
        last_name=last,
        country=country,
        city=rng.choice(CITIES[country]),
        organisation=organisation,
        organisation_type=organisation_type,
        position=position,
        languages=languages,
        mail_language=mail_language,
        interest_count=rng.randint(1, 4),
    )


DEMO_PASSWORD = "mirpal-demo-2026"
# Staff open no page without a second factor (members.mfa), so the demo staff come with an
# authenticator app set up with this published secret: add it to any authenticator app, or print
# the current code with `manage.py demo_totp`. A demo secret, like the demo password.
DEMO_TOTP_SECRET = "MIRPALDEMOSECRETMIRPALDEMOSECRET"
ACCOUNTS = [
    # email, first name, last name, country, status, secretariat?
    ("secretariat@mirpal.example", "Елена", "Секретарёва", Country.RUSSIA, "approved", True),
    ("member@mirpal.example", "Айгуль", "Сарсенбаева", Country.KAZAKHSTAN, "approved", False),
    ("applicant@mirpal.example", "Рустам", "Назаров", Country.TAJIKISTAN, "pending", False),
]


def load(*, members: int, stdout=None) -> dict[str, int]:
    """Create the demo accounts and `members` fictional members; existing ones are left alone,
    so running it twice duplicates nothing. Bulk inserts keep 20,000 members within a minute."""
    rng = random.Random(2026)
    password = make_password(DEMO_PASSWORD)
    topics = list(Topic.objects.order_by("pk"))
    now = timezone.now()
    people = [demo_person(index, rng) for index in range(members)]
    with transaction.atomic():
        existing = set(User.objects.values_list("email", flat=True))
        new_users = []
        for email, first, last, _country, _status, _staff in ACCOUNTS:
            if email not in existing:
                new_users.append(
                    User(
                        email=email,
                        first_name=first,
                        last_name=last,
                        password=password,
                        is_staff=_staff,
                    )
                )
        new_users += [
            User(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=password,
            )
            for person in people
            if person.email not in existing
        ]
        User.objects.bulk_create(new_users, batch_size=2000)
        by_email = {
            user.email: user
            for user in User.objects.filter(email__in=[user.email for user in new_users])
        }
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in by_email.values()
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        profiles = []
        for email, _first, _last, country, status, _staff in ACCOUNTS:
            if email in by_email:
                profiles.append(
                    Profile(
                        user=by_email[email],
                        country=country,
                        city=CITIES[country][0],
                        organisation="Секретариат MIRPAL"
                        if _staff
                        else ORGANISATIONS[Org.GOVERNMENT][0],
                        organisation_type=Org.THINK_TANK if _staff else Org.GOVERNMENT,
                        position="Координатор сети" if _staff else "Главный специалист",
                        languages=["ru", "en"],
                        mail_language="ru",
                        time_zone=default_time_zone_for(country),
                        status=status,
                        status_changed_at=now if status != "pending" else None,
                        email_visibility="members",
                    )
                )
        for index, person in enumerate(people):
            if person.email not in by_email:
                continue
            # A few applicants wait for a decision; a few were turned down or suspended.
            status = (
                "pending"
                if index % 50 == 7
                else "rejected"
                if index % 97 == 11
                else "suspended"
                if index % 151 == 13
                else "approved"
            )
            profiles.append(
                Profile(
                    user=by_email[person.email],
                    country=person.country,
                    city=person.city,
                    organisation=person.organisation,
                    organisation_type=person.organisation_type,
                    position=person.position,
                    languages=person.languages,
                    mail_language=person.mail_language,
                    time_zone=default_time_zone_for(person.country),
                    status=status,
                    status_changed_at=None if status == "pending" else now,
                    email_visibility="members" if index % 3 else "secretariat",
                    phone=f"+7 700 {index:03d} {index % 97:02d} {index % 89:02d}"[:40]
                    if index % 4 == 0
                    else "",
                    phone_visibility="members" if index % 8 == 0 else "secretariat",
                )
            )
        for profile in profiles:
            profile.sort_name = profile_sort_name(profile.user)
        Profile.objects.bulk_create(profiles, batch_size=2000)
        if topics:
            through = Profile.interests.through
            created = Profile.objects.filter(user__email__in=list(by_email)).values_list(
                "pk", "user__email"
            )
            interest_count = {person.email: person.interest_count for person in people}
            links = []
            for pk, email in created:
                count = interest_count.get(email, 3)
                for topic in rng.sample(topics, min(count, len(topics))):
                    links.append(through(profile_id=pk, topic_id=topic.pk))
            through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
        secretariat = Group.objects.get(name="Secretariat")
        secretariat.user_set.add(*User.objects.filter(email="secretariat@mirpal.example"))
        staff_emails = [email for email, *_rest, staff in ACCOUNTS if staff]
        for user in User.objects.filter(email__in=staff_emails).exclude(
            authenticator__type=Authenticator.Type.TOTP
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
    # Bulk inserts send no signal: the cached lists are renewed here.
    data_changed("members")
    return {"users": len(new_users)}
