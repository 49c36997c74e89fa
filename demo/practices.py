"""The demo network's good practices: thirty cases across the nine countries and the topics
(demo.practices_cases), two curated collections and key migration figures for each country.

One case waits for the secretariat's review (proposed by the demo member) so that the review
queue is not empty. Contacts are the first demo member of the case's country and an expert with
experience there. Idempotent: cases and collections are keyed by slug, figures by country, label
and year; a second run adds nothing.
"""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from demo.practices_cases import CASES, DEMO_SOURCE
from events.models import Event
from exchange.enums import Moderation
from exchange.enums import Visibility as ThreadVisibility
from exchange.models import Thread
from library.enums import Access
from library.models import Article, Document
from members.models import Expert, User
from mirpal.fragments import data_changed
from mirpal.models import Topic
from portal.models import CountryFigure
from practices.enums import ItemKind, ReviewState, Visibility
from practices.models import Case, Collection, CollectionItem

MEMBER = "member@mirpal.example"
SECRETARIAT = "secretariat@mirpal.example"
DEMO_DOMAIN = "@demo.mirpal.example"
# Proposed by the demo member and still awaiting review.
AWAITING_REVIEW = "kg-remittance-data-survey"

_DEMO_VALUE_EN = " (demo value)"
_DEMO_VALUE_RU = " (демонстрационное значение)"
# Per country: remittances as a share of GDP, emigrants abroad (thousands), and the share of
# emigrants in the main country of destination.
FIGURES = {
    "AM": ("9.8", "960", "52"),
    "BY": ("1.6", "1,500", "61"),
    "KZ": ("0.2", "4,200", "73"),
    "KG": ("24.0", "770", "70"),
    "MD": ("12.5", "1,100", "23"),
    "RU": ("0.3", "10,800", "30"),
    "TJ": ("48.0", "600", "82"),
    "UA": ("7.0", "6,100", "53"),
    "UZ": ("14.0", "2,000", "56"),
}
FIGURE_LABELS = [
    (
        "Personal remittances received, % of GDP",
        "Полученные личные денежные переводы, % ВВП",
        2023,
        "World Bank, World Development Indicators",
        "Всемирный банк, Индикаторы мирового развития",
        "https://data.worldbank.org/indicator/BX.TRF.PWKR.DT.GD.ZS",
    ),
    (
        "Emigrants living abroad, thousands",
        "Эмигранты, проживающие за рубежом, тыс. человек",
        2020,
        "UN DESA, International Migrant Stock",
        "ДЭСВ ООН, International Migrant Stock",
        "https://www.un.org/development/desa/pd/content/international-migrant-stock",
    ),
    (
        "Emigrants in the main country of destination, %",
        "Доля эмигрантов в основной стране назначения, %",
        2020,
        "UN DESA, International Migrant Stock",
        "ДЭСВ ООН, International Migrant Stock",
        "https://www.un.org/development/desa/pd/content/international-migrant-stock",
    ),
]


def _first_member_by_country() -> dict[str, int]:
    firsts: dict[str, int] = {}
    rows = (
        User.objects.filter(profile__status="approved", email__endswith=DEMO_DOMAIN)
        .order_by("pk")
        .values_list("pk", "profile__country")
    )
    for pk, country in rows:
        firsts.setdefault(country, pk)
    return firsts


def _expert_by_country() -> dict[str, int]:
    experts: dict[str, int] = {}
    for expert in Expert.objects.filter(is_listed=True).order_by("pk"):
        for country in expert.countries:
            experts.setdefault(country.code, expert.pk)
    return experts


def _load_cases() -> int:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    members = _first_member_by_country()
    experts = _expert_by_country()
    accounts = dict(User.objects.filter(email__in=[MEMBER, SECRETARIAT]).values_list("email", "pk"))
    existing = set(Case.objects.values_list("slug", flat=True))
    now = timezone.now()
    created = 0
    for index, demo in enumerate(CASES):
        if demo.slug in existing:
            continue
        awaiting = demo.slug == AWAITING_REVIEW
        texts = {}
        for name in (
            "title",
            "summary",
            "problem",
            "measure",
            "results",
            "lessons",
            "institutions",
            "legal_basis",
            "scale",
            "cost",
        ):
            english, russian = getattr(demo, name)
            texts[f"{name}_en"], texts[f"{name}_ru"] = english, russian
        texts["results_source_en"], texts["results_source_ru"] = DEMO_SOURCE
        case = Case.objects.create(
            slug=demo.slug,
            countries=list(demo.countries),
            status=demo.status,
            year_from=demo.years[0],
            year_to=demo.years[1],
            visibility=Visibility.MEMBERS if demo.members_only else Visibility.PUBLIC,
            review_state=ReviewState.SUBMITTED if awaiting else ReviewState.PUBLISHED,
            # Spread over the last year, newest first in the list.
            published_at=None if awaiting else now - timezone.timedelta(days=12 * index + 3),
            proposed_by_id=accounts.get(MEMBER) if awaiting else accounts.get(SECRETARIAT),
            **texts,
        )
        case.topics.set([topics[slug] for slug in demo.topics if slug in topics])
        country = demo.countries[0]
        if country in members:
            case.contact_members.add(members[country])
        if country in experts:
            case.contact_experts.add(experts[country])
        created += 1
    return created


def _first(queryset):
    return queryset.order_by("pk").first()


