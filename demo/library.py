"""Demo library: 21 issues of Migration 21 with their articles and a few hundred documents in
Russian and English with small generated PDFs; `documents` above that adds rows without files
(for benchmarks), with text in their body and a filled search vector. Idempotent: issues are
known by number, documents by their demo slug."""

from __future__ import annotations

import datetime
import io
import random
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Now

from library.counts import counts_forget
from library.enums import Access, DocumentKind
from library.models import Article, Document, Issue
from library.pdf import pdf_compose
from library.search import article_search_vector, document_search_vector
from library.services import search_rows_reorder
from library.storage import protected_storage
from mirpal.countries import Country
from mirpal.fragments import data_changed
from mirpal.models import Topic

WITH_FILES = 300
BATCH = 2000

# Per topic: (Russian phrase, its words in other forms for sentences), English phrase.
SUBJECTS = {
    "labour-migration": (
        "трудовая миграция",
        "трудовых мигрантов",
        "labour migration",
        "migrant workers",
    ),
    "remittances": (
        "денежные переводы",
        "денежных переводов мигрантов",
        "remittances",
        "remittance flows",
    ),
    "diaspora": ("диаспора", "диаспоральных организаций", "diaspora", "diaspora engagement"),
    "return-reintegration": (
        "возвращение и реинтеграция",
        "вернувшихся мигрантов",
        "return and reintegration",
        "returning migrants",
    ),
    "migration-data": (
        "миграционная статистика",
        "данных о миграции и переводах",
        "migration statistics",
        "data on migration and remittances",
    ),
    "gender": (
        "гендер и миграция",
        "женщин-мигрантов",
        "gender and migration",
        "women migrant workers",
    ),
    "organised-recruitment": (
        "организованный набор",
        "организованного набора работников",
        "organised recruitment",
        "organised recruitment schemes",
    ),
    "pre-departure": (
        "подготовка к выезду",
        "предвыездной подготовки мигрантов",
        "pre-departure orientation",
        "pre-departure training",
    ),
    "integration": (
        "интеграция мигрантов",
        "индексов интеграционной политики",
        "migrant integration",
        "integration policy indexes",
    ),
    "border-management": (
        "управление границами",
        "пограничного контроля",
        "border management",
        "border control",
    ),
    "legislation-policy": (
        "миграционное законодательство",
        "миграционной политики",
        "migration legislation",
        "migration policy",
    ),
}
KIND_NAMES = {
    DocumentKind.REPORT: ("Доклад", "Report"),
    DocumentKind.STUDY: ("Исследование", "Study"),
    DocumentKind.POLICY_BRIEF: ("Аналитическая записка", "Policy brief"),
    DocumentKind.PRESENTATION: ("Презентация", "Presentation"),
    DocumentKind.GOOD_PRACTICE: ("Лучшая практика", "Good practice"),
    DocumentKind.LEGISLATION: ("Обзор законодательства", "Legislation review"),
    DocumentKind.DATA_SET: ("Набор данных", "Data set"),
}
COUNTRY_NAMES = {
    Country.ARMENIA: ("Армения", "Armenia"),
    Country.BELARUS: ("Беларусь", "Belarus"),
    Country.KAZAKHSTAN: ("Казахстан", "Kazakhstan"),
    Country.KYRGYZ_REPUBLIC: ("Кыргызская Республика", "Kyrgyz Republic"),
    Country.MOLDOVA: ("Молдова", "Moldova"),
    Country.RUSSIA: ("Россия", "Russia"),
    Country.TAJIKISTAN: ("Таджикистан", "Tajikistan"),
    Country.UKRAINE: ("Украина", "Ukraine"),
    Country.UZBEKISTAN: ("Узбекистан", "Uzbekistan"),
}
PUBLISHERS = [
    "Международная организация по миграции",
    "Всемирный банк",
    "Центр миграционной политики",
    "Migration Policy Institute",
    "International Labour Organization",
    "Секретариат MIRPAL",
    "Институт демографии НИУ ВШЭ",
    "UN Development Programme",
]
AUTHORS_RU = [
    "А. Иванова",
    "Б. Осмонов",
    "Д. Сарсенбаева",
    "Р. Назаров",
    "Е. Чобану",
    "Т. Шевченко",
    "А. Петросян",
    "У. Каримов",
    "О. Ковалёва",
]
AUTHORS_EN = ["J. Miller", "S. Clarke", "L. Becker", "M. Dupont", "H. Rahimova", "P. Novak"]
SENTENCES_RU = [
    "В работе рассматривается положение {b} в странах региона.",
    "Авторы анализируют опыт {b} и предлагают меры для государственных органов.",
    "Особое внимание уделено теме «{a}», которая остаётся в центре повестки.",
    "Приводятся данные обследований домохозяйств за последние пять лет.",
    "Рекомендации адресованы министерствам труда, миграционным службам и парламентам.",
    "Отдельная глава посвящена сотрудничеству стран происхождения и назначения.",
]
SENTENCES_EN = [
    "The paper examines {a} across the region.",
    "The authors review the experience of {b} and propose measures for governments.",
    "Particular attention is paid to {b}, which remains high on the policy agenda.",
    "It draws on household survey data from the last five years.",
    "Recommendations are addressed to labour ministries, migration services and parliaments.",
    "A separate chapter covers cooperation between countries of origin and destination.",
]
ISSUE_THEMES = [
    ("Трудовая миграция в Евразии", "Labour migration in Eurasia"),
    ("Денежные переводы и развитие", "Remittances and development"),
    ("Диаспоры как партнёры", "Diasporas as partners"),
    ("Возвращение мигрантов", "Return migration"),
    ("Данные о миграции", "Migration data"),
    ("Женщины в миграции", "Women in migration"),
    ("Оргнабор: опыт стран", "Organised recruitment: country experience"),
    ("Подготовка к выезду", "Pre-departure orientation"),
    ("Интеграция и адаптация", "Integration and adaptation"),
    ("Границы и мобильность", "Borders and mobility"),
    ("Законодательство о миграции", "Migration legislation"),
]


