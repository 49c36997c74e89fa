"""/api/v1/cases/: published public cases only, every text in both languages, public links."""

import datetime

import pytest
from django.conf import settings

from events.enums import EventStatus
from mirpal.models import Topic
from practices.enums import CaseStatus, ReviewState, Visibility
from practices.services import case_update
from tests.factories.api import key_header, partner_key
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory
from tests.factories.members import ProfileFactory
from tests.factories.practices import CaseFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
PUBLISHED = datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC)


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def known_case():
    remittances = Topic.objects.get(slug="remittances")
    case = CaseFactory(
        slug="organised-recruitment-kg",
        title_en="Organised recruitment through public agencies",
        title_ru="Оргнабор через государственные агентства",
        legal_basis_en="Law on external labour migration, 2006",
        legal_basis_ru="Закон о внешней трудовой миграции, 2006",
        institutions_en="Ministry of Labour",
        institutions_ru="Министерство труда",
        scale_en="Nationwide",
        scale_ru="Вся страна",
        cost_en="USD 1.2 million a year",
        cost_ru="1,2 млн долларов США в год",
        lessons_en="Needs agreements with employers first.",
        lessons_ru="Сначала нужны соглашения с работодателями.",
        countries=["KG", "UZ"],
        year_from=2019,
        year_to=2024,
        status=CaseStatus.ENDED,
        published_at=PUBLISHED,
        topics=[remittances],
    )
    public_document = DocumentFactory(title_en="Recruitment review", title_ru="Обзор оргнабора")
    closed_document = DocumentFactory(title_en="Internal memo", access="members")
    event = EventFactory(slug="2025-03-01-recruitment", title_en="Recruitment talk")
    draft = EventFactory(status=EventStatus.DRAFT)
    listed = ExpertFactory(name_en="Aigerim Bekova", name_ru="Айгерим Бекова")
    unlisted = ExpertFactory(is_listed=False)
    member = ProfileFactory(status="approved").user
    case.documents.set([public_document, closed_document])
    case.events.set([event, draft])
    case.contact_experts.set([listed, unlisted])
    case.contact_members.set([member])
    return {"case": case, "document": public_document, "event": event, "expert": listed}


def test_a_case_in_full_with_only_its_public_links(client, known_case):
    document, event, expert = known_case["document"], known_case["event"], known_case["expert"]
    response = client.get("/api/v1/cases/organised-recruitment-kg/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "organised-recruitment-kg",
        "title_en": "Organised recruitment through public agencies",
        "title_ru": "Оргнабор через государственные агентства",
        "summary_en": (
            "Workers go abroad through a public agency instead of private intermediaries."
        ),
        "summary_ru": "Работники выезжают через государственное агентство, а не через посредников.",
        "status": "ended",
        "status_label": "Ended",
        "countries": ["KG", "UZ"],
        "topics": [{"slug": "remittances", "name": Topic.objects.get(slug="remittances").name_en}],
        "year_from": 2019,
        "year_to": 2024,
        "published_at": "2025-03-04T09:30:00Z",
        "url": f"{SITE}/practices/organised-recruitment-kg/",
        "problem_en": "Fraudulent private recruiters charged high fees.",
        "problem_ru": "Недобросовестные частные посредники брали высокую плату.",
        "measure_en": "A public agency signs agreements with employers abroad.",
        "measure_ru": "Государственное агентство заключает соглашения с работодателями за рубежом.",
        "legal_basis_en": "Law on external labour migration, 2006",
        "legal_basis_ru": "Закон о внешней трудовой миграции, 2006",
        "institutions_en": "Ministry of Labour",
        "institutions_ru": "Министерство труда",
        "scale_en": "Nationwide",
        "scale_ru": "Вся страна",
        "cost_en": "USD 1.2 million a year",
        "cost_ru": "1,2 млн долларов США в год",
        "results_en": "12,000 workers placed in 2023; fees fell by 60%.",
        "results_ru": "В 2023 году трудоустроено 12 000 работников; расходы снизились на 60%.",
        "results_source_en": "Ministry of Labour, annual report 2023",
        "results_source_ru": "Министерство труда, годовой отчёт за 2023 год",
        "lessons_en": "Needs agreements with employers first.",
        "lessons_ru": "Сначала нужны соглашения с работодателями.",
        "documents": [
            {
                "id": document.pk,
                "title": "Recruitment review",
                "url": f"{SITE}/library/documents/{document.pk}/",
            }
        ],
        "events": [
            {
                "slug": "2025-03-01-recruitment",
                "title": "Recruitment talk",
                "url": f"{SITE}{event.get_absolute_url()}",
            }
        ],
        "contacts": [
            {
                "id": expert.pk,
                "name": "Aigerim Bekova",
                "url": f"{SITE}/members/experts/{expert.pk}/",
            }
        ],
    }
    russian = client.get("/api/v1/cases/organised-recruitment-kg/?lang=ru").json()
    assert (russian["title_en"], russian["topics"], russian["contacts"][0]["name"]) == (
        "Organised recruitment through public agencies",
        [{"slug": "remittances", "name": Topic.objects.get(slug="remittances").name_ru}],
        "Айгерим Бекова",
    )


