"""/api/v1/collections/: published public collections, their items in order, public targets only."""

import pytest
from django.conf import settings

from events.enums import EventStatus
from mirpal.models import Topic
from practices.enums import ItemKind, ReviewState, Visibility
from tests.factories.events import EventFactory
from tests.factories.exchange import ThreadFactory
from tests.factories.library import ArticleFactory, DocumentFactory
from tests.factories.practices import CaseFactory, CollectionFactory, CollectionItemFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


def item(collection, position, kind, **kwargs):
    notes = {"note_en": "", "note_ru": ""} | kwargs
    return CollectionItemFactory(collection=collection, position=position, kind=kind, **notes)


def test_items_in_order_with_non_public_targets_left_out(client, partner_headers):
    collection = CollectionFactory(
        slug="organised-recruitment", title_en="Organised recruitment", countries=["KG"]
    )
    case = CaseFactory(slug="public-case", title_en="Public case", title_ru="Открытая практика")
    document = DocumentFactory(title_en="Open report", title_ru="Открытый доклад")
    article = ArticleFactory(title="Оргнабор в цифрах", language="ru")
    event = EventFactory(title_en="Recruitment talk", title_ru="Беседа об оргнаборе")
    expert = ExpertFactory(name_en="Aigerim Bekova", name_ru="Айгерим Бекова")
    thread = ThreadFactory(title="Who runs recruitment?", visibility="public")
    CollectionItemFactory(
        collection=collection, position=1, note_en="Start here.", note_ru="Начните отсюда."
    )
    # Positions out of creation order: the answer follows the positions.
    item(collection, 9, ItemKind.DISCUSSION, thread=thread)
    item(collection, 3, ItemKind.CASE, case=case, note_en="A case.", note_ru="Практика.")
    item(collection, 2, ItemKind.DOCUMENT, document=document)
    item(collection, 5, ItemKind.ARTICLE, article=article)
    item(collection, 6, ItemKind.RECORDING, event=event)
    item(collection, 7, ItemKind.EXPERT, expert=expert)
    # Each of these points at what is not public, and is left out.
    members_case = CaseFactory(visibility=Visibility.MEMBERS, title_en="SECRET members case")
    waiting_case = CaseFactory(
        review_state=ReviewState.SUBMITTED, published_at=None, title_en="SECRET waiting case"
    )
    item(collection, 4, ItemKind.CASE, case=members_case)
    item(collection, 10, ItemKind.CASE, case=waiting_case)
    closed = DocumentFactory(title_en="SECRET members document", access="members")
    item(collection, 11, ItemKind.DOCUMENT, document=closed)
    draft = EventFactory(status=EventStatus.DRAFT, title_en="SECRET draft event")
    item(collection, 12, ItemKind.RECORDING, event=draft)
    unlisted = ExpertFactory(is_listed=False, name_en="SECRET unlisted expert")
    item(collection, 13, ItemKind.EXPERT, expert=unlisted)
    closed_thread = ThreadFactory(title="SECRET members thread")
    hidden_thread = ThreadFactory(title="SECRET hidden thread", visibility="public", state="hidden")
    item(collection, 14, ItemKind.DISCUSSION, thread=closed_thread)
    item(collection, 15, ItemKind.DISCUSSION, thread=hidden_thread)

    for headers in ({}, partner_headers):
        response = client.get("/api/v1/collections/organised-recruitment/", **headers)
        assert response.status_code == 200
        assert "SECRET" not in response.content.decode()
        body = response.json()
        assert (body["title_en"], body["countries"], body["url"]) == (
            "Organised recruitment",
            ["KG"],
            f"{SITE}/practices/collections/organised-recruitment/",
        )
        assert body["items"] == [
            {
                "position": 1,
                "kind": "note",
                "kind_label": "Note",
                "note_en": "Start here.",
                "note_ru": "Начните отсюда.",
                "target": None,
            },
            {
                "position": 2,
                "kind": "document",
                "kind_label": "Document",
                "note_en": "",
                "note_ru": "",
                "target": {
                    "title": "Open report",
                    "title_en": "Open report",
                    "title_ru": "Открытый доклад",
                    "url": f"{SITE}/library/documents/{document.pk}/",
                },
            },
            {
                "position": 3,
                "kind": "case",
                "kind_label": "Good-practice case",
                "note_en": "A case.",
                "note_ru": "Практика.",
                "target": {
                    "title": "Public case",
                    "title_en": "Public case",
                    "title_ru": "Открытая практика",
                    "url": f"{SITE}/practices/public-case/",
                },
            },
            {
                "position": 5,
                "kind": "article",
                "kind_label": "Magazine article",
                "note_en": "",
                "note_ru": "",
                "target": {
                    "title": "Оргнабор в цифрах",
                    "title_en": "",
                    "title_ru": "",
                    "url": f"{SITE}/library/articles/{article.pk}/",
                },
            },
            {
                "position": 6,
                "kind": "recording",
                "kind_label": "Event recording",
                "note_en": "",
                "note_ru": "",
                "target": {
                    "title": "Recruitment talk",
                    "title_en": "Recruitment talk",
                    "title_ru": "Беседа об оргнаборе",
                    "url": f"{SITE}{event.get_absolute_url()}",
                },
            },
            {
                "position": 7,
                "kind": "expert",
                "kind_label": "Expert",
                "note_en": "",
                "note_ru": "",
                "target": {
                    "title": "Aigerim Bekova",
                    "title_en": "Aigerim Bekova",
                    "title_ru": "Айгерим Бекова",
                    "url": f"{SITE}/members/experts/{expert.pk}/",
                },
            },
            {
                "position": 9,
                "kind": "discussion",
                "kind_label": "Discussion",
                "note_en": "",
                "note_ru": "",
                "target": {
                    "title": "Who runs recruitment?",
                    "title_en": "",
                    "title_ru": "",
                    "url": f"{SITE}{thread.get_absolute_url()}",
                },
            },
        ]
    russian = client.get("/api/v1/collections/organised-recruitment/?lang=ru").json()
    assert [row["target"]["title"] for row in russian["items"] if row["target"]][:2] == [
        "Открытый доклад",
        "Открытая практика",
    ]


