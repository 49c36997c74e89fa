import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from events.enums import EventStatus
from events.models import Session
from mirpal.models import Topic
from tests.factories.events import EventFactory, in_days
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.factories.roster import ExpertFactory, photo_upload

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def test_event_list_filters_by_kind_topic_country_language_and_dates(client):
    remittances = Topic.objects.get(slug="remittances")
    seminar = EventFactory(
        kind="seminar",
        countries=["TJ"],
        languages=["ru"],
        starts_at=in_days(3),
        topics=[remittances],
    )
    talk = EventFactory(countries=["KZ"], languages=["en"], starts_at=in_days(20))
    EventFactory(status=EventStatus.DRAFT)
    past = EventFactory(starts_at=in_days(-30))

    assert slugs(client.get("/api/v1/events/")) == [seminar.slug, talk.slug]
    assert slugs(client.get("/api/v1/events/?kind=seminar")) == [seminar.slug]
    assert slugs(client.get("/api/v1/events/?topic=remittances")) == [seminar.slug]
    assert slugs(client.get("/api/v1/events/?country=KZ")) == [talk.slug]
    assert slugs(client.get("/api/v1/events/?language=en")) == [talk.slug]
    after = (timezone.now() + datetime.timedelta(days=10)).date().isoformat()
    assert slugs(client.get(f"/api/v1/events/?starts_after={after}")) == [talk.slug]
    assert slugs(client.get(f"/api/v1/events/?when=all&starts_before={after}")) == [
        past.slug,
        seminar.slug,
    ]
    assert slugs(client.get("/api/v1/events/?when=past")) == [past.slug]
    bad = client.get("/api/v1/events/?country=ZZ&starts_after=tomorrow")
    assert bad.status_code == 400
    assert sorted(bad.json()) == ["country", "starts_after"]


def test_event_detail_has_speakers_and_agenda_and_no_drafts(client):
    speaker = ExpertFactory(name_en="Aigerim Bekova")
    event = EventFactory(
        kind="annual_conference", venue_city="Almaty", venue_country="KZ", speakers=[speaker]
    )
    session = Session.objects.create(
        event=event,
        title_en="Opening",
        title_ru="Открытие",
        starts_at=event.starts_at,
        ends_at=event.starts_at + datetime.timedelta(minutes=30),
    )
    session.speakers.set([speaker])
    body = client.get(f"/api/v1/events/{event.slug}/").json()
    assert [s["name"] for s in body["speakers"]] == ["Aigerim Bekova"]
    assert [(a["title"], [s["name"] for s in a["speakers"]]) for a in body["agenda"]] == [
        ("Opening", ["Aigerim Bekova"])
    ]
    draft = EventFactory(status=EventStatus.DRAFT)
    assert client.get(f"/api/v1/events/{draft.slug}/").status_code == 404


def test_answers_follow_lang_parameter_and_accept_language(client):
    event = EventFactory(title_en="Remittances", title_ru="Денежные переводы")
    url = f"/api/v1/events/{event.slug}/"
    assert client.get(url).json()["title"] == "Remittances"
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert (russian.json()["title"], russian["Content-Language"]) == ("Денежные переводы", "ru")
    assert client.get(url + "?lang=ru").json()["kind_label"] == "Видеоконференция"
    assert client.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE="ru").json()["title"] == "Remittances"


@pytest.mark.parametrize("count", [1, 25])
def test_event_list_query_count_is_constant(client, count, django_assert_num_queries):
    topic = Topic.objects.first()
    for _ in range(count):
        EventFactory(topics=[topic])
    # count, page, topics; and when the next event ends (how long the answer may be kept)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/events/")
    assert len(response.json()["results"]) == min(count, 20)


@pytest.mark.parametrize("count", [1, 25])
def test_expert_and_document_lists_query_count_is_constant(
    client, count, django_assert_num_queries
):
    topic = Topic.objects.first()
    for _ in range(count):
        ExpertFactory(topics=[topic])
        DocumentFactory(topics=[topic])
    # count, page, topics, links
    with django_assert_num_queries(4):
        assert client.get("/api/v1/experts/").status_code == 200
    # count, page, topics
    with django_assert_num_queries(3):
        assert client.get("/api/v1/documents/").status_code == 200


def test_pagination_page_size_and_links(client):
    for _ in range(5):
        EventFactory()
    body = client.get("/api/v1/events/?page_size=2&page=2").json()
    assert (body["count"], len(body["results"])) == (5, 2)
    assert body["next"].endswith("/api/v1/events/?page=3&page_size=2")
    assert client.get("/api/v1/events/?page=9").status_code == 404