def _pick_topics(rng: random.Random, topics: list, first_slug: str) -> list:
    chosen = [topic for topic in topics if topic.slug == first_slug]
    others = [topic for topic in topics if topic.slug != first_slug]
    return chosen + rng.sample(others, min(len(others), rng.randint(0, 2)))


def _document_content(index: int, rng: random.Random) -> dict:
    slug = list(SUBJECTS)[index % len(SUBJECTS)]
    ru_nom, ru_gen, en_nom, en_plural = SUBJECTS[slug]
    kind = list(KIND_NAMES)[index % len(KIND_NAMES)]
    country = list(COUNTRY_NAMES)[(index // len(SUBJECTS)) % len(COUNTRY_NAMES)]
    country_ru, country_en = COUNTRY_NAMES[country]
    year = 2008 + index % 17
    # Two documents in three are in Russian, as in the network's real library.
    language = "en" if index % 3 == 2 else "ru"
    kind_ru, kind_en = KIND_NAMES[kind]
    title_ru = f"{kind_ru}: {ru_nom} — {country_ru}, {year}"
    title_en = f"{kind_en}: {en_nom} in {country_en}, {year}"
    abstract_ru = " ".join(
        sentence.format(a=ru_nom, b=ru_gen) for sentence in rng.sample(SENTENCES_RU, 3)
    )
    abstract_en = " ".join(
        sentence.format(a=en_nom, b=en_plural) for sentence in rng.sample(SENTENCES_EN, 3)
    )
    body_sentences = SENTENCES_RU if language == "ru" else SENTENCES_EN
    body = "\n".join(
        sentence.format(
            a=ru_nom if language == "ru" else en_nom, b=ru_gen if language == "ru" else en_plural
        )
        for sentence in rng.choices(body_sentences, k=12)
    )
    return {
        "topic": slug,
        "kind": kind,
        "country": country,
        "language": language,
        "title_ru": title_ru,
        "title_en": title_en if language == "en" or index % 2 else "",
        "abstract_ru": abstract_ru,
        "abstract_en": abstract_en if language == "en" or index % 2 else "",
        "body": body,
        "published_on": datetime.date(year, 1 + index % 12, 1 + index % 28),
        "authors": ", ".join(rng.sample(AUTHORS_RU if language == "ru" else AUTHORS_EN, 2)),
        "publisher": rng.choice(PUBLISHERS),
    }


def _article_title(content: dict) -> str:
    # "Исследование: трудовая миграция — Таджикистан, 2019" → "Трудовая миграция — Таджикистан"
    title = content["title_ru"] if content["language"] == "ru" else content["title_en"]
    subject = title.split(": ", 1)[1].rsplit(",", 1)[0]
    return subject[:1].upper() + subject[1:]


def _cover_png(number: int) -> bytes:
    from PIL import Image, ImageDraw  # Pillow only when covers are drawn, not for every import

    image = Image.new("RGB", (120, 170), (11, 92 + (number * 7) % 80, 138))
    draw = ImageDraw.Draw(image)
    draw.text((10, 12), "MIGRATION 21", fill="white")
    draw.text((10, 130), f"No {number}", fill="white")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _store(folder: str, data: bytes, extension: str) -> str:
    return protected_storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(data))


def _load_issues(rng: random.Random, topics: list) -> int:
    existing = set(Issue.objects.values_list("number", flat=True))
    new_numbers = [number for number in range(1, 22) if number not in existing]
    issues, articles, article_topics = [], [], []
    for number in new_numbers:
        theme_ru, theme_en = ISSUE_THEMES[(number - 1) % len(ISSUE_THEMES)]
        lines = [f"Migration 21 No {number}", theme_en, theme_ru]
        pdf = pdf_compose(pages=[lines, ["Содержание / Contents"]])
        issues.append(
            Issue(
                number=number,
                published_on=datetime.date(
                    2008 + (number - 1) * 17 // 21, 1 + (number * 5) % 12, 1
                ),
                title_ru=theme_ru,
                title_en=theme_en,
                description_ru=f"Выпуск № {number} журнала «Миграция XXI век»: {theme_ru.lower()}.",
                description_en=f"Issue {number} of the Migration 21 magazine: {theme_en.lower()}.",
                cover=_store("covers", _cover_png(number), "png"),
                pdf=_store("issues", pdf, "pdf"),
                pdf_size=len(pdf),
                pdf_pages=2,
            )
        )
    Issue.objects.bulk_create(issues)
    for issue in Issue.objects.filter(number__in=new_numbers):
        page = 3
        for position in range(rng.randint(4, 6)):
            content = _document_content(issue.number * 10 + position, rng)
            language = content["language"]
            length = rng.randint(4, 10)
            articles.append(
                Article(
                    issue=issue,
                    title=_article_title(content),
                    authors_text=content["authors"],
                    page_start=page,
                    page_end=page + length - 1,
                    abstract=content["abstract_ru"] if language == "ru" else content["abstract_en"],
                    language=language,
                    countries=[content["country"]],
                )
            )
            page += length
            article_topics.append(_pick_topics(rng, topics, content["topic"]))
    created = Article.objects.bulk_create(articles)
    through = Article.topics.through
    through.objects.bulk_create(
        [
            through(article_id=article.pk, topic_id=topic.pk)
            for article, chosen in zip(created, article_topics, strict=True)
            for topic in chosen
        ],
        ignore_conflicts=True,
    )
    return len(issues)


def _load_documents(count: int, rng: random.Random, topics: list, stdout=None) -> int:
    existing = set(Document.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    created_total = 0
    for start in range(0, count, BATCH):
        batch, batch_topics = [], []
        for index in range(start, min(count, start + BATCH)):
            slug = f"demo-{index:06d}"
            if slug in existing:
                continue
            content = _document_content(index, random.Random(index))
            document = Document(
                kind=content["kind"],
                slug=slug,
                title_en=content["title_en"],
                title_ru=content["title_ru"],
                abstract_en=content["abstract_en"],
                abstract_ru=content["abstract_ru"],
                language=content["language"],
                authors_text=content["authors"],
                publisher=content["publisher"],
                published_on=content["published_on"],
                countries=[content["country"]],
                access=Access.MEMBERS if index % 10 == 9 else Access.PUBLIC,
                text=content["body"],
                download_count=(index * 37) % 50 if index < WITH_FILES else 0,
            )
            if index < WITH_FILES:
                lines = [content["title_en"] or content["title_ru"], *content["body"].split("\n")]
                pdf = pdf_compose(pages=[lines[:20]])
                document.file = _store("documents", pdf, "pdf")
                document.file_size, document.file_pages = len(pdf), 1
            else:
                document.external_url = f"https://example.org/library/{slug}"
            batch.append(document)
            batch_topics.append(_pick_topics(rng, topics, content["topic"]))
        created = Document.objects.bulk_create(batch, batch_size=BATCH)
        through = Document.topics.through
        through.objects.bulk_create(
            [
                through(document_id=document.pk, topic_id=topic.pk)
                for document, chosen in zip(created, batch_topics, strict=True)
                for topic in chosen
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        created_total += len(created)
        if stdout and count > BATCH:
            stdout.write(f"library demo: {min(count, start + BATCH)}/{count} documents")
    return created_total


def load(*, documents: int = WITH_FILES, stdout=None) -> dict[str, int]:
    """Create the demo issues, articles and `documents` documents; existing ones are left alone.
    The first 300 documents get a small PDF each; the rest link out (benchmark scale)."""
    rng = random.Random(2026)
    topics = list(Topic.objects.order_by("pk"))
    with transaction.atomic():
        before_documents = Document.objects.aggregate(last=Max("pk"))["last"] or 0
        before_articles = Article.objects.aggregate(last=Max("pk"))["last"] or 0
        issues = _load_issues(rng, topics)
        created = _load_documents(documents, rng, topics, stdout=stdout)
        # One statement each fills the vectors of every new row.
        Document.objects.filter(pk__gt=before_documents).update(
            search_vector=document_search_vector()
        )
        # Demo documents stand for a library partners already know: editing one later must not
        # announce it as new.
        Document.objects.filter(pk__gt=before_documents, access=Access.PUBLIC).update(
            announced_at=Now()
        )
        Article.objects.filter(pk__gt=before_articles).update(search_vector=article_search_vector())
        if created:
            search_rows_reorder()
        transaction.on_commit(counts_forget)
    data_changed("library")  # bulk inserts send no signal
    return {"issues": issues, "documents": created}