def test_only_published_public_collections(client, member):
    public = CollectionFactory(slug="public-pack")
    CollectionFactory(slug="members-pack", visibility=Visibility.MEMBERS)
    CollectionFactory(slug="draft-pack", is_published=False, published_at=None)
    body = client.get("/api/v1/collections/").json()
    assert [row["slug"] for row in body["results"]] == [public.slug]
    assert sorted(body["results"][0]) == [
        "countries",
        "introduction_en",
        "introduction_ru",
        "published_at",
        "slug",
        "title_en",
        "title_ru",
        "topics",
        "url",
    ]
    for slug in ("members-pack", "draft-pack", "nothing"):
        assert client.get(f"/api/v1/collections/{slug}/").status_code == 404
    client.force_login(member)
    assert client.get("/api/v1/collections/members-pack/").status_code == 404


def test_list_filters(client):
    remittances = Topic.objects.get(slug="remittances")
    about_tj = CollectionFactory(countries=["TJ"])
    about_topic = CollectionFactory()
    about_topic.topics.set([remittances])
    slugs = lambda query: [  # noqa: E731
        row["slug"] for row in client.get(f"/api/v1/collections/{query}").json()["results"]
    ]
    assert slugs("") == [about_topic.slug, about_tj.slug]
    assert slugs("?country=TJ") == [about_tj.slug]
    assert slugs("?topic=remittances") == [about_topic.slug]
    assert client.get("/api/v1/collections/?country=XX").status_code == 400


@pytest.mark.parametrize("count", [3, 15])
def test_query_counts_are_constant(client, count, django_assert_num_queries):
    topic = Topic.objects.first()
    for _ in range(count):
        CollectionFactory().topics.set([topic])
    collection = CollectionFactory(slug="big-pack")
    for position in range(1, count + 1):
        target = CaseFactory() if position % 2 else DocumentFactory()
        kind = ItemKind.CASE if position % 2 else ItemKind.DOCUMENT
        column = "case" if position % 2 else "document"
        item(collection, position, kind, **{column: target})
    # count, page, topics
    with django_assert_num_queries(3):
        listing = client.get("/api/v1/collections/")
    assert len(listing.json()["results"]) == count + 1
    # the collection, its topics, its items with their targets
    with django_assert_num_queries(3):
        detail = client.get("/api/v1/collections/big-pack/")
    assert len(detail.json()["items"]) == count


def test_the_detail_follows_a_target_that_stops_being_public(client):
    collection = CollectionFactory(slug="pack")
    case = CaseFactory(slug="the-case")
    item(collection, 1, ItemKind.CASE, case=case)
    first = client.get("/api/v1/collections/pack/")
    assert [row["target"]["url"] for row in first.json()["items"]] == [
        f"{SITE}/practices/the-case/"
    ]
    case.visibility = Visibility.MEMBERS
    case.save()
    assert client.get("/api/v1/collections/pack/").json()["items"] == []
    assert (
        client.get("/api/v1/collections/pack/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    )