def test_the_list_shows_published_public_cases_only(client, member, partner_headers):
    public = CaseFactory(slug="public-case")
    CaseFactory(slug="members-case", visibility=Visibility.MEMBERS)
    CaseFactory(slug="waiting-case", review_state=ReviewState.SUBMITTED, published_at=None)
    CaseFactory(
        slug="declined-case",
        review_state=ReviewState.DECLINED,
        review_note="Out of scope.",
        published_at=None,
    )
    assert slugs(client.get("/api/v1/cases/")) == [public.slug]
    assert slugs(client.get("/api/v1/cases/", **partner_headers)) == [public.slug]
    for slug in ("members-case", "waiting-case", "declined-case", "no-such-case"):
        assert client.get(f"/api/v1/cases/{slug}/").status_code == 404
        assert client.get(f"/api/v1/cases/{slug}/", **partner_headers).status_code == 404
    # Not even a member reads a members-only case through the API.
    client.force_login(member)
    assert slugs(client.get("/api/v1/cases/")) == [public.slug]
    assert client.get("/api/v1/cases/members-case/").status_code == 404


def test_the_list_row_and_its_filters(client):
    remittances = Topic.objects.get(slug="remittances")
    older = CaseFactory(
        slug="pilot-tj",
        countries=["TJ"],
        status=CaseStatus.PILOT,
        title_en="Pre-departure orientation courses",
        title_ru="Курсы подготовки к выезду",
        summary_en="Courses for seasonal workers before they leave.",
        summary_ru="Курсы для сезонных работников перед выездом.",
        published_at=PUBLISHED,
        topics=[remittances],
    )
    newer = CaseFactory(slug="in-force-kg", countries=["KG", "KZ"])
    assert slugs(client.get("/api/v1/cases/")) == [newer.slug, older.slug]
    assert slugs(client.get("/api/v1/cases/?country=TJ")) == [older.slug]
    assert slugs(client.get("/api/v1/cases/?country=KZ")) == [newer.slug]
    assert slugs(client.get("/api/v1/cases/?topic=remittances")) == [older.slug]
    assert slugs(client.get("/api/v1/cases/?status=pilot")) == [older.slug]
    assert slugs(client.get("/api/v1/cases/?q=orientation")) == [older.slug]
    assert slugs(client.get("/api/v1/cases/?q=подготовки")) == [older.slug]
    assert slugs(client.get("/api/v1/cases/?q=nothing-like-it")) == []
    row = client.get("/api/v1/cases/?country=TJ").json()["results"][0]
    assert sorted(row) == [
        "countries",
        "published_at",
        "slug",
        "status",
        "status_label",
        "summary_en",
        "summary_ru",
        "title_en",
        "title_ru",
        "topics",
        "url",
        "year_from",
        "year_to",
    ]
    assert (row["title_ru"], row["summary_en"], row["url"]) == (
        "Курсы подготовки к выезду",
        "Courses for seasonal workers before they leave.",
        f"{SITE}/practices/pilot-tj/",
    )
    bad = client.get("/api/v1/cases/?country=ZZ&status=secret")
    assert (bad.status_code, sorted(bad.json())) == (400, ["country", "status"])
    # "International / other" is not a country a case is about.
    assert client.get("/api/v1/cases/?country=XX").status_code == 400


@pytest.mark.parametrize("count", [3, 15])
def test_list_query_count_is_constant(client, count, django_assert_num_queries):
    topic = Topic.objects.first()
    for _ in range(count):
        CaseFactory(topics=[topic])
    # count, page, topics
    with django_assert_num_queries(3):
        response = client.get("/api/v1/cases/")
    assert len(response.json()["results"]) == count


def test_the_cached_list_follows_a_change_made_by_the_secretariat(client, editor):
    case = CaseFactory(title_en="Old title")
    url = "/api/v1/cases/?lang=en"
    first = client.get(url)
    assert [row["title_en"] for row in first.json()["results"]] == ["Old title"]
    # Served from the cache: the same bytes, no query.
    assert client.get(url).content == first.content
    case_update(case=case, by=editor, title_en="Organised recruitment, revised")
    assert [row["title_en"] for row in client.get(url).json()["results"]] == [
        "Organised recruitment, revised"
    ]
    detail = client.get(f"/api/v1/cases/{case.slug}/").json()
    assert detail["title_en"] == "Organised recruitment, revised"
    case_update(case=case, by=editor, visibility=Visibility.MEMBERS)
    assert client.get(url).json()["results"] == []
    assert client.get(f"/api/v1/cases/{case.slug}/").status_code == 404


def test_a_cached_answer_is_served_without_queries(client, django_assert_num_queries):
    CaseFactory()
    first = client.get("/api/v1/cases/")
    with django_assert_num_queries(0):
        again = client.get("/api/v1/cases/")
    assert again.content == first.content
    assert client.get("/api/v1/cases/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_partner_keys_read_cases_within_the_throttle(client, settings):
    CaseFactory(slug="public-case")
    settings.API_RATE_KEY = 2
    _key, raw = partner_key(scopes=["read:cases"])
    headers = key_header(raw)
    assert slugs(client.get("/api/v1/cases/", **headers)) == ["public-case"]
    assert client.get("/api/v1/cases/public-case/", **headers).status_code == 200
    refused = client.get("/api/v1/cases/", **headers)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_nothing_members_only_leaks_from_a_case(client, known_case, partner_headers):
    case = known_case["case"]
    member = case.contact_members.get()
    unlisted = case.contact_experts.get(is_listed=False)
    bodies = [
        client.get(url, **headers).content.decode()
        for url in ("/api/v1/cases/", f"/api/v1/cases/{case.slug}/")
        for headers in ({}, partner_headers)
    ]
    secrets = [
        member.email,
        member.get_full_name() or "NO NAME",
        "Internal memo",
        unlisted.name_en,
        unlisted.contact_email,
        known_case["expert"].contact_email,
        known_case["event"].join_url,
    ]
    assert [secret for secret in secrets for body in bodies if secret in body] == []
