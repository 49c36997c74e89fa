"""Fictional demo experts: 25 written out in both languages, and generated ones for scale."""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

import random
from dataclasses import dataclass

VC, VISIT, REVIEW, TRAINING = "video_conference", "field_visit", "written_review", "training"


@dataclass(frozen=True)
class DemoExpert:
    name_en: str
    name_ru: str
    title_en: str
    title_ru: str
    affiliation_en: str
    affiliation_ru: str
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    topics: tuple[str, ...]
    help_kinds: tuple[str, ...]
    bio_en: str
    bio_ru: str


# All people and organisations here are invented; any likeness to real ones is chance.
EXPERTS = [
    DemoExpert(
        "Helen Whitaker",
        "Хелен Уитакер",
        "Senior Labour Migration Specialist",
        "старший специалист по трудовой миграции",
        "Global Migration Policy Associates",
        "Global Migration Policy Associates",
        ("KZ", "KG", "UZ", "PH", "NP"),
        ("en", "ru"),
        ("labour-migration", "organised-recruitment"),
        (VC, VISIT, REVIEW),
        "Helen has advised ministries of labour in Central and South Asia on bilateral labour "
        "agreements and fair recruitment for fifteen years.",
        "Хелен пятнадцать лет консультирует министерства труда стран Центральной и Южной Азии "
        "по двусторонним соглашениям о трудовой миграции и добросовестному найму.",
    ),
    DemoExpert(
        "Dmitri Orlov",
        "Дмитрий Орлов",
        "Professor of Demography",
        "профессор демографии",
        "Institute for Population Studies",
        "Институт исследований народонаселения",
        ("RU", "KZ", "BY"),
        ("ru", "en"),
        ("migration-data", "integration"),
        (VC, REVIEW, TRAINING),
        "Dmitri studies migration flows in the post-Soviet space and designs household surveys "
        "on migration and remittances.",
        "Дмитрий изучает миграционные потоки на постсоветском пространстве и разрабатывает "
        "обследования домохозяйств по миграции и денежным переводам.",
    ),
    DemoExpert(
        "Amina Rahimova",
        "Амина Рахимова",
        "Remittances Economist",
        "экономист по денежным переводам",
        "Centre for Remittance Studies",
        "Центр исследований денежных переводов",
        ("TJ", "KG", "UZ"),
        ("ru", "tg", "en"),
        ("remittances",),
        (VC, REVIEW),
        "Amina measures how remittances reach households in Tajikistan and how digital payments "
        "lower their cost.",
        "Амина изучает, как денежные переводы доходят до домохозяйств Таджикистана и как "
        "цифровые платежи снижают их стоимость.",
    ),
    DemoExpert(
        "Marco Bellini",
        "Марко Беллини",
        "Border Management Adviser",
        "советник по управлению границами",
        "European Border Cooperation Office",
        "Европейское бюро пограничного сотрудничества",
        ("MD", "UA", "IT", "RO"),
        ("en", "ro", "fr"),
        ("border-management",),
        (VISIT, TRAINING),
        "Marco trains border guards on integrated border management and risk analysis.",
        "Марко обучает пограничников комплексному управлению границами и анализу рисков.",
    ),
    DemoExpert(
        "Nadia Lupu",
        "Надя Лупу",
        "Diaspora Engagement Adviser",
        "советник по работе с диаспорой",
        "Bureau for Diaspora Relations",
        "Бюро по связям с диаспорой",
        ("MD", "IT", "DE"),
        ("ro", "ru", "en"),
        ("diaspora", "return-reintegration"),
        (VC, VISIT, TRAINING),
        "Nadia built programmes that match diaspora investment with local development in Moldova.",
        "Надя создала программы, связывающие инвестиции диаспоры с местным развитием в Молдове.",
    ),
    DemoExpert(
        "Arman Petrosyan",
        "Арман Петросян",
        "Return Migration Researcher",
        "исследователь возвратной миграции",
        "Caucasus Migration Research Centre",
        "Кавказский центр миграционных исследований",
        ("AM", "GE", "RU"),
        ("hy", "ru", "en"),
        ("return-reintegration", "migration-data"),
        (VC, REVIEW),
        "Arman follows returning migrants in Armenia and evaluates reintegration support.",
        "Арман изучает судьбы вернувшихся мигрантов в Армении и оценивает программы реинтеграции.",
    ),
    DemoExpert(
        "Sophie Laurent",
        "Софи Лоран",
        "Gender and Migration Specialist",
        "специалист по гендеру и миграции",
        "International Women's Mobility Network",
        "Международная сеть «Женщины и мобильность»",
        ("KG", "TJ", "FR", "MA"),
        ("fr", "en", "ru"),
        ("gender",),
        (VC, TRAINING, REVIEW),
        "Sophie works on the protection of women migrant workers and gender-responsive policy.",
        "Софи занимается защитой трудящихся женщин-мигрантов и гендерно ориентированной политикой.",
    ),
    DemoExpert(
        "Bakyt Osmonov",
        "Бакыт Осмонов",
        "Former Deputy Minister of Labour",
        "бывший заместитель министра труда",
        "Independent consultant",
        "независимый консультант",
        ("KG", "KZ", "RU"),
        ("ky", "ru"),
        ("labour-migration", "legislation-policy"),
        (VC, VISIT, TRAINING),
        "Bakyt led the drafting of the Kyrgyz Republic's external labour migration law.",
        "Бакыт руководил разработкой закона Кыргызской Республики о внешней трудовой миграции.",
    ),
    DemoExpert(
        "Olena Bondarenko",
        "Олена Бондаренко",
        "Migration Law Scholar",
        "специалист по миграционному праву",
        "National Law Academy",
        "Национальная юридическая академия",
        ("UA", "PL", "MD"),
        ("uk", "ru", "en"),
        ("legislation-policy", "integration"),
        (REVIEW, TRAINING),
        "Olena compares migration legislation across Eastern Europe and reviews draft laws.",
        "Олена сравнивает миграционное законодательство стран Восточной Европы и готовит "
        "экспертизы законопроектов.",
    ),
    DemoExpert(
        "Javier Ortega",
        "Хавьер Ортега",
        "Statistician",
        "статистик",
        "Migration Data Partnership",
        "Партнёрство по миграционным данным",
        ("MX", "ES", "KZ", "UZ"),
        ("es", "en"),
        ("migration-data",),
        (VC, TRAINING),
        "Javier helps national statistics offices use administrative data to count migrants.",
        "Хавьер помогает национальным статистическим службам учитывать мигрантов по "
        "административным данным.",
    ),
    DemoExpert(
        "Dilnoza Karimova",
        "Дилноза Каримова",
        "Head of Pre-departure Programmes",
        "руководитель программ подготовки к выезду",
        "Agency for External Labour Migration",
        "Агентство внешней трудовой миграции",
        ("UZ", "KR", "RU"),
        ("uz", "ru", "en"),
        ("pre-departure", "organised-recruitment"),
        (VISIT, TRAINING),
        "Dilnoza set up pre-departure training centres for workers going to Korea and Russia.",
        "Дилноза создала центры подготовки к выезду для работников, направляющихся в Корею "
        "и Россию.",
    ),
    DemoExpert(
        "Thomas Becker",
        "Томас Беккер",
        "Skills Partnership Expert",
        "эксперт по партнёрствам в области навыков",
        "Institute for Vocational Mobility",
        "Институт профессиональной мобильности",
        ("DE", "MD", "UZ", "AM"),
        ("de", "en"),
        ("organised-recruitment", "labour-migration"),
        (VC, REVIEW),
        "Thomas designs skills partnerships that train workers for both origin and destination.",
        "Томас разрабатывает партнёрства, которые готовят работников и для страны выезда, и для "
        "страны назначения.",
    ),
    DemoExpert(
        "Aigerim Nurlanova",
        "Айгерим Нурланова",
        "Integration Policy Analyst",
        "аналитик политики интеграции",
        "Eurasian Policy Institute",
        "Евразийский институт политики",
        ("KZ", "RU"),
        ("kk", "ru", "en"),
        ("integration", "labour-migration"),
        (VC, REVIEW),
        "Aigerim studies how migrants from Central Asia settle in Kazakh cities.",
        "Айгерим изучает, как мигранты из Центральной Азии обустраиваются в городах Казахстана.",
    ),
    DemoExpert(
        "Rustam Saidov",
        "Рустам Саидов",
        "Financial Inclusion Specialist",
        "специалист по финансовой доступности",
        "Microfinance Association of Central Asia",
        "Ассоциация микрофинансирования Центральной Азии",
        ("TJ", "UZ", "KG"),
        ("tg", "ru", "uz"),
        ("remittances", "return-reintegration"),
        (VISIT, TRAINING),
        "Rustam helps migrants' families turn remittances into savings and small businesses.",
        "Рустам помогает семьям мигрантов превращать переводы в сбережения и малый бизнес.",
    ),
    DemoExpert(
        "Catherine Moore",
        "Кэтрин Мур",
        "Senior Fellow",
        "старший научный сотрудник",
        "Centre on Migration and Society",
        "Центр изучения миграции и общества",
        ("GB", "RU", "UA", "KZ"),
        ("en", "ru"),
        ("diaspora", "integration", "migration-data"),
        (VC, REVIEW),
        "Catherine has written widely on Russian-speaking diasporas in Europe.",
        "Кэтрин много писала о русскоязычных диаспорах в Европе.",
    ),
    DemoExpert(
        "Andrei Kovalev",
        "Андрей Ковалёв",
        "Migration Service Reform Adviser",
        "советник по реформе миграционной службы",
        "Public Administration Academy",
        "Академия государственного управления",
        ("BY", "RU", "AM"),
        ("ru", "be"),
        ("legislation-policy", "border-management"),
        (VISIT, REVIEW, TRAINING),
        "Andrei has advised on digital migration registration and one-stop service centres.",
        "Андрей консультировал по цифровой миграционной регистрации и центрам «одного окна».",
    ),
    DemoExpert(
        "Mehmet Yilmaz",
        "Мехмет Йылмаз",
        "Labour Market Economist",
        "экономист рынка труда",
        "Bosphorus Economic Research Foundation",
        "Фонд экономических исследований «Босфор»",
        ("TR", "AZ", "UZ", "TM"),
        ("tr", "en", "ru"),
        ("labour-migration",),
        (VC, REVIEW),
        "Mehmet models labour demand in Türkiye and its pull on Central Asian workers.",
        "Мехмет моделирует спрос на труд в Турции и его влияние на выезд работников из "
        "Центральной Азии.",
    ),
    DemoExpert(
        "Li Wei",
        "Ли Вэй",
        "Researcher on Cross-border Mobility",
        "исследователь трансграничной мобильности",
        "Silk Road Migration Observatory",
        "Обсерватория миграции Шёлкового пути",
        ("CN", "KZ", "KG"),
        ("zh", "en", "ru"),
        ("border-management", "labour-migration"),
        (VC, REVIEW),
        "Li studies trade and labour mobility across the China–Central Asia borders.",
        "Ли изучает торговую и трудовую мобильность на границах Китая и Центральной Азии.",
    ),
    DemoExpert(
        "Layla Haddad",
        "Лейла Хаддад",
        "Protection Officer (retired)",
        "сотрудник по защите (в отставке)",
        "Independent consultant",
        "независимый консультант",
        ("JO", "LB", "UA"),
        ("ar", "en", "fr"),
        ("gender", "integration"),
        (VISIT, TRAINING),
        "Layla spent twenty years protecting refugees and displaced people in the Middle East.",
        "Лейла двадцать лет защищала беженцев и перемещённых лиц на Ближнем Востоке.",
    ),
    DemoExpert(
        "Gulnara Asanova",
        "Гульнара Асанова",
        "Director, Migrant Rights Centre",
        "директор Центра прав мигрантов",
        "Centre for Migrants' Rights",
        "Центр прав мигрантов",
        ("KG", "RU", "KZ"),
        ("ky", "ru"),
        ("gender", "pre-departure", "legislation-policy"),
        (VC, VISIT, TRAINING),
        "Gulnara runs legal aid for Kyrgyz migrants and trains consular staff.",
        "Гульнара руководит юридической помощью кыргызским мигрантам и обучает сотрудников "
        "консульств.",
    ),
    DemoExpert(
        "Peter Novak",
        "Петер Новак",
        "Evaluation Specialist",
        "специалист по оценке",
        "Central European Evaluation Group",
        "Центральноевропейская группа оценки",
        ("CZ", "MD", "UA", "BY"),
        ("en", "ru", "de"),
        ("return-reintegration", "migration-data"),
        (REVIEW,),
        "Peter evaluates migration and development programmes for donors.",
        "Петер проводит оценку программ в области миграции и развития по заказу доноров.",
    ),
    DemoExpert(
        "Zarina Nazarova",
        "Зарина Назарова",
        "Remittance Policy Adviser",
        "советник по политике в области переводов",
        "National Bank Research Department",
        "Исследовательский департамент Национального банка",
        ("TJ", "RU"),
        ("tg", "ru", "en"),
        ("remittances", "legislation-policy"),
        (VC, REVIEW),
        "Zarina drafted regulation that opened the remittance market to mobile wallets.",
        "Зарина разработала регулирование, открывшее рынок переводов для мобильных кошельков.",
    ),
    DemoExpert(
        "Robert Clarke",
        "Роберт Кларк",
        "Professor of Migration Studies",
        "профессор миграционных исследований",
        "University of the North, School of Geography",
        "Северный университет, школа географии",
        ("GB", "KZ", "KG", "TJ", "UZ"),
        ("en",),
        ("migration-data", "diaspora"),
        (VC, REVIEW, TRAINING),
        "Robert leads a comparative study of migration systems in Eurasia.",
        "Роберт руководит сравнительным исследованием миграционных систем Евразии.",
    ),
    DemoExpert(
        "Ion Ciobanu",
        "Ион Чобану",
        "Local Development Practitioner",
        "специалист по местному развитию",
        "Association of Local Authorities",
        "Ассоциация органов местного самоуправления",
        ("MD", "RO"),
        ("ro", "ru"),
        ("diaspora", "return-reintegration"),
        (VISIT, TRAINING),
        "Ion helps villages work with their diaspora on local projects.",
        "Ион помогает сёлам вместе с их диаспорой осуществлять местные проекты.",
    ),
    DemoExpert(
        "Anna Smirnova",
        "Анна Смирнова",
        "Integration Programme Manager",
        "руководитель программ интеграции",
        "City Adaptation Centre",
        "Городской центр адаптации",
        ("RU",),
        ("ru", "en"),
        ("integration", "pre-departure"),
        (VISIT, TRAINING),
        "Anna runs language and adaptation courses for migrant workers in a large city.",
        "Анна проводит языковые и адаптационные курсы для трудовых мигрантов в крупном городе.",
    ),
]

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
    from django.db import transaction

    from members.models import Expert, ExpertLink
    from mirpal.models import Topic

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
    return {"experts": len(created)}
