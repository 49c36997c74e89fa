"""The PDF reading pack, read back with pypdf: its contents list every item, the texts are
there in the language asked for (Cyrillic intact), the font is embedded, and only what the
viewer may read is in it."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from practices.enums import ItemKind, Visibility
from tests.factories.members import SecretariatFactory
from tests.factories.practices import CaseFactory, CollectionFactory, CollectionItemFactory
from tests.practices.test_collections import signed_in, world_collection

pytestmark = pytest.mark.django_db

OPEN_TITLES_EN = [
    "Public agency case",
    "Recruitment report",
    "Статья о наборе",
    "Recruitment webinar",
    "Aigul Recruiter",
    "Public recruitment question",
]
MEMBERS_TITLES = ["Members' case", "Members' report", "Members' question"]


def pack(client, collection, lang=""):
    url = reverse("practices:collection_pdf", kwargs={"slug": collection.slug})
    response = client.get(url + (f"?lang={lang}" if lang else ""))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{collection.slug}.pdf"'
    return PdfReader(io.BytesIO(response.content))


def text_of(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_contents_and_texts_list_every_item_the_viewer_reads(member):
    collection, *_ = world_collection()

    anonymous = pack(Client(), collection, lang="en")
    assert [entry.title for entry in anonymous.outline] == OPEN_TITLES_EN
    # The page's footer (the collection's title and the page number) comes first.
    contents = flat(anonymous.pages[1].extract_text()).split("Contents", 1)[1]
    for title in OPEN_TITLES_EN:
        assert title in contents
    text = flat(text_of(anonymous))
    for title in OPEN_TITLES_EN:
        assert title in text
    for note in ("Start with the law.", "Kyrgyzstan's agency.", "The webinar of March."):
        assert note in text
    for hidden in [*MEMBERS_TITLES, "Unpublished case", "Held question", "Draft webinar"]:
        assert hidden not in text
    # The recording's link is for members; anyone gets the event's page.
    assert "https://video.example/recording-1" not in text

    as_member = pack(signed_in(member), collection, lang="en")
    assert [entry.title for entry in as_member.outline] == [*OPEN_TITLES_EN, *MEMBERS_TITLES]
    assert "https://video.example/recording-1" in flat(text_of(as_member))


def test_each_contents_entry_gives_the_page_of_its_item(member):
    collection, *_ = world_collection()
    reader = pack(signed_in(member), collection, lang="en")
    for entry in reader.outline:
        page = reader.get_destination_page_number(entry)
        assert entry.title in flat(reader.pages[page].extract_text())
        assert f"{entry.title} {page + 1}" in flat(reader.pages[1].extract_text())


def test_the_russian_pack_keeps_cyrillic_and_gives_every_field_of_a_case(member):
    collection, *_ = world_collection()
    reader = pack(signed_in(member), collection, lang="ru")
    text = flat(text_of(reader))
    assert reader.pages[0].extract_text().splitlines()[1] == "Оргнабор"
    assert reader.outline[0].title == "Оргнабор через агентство"
    case = collection.items.get(position=2).case
    for value in (
        case.summary_ru,
        case.problem_ru,
        case.measure_ru,
        case.results_ru,
        case.results_source_ru,
    ):
        assert flat(value) in text
    assert case.summary_en not in text


def test_the_font_is_embedded(member):
    collection, *_ = world_collection()
    reader = pack(signed_in(member), collection, lang="ru")
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert "DejaVuSans" in name
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
        assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000


def test_a_pack_of_fifty_cases_lists_every_case():
    collection = CollectionFactory(visibility=Visibility.MEMBERS)
    for position in range(1, 51):
        CollectionItemFactory(
            collection=collection,
            position=position,
            kind=ItemKind.CASE,
            case=CaseFactory(title_en=f"Case number {position:02d}"),
            note_en=f"Why case {position:02d} matters.",
        )
    client = signed_in(SecretariatFactory())
    reader = pack(client, collection, lang="en")
    titles = [f"Case number {position:02d}" for position in range(1, 51)]
    assert [entry.title for entry in reader.outline] == titles
    text = flat(text_of(reader))
    for title in titles:
        assert title in text
