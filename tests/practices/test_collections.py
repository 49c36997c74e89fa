"""Curated collections on the site: the list, a collection's page in its order, who is let in,
which items each viewer is shown, and the page's queries."""

import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.enums import Moderation
from exchange.enums import Visibility as ThreadVisibility
from practices.enums import ItemKind, ReviewState, Visibility
from tests.factories.events import EventFactory
from tests.factories.exchange import ThreadFactory
from tests.factories.library import ArticleFactory, DocumentFactory
from tests.factories.members import ProfileFactory, SecretariatFactory
from tests.factories.practices import CaseFactory, CollectionFactory, CollectionItemFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db


class _Sequence(HTMLParser):
    """The notes and item titles of a collection page, in the order they appear."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._open: list[str | None] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            return
        classes = (dict(attrs).get("class") or "").split()
        mark = next((c for c in ("collection-note", "collection-item-title") if c in classes), None)
        self._open.append(mark)
        if mark:
            self._text = []

    def handle_endtag(self, tag):
        if tag == "br" or not self._open:
            return
        mark = self._open.pop()
        if mark:
            text = " ".join("".join(self._text).split())
            self.found.append(("note: " if mark == "collection-note" else "") + text)

    def handle_data(self, data):
        if any(self._open):
            self._text.append(data)


def page_sequence(response) -> list[str]:
    assert response.status_code == 200
    parser = _Sequence()
    parser.feed(response.content.decode())
    return parser.found


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(collection, kind, position, note="", **target):
    return CollectionItemFactory(
        collection=collection, kind=kind, position=position, note_en=note, note_ru="", **target
    )


def world_collection(**collection_fields):
    """A collection with one item of each kind that everyone reads, then items only some read:
    a members-only case, document and discussion, an unpublished case, held and hidden
    discussions, a draft event and an expert taken off the roster."""
    collection = CollectionFactory(
        title_en="Organised recruitment", title_ru="Оргнабор", **collection_fields
    )
    past = timezone.now() - datetime.timedelta(days=20)
    open_items = [
        add(collection, ItemKind.NOTE, 1, note="Start with the law."),
        add(
            collection,
            ItemKind.CASE,
            2,
            note="Kyrgyzstan's agency.",
            case=CaseFactory(title_en="Public agency case", title_ru="Оргнабор через агентство"),
        ),
        add(
            collection,
            ItemKind.DOCUMENT,
            3,
            document=DocumentFactory(title_en="Recruitment report", kind="report"),
        ),
        add(collection, ItemKind.ARTICLE, 4, article=ArticleFactory(title="Статья о наборе")),
        add(
            collection,
            ItemKind.RECORDING,
            5,
            note="The webinar of March.",
            event=EventFactory(
                title_en="Recruitment webinar",
                starts_at=past,
                ends_at=past + datetime.timedelta(hours=2),
                recording_url="https://video.example/recording-1",
            ),
        ),
        add(collection, ItemKind.EXPERT, 6, expert=ExpertFactory(name_en="Aigul Recruiter")),
        add(
            collection,
            ItemKind.DISCUSSION,
            7,
            thread=ThreadFactory(
                title="Public recruitment question", visibility=ThreadVisibility.PUBLIC
            ),
        ),
    ]
    members_items = [
        add(
            collection,
            ItemKind.CASE,
            8,
            case=CaseFactory(title_en="Members' case", visibility=Visibility.MEMBERS),
        ),
        add(
            collection,
            ItemKind.DOCUMENT,
            9,
            document=DocumentFactory(title_en="Members' report", access="members"),
        ),
        add(
            collection,
            ItemKind.DISCUSSION,
            10,
            thread=ThreadFactory(title="Members' question", visibility=ThreadVisibility.MEMBERS),
        ),
    ]
    secretariat_items = [
        add(
            collection,
            ItemKind.DISCUSSION,
            12,
            thread=ThreadFactory(
                title="Held question",
                visibility=ThreadVisibility.PUBLIC,
                state=Moderation.HELD,
            ),
        ),
        add(
            collection,
            ItemKind.DISCUSSION,
            13,
            thread=ThreadFactory(
                title="Hidden question",
                visibility=ThreadVisibility.PUBLIC,
                state=Moderation.HIDDEN,
            ),
        ),
        add(
            collection,
            ItemKind.RECORDING,
            14,
            event=EventFactory(title_en="Draft webinar", status="draft"),
        ),
        add(
            collection,
            ItemKind.EXPERT,
            15,
            expert=ExpertFactory(name_en="Unlisted Expert", is_listed=False),
        ),
    ]
    # Read by no one from a collection, the secretariat included: not yet published.
    add(
        collection,
        ItemKind.CASE,
        11,
        case=CaseFactory(
            title_en="Unpublished case",
            review_state=ReviewState.SUBMITTED,
            published_at=None,
        ),
    )
    return collection, open_items, members_items, secretariat_items


OPEN_SEQUENCE = [
    "note: Start with the law.",
    "note: Kyrgyzstan's agency.",
    "Public agency case",
    "Recruitment report",
    "Статья о наборе",
    "note: The webinar of March.",
    "Recruitment webinar",
    "Aigul Recruiter",
    "Public recruitment question",
]
MEMBERS_SEQUENCE = [*OPEN_SEQUENCE, "Members' case", "Members' report", "Members' question"]


def test_items_show_in_their_order_with_what_each_viewer_may_read(member):
    collection, *_ = world_collection()
    url = reverse("practices:collection", kwargs={"slug": collection.slug})

    assert page_sequence(Client().get(url)) == OPEN_SEQUENCE
    assert page_sequence(signed_in(member).get(url)) == MEMBERS_SEQUENCE
    assert page_sequence(signed_in(SecretariatFactory()).get(url)) == [
        *MEMBERS_SEQUENCE,
        "Held question",
        "Hidden question",
        "Draft webinar",
        "Unlisted Expert",
    ]


def test_cards_link_each_target_and_the_recording_to_members_only(member):
    collection, open_items, *_ = world_collection()
    url = reverse("practices:collection", kwargs={"slug": collection.slug})
    anonymous = Client().get(url).content.decode()
    for item in open_items[1:]:
        target = item.target
        address = (
            reverse("library:article", args=[target.pk])
            if item.kind == ItemKind.ARTICLE
            else target.get_absolute_url()
        )
        assert f'href="{address}"' in anonymous
    # The expert's card goes to the roster's page of that expert.
    expert = open_items[5].expert
    assert f'href="{reverse("members:expert_detail", args=[expert.pk])}"' in anonymous
    assert "https://video.example/recording-1" not in anonymous
    as_member = signed_in(member).get(url).content.decode()
    assert 'href="https://video.example/recording-1"' in as_member


def test_the_page_reads_in_russian(member):
    collection, *_ = world_collection()
    url = reverse("practices:collection", kwargs={"slug": collection.slug})
    client = signed_in(member)
    client.post(reverse("set_language"), {"language": "ru", "next": url})
    page = client.get(url).content.decode()
    assert "<h1>Оргнабор</h1>" in page
    assert "Оргнабор через агентство" in page
    assert "?lang=ru" in page
    assert 'hreflang="en"' in page


def test_members_only_collection_sends_visitors_to_log_in_and_applicants_away(applicant, member):
    collection = CollectionFactory(visibility=Visibility.MEMBERS)
    CollectionItemFactory(collection=collection)
    url = reverse("practices:collection", kwargs={"slug": collection.slug})

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('account_login')}?next={url}"
    assert signed_in(applicant).get(url)["Location"] == reverse("members:account")
    assert page_sequence(signed_in(member).get(url)) == ["note: Start here."]

    listed = reverse("practices:collections")
    assert collection.title not in Client().get(listed).content.decode()
    assert collection.title not in signed_in(applicant).get(listed).content.decode()
    assert collection.title in signed_in(member).get(listed).content.decode()
    pdf = reverse("practices:collection_pdf", kwargs={"slug": collection.slug})
    assert Client().get(pdf)["Location"] == f"{reverse('account_login')}?next={pdf}"


def test_a_draft_is_missing_but_for_the_secretariat(member):
    draft = CollectionFactory(is_published=False, published_at=None)
    CollectionItemFactory(collection=draft, note_en="Draft note")
    url = reverse("practices:collection", kwargs={"slug": draft.slug})
    pdf = reverse("practices:collection_pdf", kwargs={"slug": draft.slug})

    assert Client().get(url).status_code == 404
    assert signed_in(member).get(url).status_code == 404
    assert signed_in(member).get(pdf).status_code == 404
    secretariat = signed_in(SecretariatFactory())
    page = secretariat.get(url)
    assert page_sequence(page) == ["note: Draft note"]
    assert "Draft: only the secretariat sees it" in page.content.decode()
    listed = secretariat.get(reverse("practices:collections")).content.decode()
    assert draft.title not in listed


def test_the_list_shows_published_collections_newest_first(member):
    older = CollectionFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    newer = CollectionFactory()
    members = CollectionFactory(visibility=Visibility.MEMBERS)
    CollectionFactory(is_published=False, published_at=None)

    def titles(client):
        page = client.get(reverse("practices:collections")).content.decode()
        found = [c for c in (members, newer, older) if c.title in page]
        return sorted(found, key=lambda c: page.index(c.title))

    assert titles(Client()) == [newer, older]
    assert titles(signed_in(member)) == [members, newer, older]


MAKERS = {
    ItemKind.CASE: lambda: {"case": CaseFactory()},
    ItemKind.DOCUMENT: lambda: {"document": DocumentFactory()},
    ItemKind.EXPERT: lambda: {"expert": ExpertFactory()},
    ItemKind.ARTICLE: lambda: {"article": ArticleFactory()},
    ItemKind.RECORDING: lambda: {"event": EventFactory()},
    ItemKind.DISCUSSION: lambda: {"thread": ThreadFactory(visibility=ThreadVisibility.PUBLIC)},
    ItemKind.NOTE: dict,
}


def collection_of(size: int, kinds: list[str]):
    """`size` items cycling through these kinds, each one anyone may read."""
    collection = CollectionFactory()
    for position in range(1, size + 1):
        kind = kinds[(position - 1) % len(kinds)]
        CollectionItemFactory(collection=collection, position=position, kind=kind, **MAKERS[kind]())
    return collection


THREE_KINDS = [ItemKind.CASE, ItemKind.DOCUMENT, ItemKind.EXPERT]


@pytest.mark.parametrize(
    ("size", "kinds", "queries"),
    [
        (3, THREE_KINDS, 8),
        (15, THREE_KINDS, 8),
        (7, list(MAKERS), 10),
        (21, list(MAKERS), 10),
    ],
)
def test_the_page_reads_a_fixed_number_of_queries(size, kinds, queries, django_assert_num_queries):
    collection = collection_of(size, kinds)
    client = signed_in(ProfileFactory(status="approved").user)
    url = reverse("practices:collection", kwargs={"slug": collection.slug})
    client.get(url)
    # The user, the collection, its topics, the items with their targets (one join), then one
    # query each for the cases' and experts' topics and the documents' and articles' authors
    # (experts and members), when the collection holds such items.
    with django_assert_num_queries(queries):
        response = client.get(url)
    notes = size // 7 if ItemKind.NOTE in kinds else 0
    # A note item shows its note; every other item its title (and the factory's note).
    assert len(page_sequence(response)) == size + (size - notes)