def _collection_items(topic_slug: str, case_slugs: list[str]) -> list[tuple[str, object, tuple]]:
    """(kind, target, (note_en, note_ru)) in order; what the demo lacks is left out."""
    items: list[tuple[str, object, tuple]] = [
        (
            ItemKind.NOTE,
            None,
            (
                "Start with the cases: what was done, where, and with what results.",
                "Начните с практик: что было сделано, где и с какими результатами.",
            ),
        )
    ]
    for slug in case_slugs:
        case = Case.objects.filter(slug=slug).first()
        if case is not None:
            items.append((ItemKind.CASE, case, ("", "")))
    article = _first(Article.objects.filter(topics__slug=topic_slug))
    if article is not None:
        items.append(
            (
                ItemKind.ARTICLE,
                article,
                ("The magazine's overview of the topic.", "Обзор темы в журнале."),
            )
        )
    document = _first(Document.objects.filter(topics__slug=topic_slug, access=Access.PUBLIC))
    if document is not None:
        items.append(
            (
                ItemKind.DOCUMENT,
                document,
                (
                    "A study to read before the conference.",
                    "Исследование, которое стоит прочесть до конференции.",
                ),
            )
        )
    event = _first(Event.objects.filter(topics__slug=topic_slug).exclude(recording_url=""))
    if event is not None:
        items.append(
            (
                ItemKind.RECORDING,
                event,
                (
                    "The recording of the last video conference on it.",
                    "Запись последней видеоконференции по теме.",
                ),
            )
        )
    expert = _first(Expert.objects.filter(is_listed=True, topics__slug=topic_slug))
    if expert is not None:
        items.append(
            (
                ItemKind.EXPERT,
                expert,
                (
                    "An expert the secretariat can ask.",
                    "Эксперт, к которому можно обратиться через секретариат.",
                ),
            )
        )
    thread = _first(
        Thread.objects.filter(
            topics__slug=topic_slug,
            state=Moderation.PUBLISHED,
            visibility=ThreadVisibility.PUBLIC,
        )
    )
    if thread is not None:
        items.append(
            (
                ItemKind.DISCUSSION,
                thread,
                ("What members asked each other.", "О чём спрашивали друг друга участники."),
            )
        )
    return items


COLLECTIONS = [
    (
        "organised-recruitment-reading-pack",
        ("Organised recruitment: a reading pack", "Оргнабор: подборка материалов"),
        (
            "For the video conference on organised recruitment: the cases of four countries, "
            "the magazine's overview, a study, a recording, an expert and a discussion.",
            "К видеоконференции об организованном наборе: практики четырёх стран, обзор "
            "журнала, исследование, запись, эксперт и обсуждение.",
        ),
        "organised-recruitment",
        [
            "kg-public-recruitment-agency",
            "uz-bilateral-recruitment-korea",
            "am-organised-recruitment-seasonal",
            "tj-pre-departure-centres",
        ],
        Visibility.PUBLIC,
    ),
    (
        "remittances-for-a-ministry",
        (
            "Cheaper and safer remittances: for a ministry's request",
            "Дешевле и надёжнее: денежные переводы — по запросу министерства",
        ),
        (
            "Prepared at the request of a ministry of finance: what the network's countries did "
            "to lower the cost of remittances and bring them into accounts.",
            "Подготовлено по запросу министерства финансов: что сделали страны сети, чтобы "
            "снизить стоимость переводов и перевести их на счета.",
        ),
        "remittances",
        ["tj-remittance-cards", "uz-migrant-bank-accounts", "by-remittance-statistics"],
        Visibility.MEMBERS,
    ),
]


def _load_collections() -> int:
    created = 0
    secretariat = User.objects.filter(email=SECRETARIAT).first()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for slug, title, introduction, topic_slug, case_slugs, visibility in COLLECTIONS:
        if Collection.objects.filter(slug=slug).exists():
            continue
        collection = Collection.objects.create(
            slug=slug,
            title_en=title[0],
            title_ru=title[1],
            introduction_en=introduction[0],
            introduction_ru=introduction[1],
            visibility=visibility,
            is_published=True,
            published_at=timezone.now(),
            created_by=secretariat,
        )
        if topic_slug in topics:
            collection.topics.set([topics[topic_slug]])
        for position, (kind, target, note) in enumerate(
            _collection_items(topic_slug, case_slugs), start=1
        ):
            column = {
                ItemKind.ARTICLE: "article",
                ItemKind.DOCUMENT: "document",
                ItemKind.CASE: "case",
                ItemKind.RECORDING: "event",
                ItemKind.EXPERT: "expert",
                ItemKind.DISCUSSION: "thread",
            }.get(kind)
            CollectionItem.objects.create(
                collection=collection,
                position=position,
                kind=kind,
                note_en=note[0],
                note_ru=note[1],
                **({column: target} if column else {}),
            )
        created += 1
    return created


def _russian_value(value: str) -> str:
    """48.0 → 48,0 and 1,500 → 1 500 (a non-breaking space), as Russian writes numbers."""
    return value.replace(",", "\u00a0").replace(".", ",")


def _load_figures() -> int:
    created = 0
    for country, values in FIGURES.items():
        for position, (label, value) in enumerate(zip(FIGURE_LABELS, values, strict=True)):
            label_en, label_ru, year, source_en, source_ru, url = label
            _figure, new = CountryFigure.objects.get_or_create(
                country=country,
                label_en=label_en,
                year=year,
                defaults={
                    "label_ru": label_ru,
                    "value": value,
                    "value_ru": _russian_value(value),
                    "source_en": source_en + _DEMO_VALUE_EN,
                    "source_ru": source_ru + _DEMO_VALUE_RU,
                    "source_url": url,
                    "position": position,
                },
            )
            created += new
    return created


def load() -> dict[str, int]:
    with transaction.atomic():
        cases = _load_cases()
        collections = _load_collections()
        figures = _load_figures()
    data_changed("practices", "figures")
    return {"cases": cases, "collections": collections, "figures": figures}
