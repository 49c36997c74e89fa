"""Fictional demo experts: 25 written out in both languages, and generated ones for scale."""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

import random

from django.db import transaction

from demo.roster_experts import EXPERTS, REVIEW, TRAINING, VC, VISIT, DemoExpert
from members.models import Expert, ExpertLink
from mirpal.fragments import data_changed
from mirpal.models import Topic

# Pools for the generated experts that fill the roster to a benchmark's size.
GIVEN = [
    ("Anna", "Анна"),
    ("Daniel", "Даниил"),
    ("Maria", "Мария"),
    ("Timur", "Тимур"),
    ("Elena", "Елена"),
    ("Farid", "Фарид"),
    ("Irina", "Ирина"),
    ("Karim", "Карим"),
    ("Laura", "Лаура"),
    ("Nodir", "Нодир"),
    ("Olga", "Ольга"),
    ("Sergei", "Сергей"),
]
FAMILY = [
    ("Abdullaev", "Абдуллаев"),
    ("Berg", "Берг"),
    ("Grigoryan", "Григорян"),
    ("Ivanenko", "Иваненко"),
    ("Kasymov", "Касымов"),
    ("Morozov", "Морозов"),
    ("Popescu", "Попеску"),
    ("Suleimenov", "Сулейменов"),
    ("Tkachuk", "Ткачук"),
    ("Weber", "Вебер"),
]
TITLES = [
    ("Migration Policy Consultant", "консультант по миграционной политике"),
    ("Researcher", "научный сотрудник"),
    ("Programme Officer", "сотрудник программы"),
    ("Associate Professor", "доцент"),
]
AFFILIATIONS = [
    ("Regional Migration Institute", "Региональный институт миграции"),
    ("Independent consultant", "независимый консультант"),
    ("Policy Research Centre", "Центр политических исследований"),
]
COUNTRIES = ["AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ", "DE", "TR", "GB", "PL", "KR"]
LANGUAGES = ["ru", "en", "hy", "be", "kk", "ky", "ro", "tg", "uk", "uz", "de", "tr"]
HELP_KINDS = [VC, VISIT, REVIEW, TRAINING]


def demo_key(index: int) -> str:
    return f"expert{index:05d}@demo.mirpal.example"


def demo_expert(index: int, rng: random.Random, topic_slugs: list[str]) -> DemoExpert:
    if index < len(EXPERTS):
        return EXPERTS[index]
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    title, affiliation = rng.choice(TITLES), rng.choice(AFFILIATIONS)
    topics = tuple(rng.sample(topic_slugs, min(rng.randint(1, 3), len(topic_slugs))))
    return DemoExpert(
        f"{given[0]} {family[0]}",
        f"{given[1]} {family[1]}",
        title[0],
        title[1],
        affiliation[0],
        affiliation[1],
        tuple(sorted(rng.sample(COUNTRIES, rng.randint(1, 4)))),
        tuple(rng.sample(LANGUAGES, rng.randint(1, 3))),
        topics,
        tuple(rng.sample(HELP_KINDS, rng.randint(1, 3))),
        "A fictional expert generated for the demonstration roster.",
        "Вымышленный эксперт, созданный для демонстрации реестра.",
    )


def load(*, experts: int = 25) -> dict[str, int]:
    """Create `experts` fictional experts (the first 25 written out, the rest generated).

    Experts are keyed by a demo contact address, so running it twice creates nothing new. Bulk
    inserts: 2,000 experts take about a second.
    """
    rng = random.Random(2026)
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    slugs = sorted(topic_ids)
    people = [(demo_key(index), demo_expert(index, rng, slugs)) for index in range(experts)]
    with transaction.atomic():
        existing = set(
            Expert.objects.filter(contact_email__endswith="@demo.mirpal.example").values_list(
                "contact_email", flat=True
            )
        )
        new = [(key, person) for key, person in people if key not in existing]
        created = Expert.objects.bulk_create(
            [
                Expert(
                    name_en=person.name_en,
                    name_ru=person.name_ru,
                    title_en=person.title_en,
                    title_ru=person.title_ru,
                    affiliation_en=person.affiliation_en,
                    affiliation_ru=person.affiliation_ru,
                    bio_en=person.bio_en,
                    bio_ru=person.bio_ru,
                    countries=list(person.countries),
                    languages=list(person.languages),
                    help_kinds=list(person.help_kinds),
                    contact_email=key,
                    contact_phone=f"+41 22 555 {index % 10000:04d}",
                )
                for index, (key, person) in enumerate(new)
            ],
            batch_size=1000,
        )
        through = Expert.topics.through
        through.objects.bulk_create(
            [
                through(expert_id=expert.pk, topic_id=topic_ids[slug])
                for expert, (_key, person) in zip(created, new, strict=True)
                for slug in person.topics
                if slug in topic_ids
            ],
            batch_size=5000,
        )
        ExpertLink.objects.bulk_create(
            [
                ExpertLink(
                    expert=expert,
                    label="Publications",
                    url=f"https://example.org/experts/{key.split('@')[0]}",
                )
                for expert, (key, _person) in zip(created, new, strict=True)
            ],
            batch_size=5000,
        )
    data_changed("roster")  # bulk inserts send no signal
    return {"experts": len(created)}
