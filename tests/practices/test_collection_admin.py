"""Curating a collection in the admin: adding items of each kind, reordering them through the
inline (the page follows), a clear error for an item whose target does not match its kind,
publishing and unpublishing (dated, audited)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from mirpal.models import AuditEntry
from practices.enums import ItemKind
from practices.models import Collection, CollectionItem
from tests.factories.library import DocumentFactory
from tests.factories.members import EditorFactory, SecretariatFactory
from tests.factories.practices import CaseFactory, CollectionFactory, CollectionItemFactory
from tests.practices.test_collections import page_sequence

pytestmark = pytest.mark.django_db

TARGETS = ["article", "document", "case", "event", "expert", "thread"]


def staff(user=None) -> Client:
    client = Client()
    client.force_login(user or SecretariatFactory())
    return client


def collection_form(collection: Collection, items: list[dict], extra: list[dict] = ()) -> dict:
    """The admin change form as the page would post it, with these rows in the inline."""
    data = {
        "title_en": collection.title_en,
        "title_ru": collection.title_ru,
        "slug": collection.slug,
        "introduction_en": collection.introduction_en,
        "introduction_ru": collection.introduction_ru,
        "visibility": collection.visibility,
        "items-TOTAL_FORMS": str(len(items) + len(extra)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    if collection.is_published:
        data["is_published"] = "on"
    for index, row in enumerate([*items, *extra]):
        prefix = f"items-{index}-"
        item = row.get("item")
        values = {
            "id": item.pk if item else "",
            "collection": collection.pk,
            "position": item.position if item else "",
            "kind": item.kind if item else "",
            "note_en": item.note_en if item else "",
            "note_ru": item.note_ru if item else "",
            **{name: (getattr(item, f"{name}_id") or "") if item else "" for name in TARGETS},
        }
        values.update({key: value for key, value in row.items() if key != "item"})
        data.update({prefix + key: value for key, value in values.items()})
    return data


def change_url(collection) -> str:
    return reverse("admin:practices_collection_change", args=[collection.pk])


def test_reordering_in_the_inline_changes_the_page_order():
    collection = CollectionFactory()
    first = CollectionItemFactory(collection=collection, position=1, note_en="First")
    second = CollectionItemFactory(
        collection=collection,
        position=2,
        kind=ItemKind.CASE,
        case=CaseFactory(title_en="The case"),
        note_en="Second",
    )
    third = CollectionItemFactory(collection=collection, position=3, note_en="Third")
    page = reverse("practices:collection", kwargs={"slug": collection.slug})
    assert page_sequence(Client().get(page)) == [
        "note: First",
        "note: Second",
        "The case",
        "note: Third",
    ]

    response = staff().post(
        change_url(collection),
        collection_form(
            collection,
            [
                {"item": first, "position": 3},
                {"item": second, "position": 1},
                {"item": third, "position": 2},
            ],
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    with connection.cursor() as cursor:  # the deferred unique positions, checked now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert page_sequence(Client().get(page)) == [
        "note: Second",
        "The case",
        "note: Third",
        "note: First",
    ]


def test_a_new_item_without_a_position_goes_to_the_end_and_gaps_close():
    collection = CollectionFactory()
    first = CollectionItemFactory(collection=collection, position=10, note_en="First")
    document = DocumentFactory(title_en="The report")
    response = staff(EditorFactory()).post(
        change_url(collection),
        collection_form(
            collection,
            [{"item": first}],
            extra=[{"kind": ItemKind.DOCUMENT, "document": document.pk, "note_en": "Then"}],
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    assert list(
        CollectionItem.objects.filter(collection=collection)
        .order_by("position")
        .values_list("position", "kind", "document__title_en")
    ) == [(1, "note", None), (2, "document", "The report")]


def test_two_items_in_one_place_are_refused_with_a_message():
    collection = CollectionFactory()
    first = CollectionItemFactory(collection=collection, position=1, note_en="First")
    second = CollectionItemFactory(collection=collection, position=2, note_en="Second")
    response = staff().post(
        change_url(collection),
        collection_form(collection, [{"item": first}, {"item": second, "position": 1}]),
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "Two items cannot share a position: give each its own (1)."
    ]


def test_an_item_whose_target_does_not_match_its_kind_gets_a_form_error():
    collection = CollectionFactory()
    document = DocumentFactory()
    case = CaseFactory()
    response = staff().post(
        change_url(collection),
        collection_form(
            collection,
            [],
            extra=[
                {"kind": ItemKind.CASE, "position": 1, "document": document.pk},
                {
                    "kind": ItemKind.DOCUMENT,
                    "position": 2,
                    "document": document.pk,
                    "case": case.pk,
                },
                {"kind": ItemKind.NOTE, "position": 3},
            ],
        ),
    )
    assert response.status_code == 200
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert forms[0].errors == {
        "case": ["A “Good-practice case” item needs this field: choose what it points to."],
        "document": [
            "A “Good-practice case” item does not point to this: clear the field "
            "or change the kind."
        ],
    }
    assert forms[1].errors == {
        "case": ["A “Document” item does not point to this: clear the field or change the kind."]
    }
    assert forms[2].errors == {"note_en": ["A note item needs its text, in English or in Russian."]}
    assert CollectionItem.objects.count() == 0


def test_publishing_from_the_form_and_the_actions_dates_and_audits_it():
    draft = CollectionFactory(is_published=False, published_at=None)
    client = staff()
    data = collection_form(draft, [])
    data["is_published"] = "on"
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    first_date = draft.published_at
    assert first_date is not None

    changelist = reverse("admin:practices_collection_changelist")
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert (draft.is_published, draft.published_at) == (False, first_date)
    page = reverse("practices:collection", kwargs={"slug": draft.slug})
    assert Client().get(page).status_code == 404

    client.post(changelist, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert (draft.is_published, draft.published_at) == (True, first_date)
    assert Client().get(page).status_code == 200
    assert list(
        AuditEntry.objects.filter(object_type="practices.Collection")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["publish", "change", "change", "publish"]


def test_the_admin_pages_open_with_links_to_the_page_and_the_pdf():
    collection = CollectionFactory()
    CollectionItemFactory(collection=collection)
    client = staff()
    listing = client.get(reverse("admin:practices_collection_changelist"))
    assert listing.status_code == 200
    form = client.get(change_url(collection)).content.decode()
    pdf = reverse("practices:collection_pdf", kwargs={"slug": collection.slug})
    assert f'href="{pdf}"' in form
    assert f'href="{collection.get_absolute_url()}"' in form
    assert client.get(reverse("admin:practices_collection_add")).status_code == 200