def test_etag_and_last_modified_answer_304(client):
    event = EventFactory()
    url = f"/api/v1/events/{event.slug}/"
    first = client.get(url)
    assert first["Last-Modified"] == http_date(int(event.updated_at.timestamp()))
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    listing = client.get("/api/v1/events/")
    assert client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    event.title_en = "Changed"
    event.save()
    assert client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_signed_in_answers_are_private(client, member):
    client.force_login(member)
    response = client.get("/api/v1/events/")
    assert response["Cache-Control"] == "private, no-cache"


def test_members_only_documents_for_members_only(client, member, partner_headers):
    public = DocumentFactory(title_en="Open report")
    closed = DocumentFactory(title_en="Internal report", access="members")
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    assert ids(client.get("/api/v1/documents/")) == [public.pk]
    assert ids(client.get("/api/v1/documents/", **partner_headers)) == [public.pk]
    assert client.get(f"/api/v1/documents/{closed.pk}/", **partner_headers).status_code == 404
    client.force_login(member)
    assert ids(client.get("/api/v1/documents/")) == [closed.pk, public.pk]
    assert client.get(f"/api/v1/documents/{closed.pk}/").json()["members_only"] is True


def test_search_uses_library_search(client):
    DocumentFactory(
        title_en="Remittance corridors in Central Asia",
        title_ru="",
        language="en",
        abstract_en="Remittance costs fell.",
    )
    DocumentFactory(title_en="Remittance secrets", language="en", access="members")
    ArticleFactory(title="Remittance flows", language="en", abstract="About remittance flows")
    body = client.get("/api/v1/search/?q=remittance").json()
    assert body["count"] == 2
    assert sorted(row["type"] for row in body["results"]) == ["article", "document"]
    assert "<mark>" in body["results"][0]["title_html"]


def test_issues_articles_topics_countries(client):
    issue = IssueFactory(title_en="Labour markets")
    article = ArticleFactory(issue=issue, title="Seasonal work")
    assert client.get("/api/v1/issues/").json()["results"][0]["number"] == issue.number
    detail = client.get(f"/api/v1/issues/{issue.number}/").json()
    assert [a["title"] for a in detail["articles"]] == ["Seasonal work"]
    assert client.get(f"/api/v1/articles/?issue={issue.number}").json()["count"] == 1
    assert client.get(f"/api/v1/articles/{article.pk}/").json()["issue"] == issue.number
    assert client.get("/api/v1/issues/999/").status_code == 404
    topics = client.get("/api/v1/topics/").json()
    assert [row["slug"] for row in topics] == list(Topic.objects.values_list("slug", flat=True))
    countries = client.get("/api/v1/countries/?lang=ru").json()
    assert countries[2] == {"code": "KZ", "name": "Казахстан"}


def test_experts_list_only_listed_experts(client):
    listed = ExpertFactory()
    ExpertFactory(is_listed=False)
    body = client.get("/api/v1/experts/").json()
    assert [row["id"] for row in body["results"]] == [listed.pk]
    assert sorted(body["results"][0]) == [
        "affiliation",
        "bio",
        "countries",
        "help_kinds",
        "id",
        "languages",
        "links",
        "name",
        "photo",
        "title",
        "topics",
        "url",
    ]


@pytest.mark.parametrize(
    "url", ["/api/v1/topics/?lang=AAA", "/api/v1/events/0/?lang=AAA", "/api/v1/issues/?lang=de"]
)
def test_unknown_lang_is_a_clear_400(client, url):
    response = client.get(url)
    assert (response.status_code, response.json()) == (
        400,
        {"lang": ["Choose one of: en, ru."]},
    )


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_page_outside_the_list_is_a_404_not_an_error(client, page):
    IssueFactory()
    response = client.get(f"/api/v1/issues/?lang=en&page={page}")
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def test_an_experts_photo_is_the_sites_photo_view_and_answers(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    expert = ExpertFactory(photo=photo_upload("amina.png"))
    photo = client.get("/api/v1/experts/").json()["results"][0]["photo"]

    path = reverse("members:expert_photo", args=[expert.pk])
    assert photo == f"{settings.SITE_URL}{path}?v={int(expert.updated_at.timestamp())}"
    answer = client.get(photo.removeprefix(settings.SITE_URL))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    with expert.photo.open("rb") as stored:
        assert answer.content == stored.read()
