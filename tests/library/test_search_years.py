"""Search walks the years newest first (library/search_sql.py): the newest matches are the same
as if every match were sorted by date, whichever years hold them; only the newest title and
abstract matches are ranked; the year lexeme it walks on is never something a person can find."""

import datetime

import pytest
from django.urls import reverse

from library.models import DocumentSearchRow
from tests.factories.library import DocumentFactory
from tests.library.test_admin import document_form

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["outcome"].entries]


def body_match(title: str, year: int, **fields):
    """A document with the word in its publisher only (the body's weight): found, never ranked."""
    return DocumentFactory(
        title_en=title,
        title_ru="",
        language="en",
        publisher="Remittance Observatory",
        published_on=datetime.date(year, 6, 1),
        **fields,
    )


def test_older_years_fill_in_when_the_recent_ones_hold_too_few(client, settings):
    settings.LIBRARY_SEARCH_CAP = 4
    # The two newest years hold two matches; the rest are spread over older years, with a gap.
    for title, year in [
        ("Review 2024", 2024),
        ("Review 2023", 2023),
        ("Review 2019", 2019),
        ("Review 2015 b", 2015),
        ("Review 2015 a", 2015),
        ("Review 2010", 2010),
    ]:
        body_match(title, year)
    DocumentFactory(
        title_en="Border statistics", title_ru="", published_on=datetime.date(2022, 1, 1)
    )

    response = client.get(reverse("library:search"), {"q": "remittance"})

    outcome = response.context["outcome"]
    # cap + 1 matches, newest first, as a sort of every match by date would give.
    assert (outcome.count, outcome.count_capped) == (5, True)
    assert titles(response) == [
        "Review 2024",
        "Review 2023",
        "Review 2019",
        # One date: the later added first, as everywhere in the library.
        "Review 2015 a",
        "Review 2015 b",
    ]


@pytest.mark.parametrize("recent", [0, 3, 5])
def test_older_years_are_searched_at_once_or_walked_and_give_the_same_newest(
    client, settings, recent
):
    # The limit is 10: with fewer than 4 matches (COMMON_SHARE) in the two newest years the older
    # years are searched at once, with more they are walked year by year; either way, the
    # newest first.
    settings.LIBRARY_SEARCH_CAP = 9
    for index in range(recent):
        body_match(f"Recent {index}", 2024)
    for year in range(2022, 2004, -1):
        body_match(f"Review {year}", year)
    DocumentFactory(
        title_en="Border statistics", title_ru="", published_on=datetime.date(2023, 1, 1)
    )

    response = client.get(reverse("library:search"), {"q": "remittance"})

    expected = [f"Recent {index}" for index in reversed(range(recent))]
    expected += [f"Review {year}" for year in range(2022, 2022 - (10 - recent), -1)]
    assert titles(response) == expected
    assert response.context["outcome"].count == 10


def test_recent_years_alone_answer_a_common_word(client, settings):
    settings.LIBRARY_SEARCH_CAP = 2
    for index in range(3):
        body_match(f"Current review {index}", 2024)
    body_match("Old review", 2001)

    response = client.get(reverse("library:search"), {"q": "remittance"})

    assert response.context["outcome"].count_capped is True
    assert "Old review" not in titles(response)
    assert len(titles(response)) == 3


def test_a_filtered_search_without_words_lists_every_year_newest_first(client):
    for year in (2024, 2012, 2018, 2003):
        DocumentFactory(
            title_en=f"Kazakhstan {year}",
            title_ru="",
            countries=["KZ"],
            published_on=datetime.date(year, 3, 1),
        )
    DocumentFactory(title_en="Moldova 2020", title_ru="", countries=["MD"])

    response = client.get(reverse("library:country", args=["KZ"]))

    assert titles(response) == [
        "Kazakhstan 2024",
        "Kazakhstan 2018",
        "Kazakhstan 2012",
        "Kazakhstan 2003",
    ]


def test_only_the_newest_title_matches_are_ranked(client, settings):
    settings.LIBRARY_SEARCH_RANKED = 2
    # Three title matches; the oldest has the best rank but is beyond the two ranked.
    DocumentFactory(
        title_en="Remittances, remittances, remittances",
        title_ru="",
        language="en",
        published_on=datetime.date(2016, 1, 1),
    )
    DocumentFactory(
        title_en="Labour markets and remittances",
        title_ru="",
        language="en",
        published_on=datetime.date(2022, 1, 1),
    )
    DocumentFactory(
        title_en="Remittances",
        title_ru="",
        language="en",
        published_on=datetime.date(2023, 1, 1),
    )
    body_match("Annual review", 2024)

    response = client.get(reverse("library:search"), {"q": "remittances"})

    # The two newest title matches, best first; then the others, newest first.
    assert titles(response) == [
        "Remittances",
        "Labour markets and remittances",
        "Annual review",
        "Remittances, remittances, remittances",
    ]


@pytest.mark.parametrize("query", ["_y2024", "y2024", "_Y2024", "'_y2024'", "2024"])
def test_the_year_lexeme_is_never_found_by_what_people_type(client, query):
    DocumentFactory(
        title_en="Border management", title_ru="", published_on=datetime.date(2024, 1, 1)
    )
    row = DocumentSearchRow.objects.get()
    assert "'_y2024'" in str(row.search_vector)

    response = client.get(reverse("library:search"), {"q": query})
    api = client.get("/api/v1/search/", {"q": query}).json()

    assert titles(response) == []
    assert api["count"] == 0


def test_a_date_changed_in_the_admin_moves_the_document_to_its_new_year(client, client_for):
    document = DocumentFactory(
        title_en="Pre-departure orientation in Tajikistan",
        title_ru="",
        language="en",
        kind="study",
        slug="pre-departure",
        published_on=datetime.date(2024, 2, 1),
    )

    response = client_for("secretariat").post(
        reverse("admin:library_document_change", args=[document.pk]),
        document_form(
            slug="pre-departure",
            published_on="2011-09-15",
            external_url="https://example.org/orientation",
        ),
    )
    assert response.status_code == 302

    in_2011 = client.get(reverse("library:search"), {"q": "orientation", "year": "2011"})
    in_2024 = client.get(reverse("library:search"), {"q": "orientation", "year": "2024"})
    assert titles(in_2011) == ["Pre-departure orientation in Tajikistan"]
    assert titles(in_2024) == []
    assert "'_y2011'" in str(DocumentSearchRow.objects.get(pk=document.pk).search_vector)


def test_api_search_entries_are_what_the_schema_serializer_gives(client):
    from api.serializers import SearchEntrySerializer, search_entry_data
    from library.search import SearchFilters, library_search
    from tests.factories.library import ArticleFactory

    DocumentFactory(
        title_en="Remittances <and> costs", title_ru="", language="en", abstract_en="Remittances."
    )
    body_match("Annual review", 2020)
    ArticleFactory(title="Remittance flows", language="en")
    entries = library_search(filters=SearchFilters(query="remittances"), member=False).entries

    assert {entry.entry_type for entry in entries} == {"document", "article"}
    for entry in entries:
        assert search_entry_data(entry) == dict(SearchEntrySerializer(entry).data)
    answer = client.get("/api/v1/search/", {"q": "remittances"}).json()
    assert [result["title"] for result in answer["results"]] == [str(e.title) for e in entries]


@pytest.mark.parametrize(
    ("asked", "shown", "first_title"),
    [("1", 1, "Review 2024"), ("2", 2, "Review 2004"), ("9", 2, "Review 2004"), ("x", 1, None)],
)
def test_search_pages_are_read_one_at_a_time_as_the_paginator_picks_them(
    client, asked, shown, first_title
):
    for year in range(2024, 2002, -1):  # 22 matches, one a year
        body_match(f"Review {year}", year)

    response = client.get(reverse("library:search"), {"q": "remittance", "page": asked})

    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, page.paginator.count) == (shown, 2, 22)
    assert len(titles(response)) == (20 if shown == 1 else 2)
    assert titles(response)[0] == (first_title or "Review 2024")
    api = client.get("/api/v1/search/", {"q": "remittance", "page": "2"}).json()
    assert (api["page"], api["pages"], [r["title"] for r in api["results"]]) == (
        2,
        2,
        ["Review 2004", "Review 2003"],
    )


def test_every_combination_of_filters_finds_exactly_what_it_allows():
    import itertools

    from library.search import SearchFilters, library_search
    from mirpal.models import Topic

    topic = Topic.objects.get(slug="remittances")
    specs = [
        ("study", "KZ", "en", 2024, True, "public"),
        ("study", "KG", "ru", 2019, False, "public"),
        ("report", "KZ", "en", 2019, True, "members"),
        ("report", "KG", "en", 2010, False, "public"),
    ]
    for index, (kind, country, language, year, tagged, access) in enumerate(specs):
        DocumentFactory(
            title_en=f"Migration note {index}",
            title_ru="",
            kind=kind,
            countries=[country],
            language=language,
            published_on=datetime.date(year, 3, 1),
            topics=[topic] if tagged else [],
            access=access,
        )
    values = {"kind": "study", "country": "KZ", "language": "en", "year": 2019, "topic": topic.slug}
    for chosen in itertools.product([False, True], repeat=len(values)):
        filters = {
            name: value for (name, value), on in zip(values.items(), chosen, strict=True) if on
        }
        for query, member, facets in itertools.product(
            ["migration", ""], [False, True], [False, True]
        ):
            outcome = library_search(
                filters=SearchFilters(query=query, **filters), member=member, with_facets=facets
            )
            expected = sorted(
                f"Migration note {index}"
                for index, (kind, country, language, year, tagged, access) in enumerate(specs)
                if (member or access == "public")
                and filters.get("kind", kind) == kind
                and filters.get("country", country) == country
                and filters.get("language", language) == language
                and filters.get("year", year) == year
                and ("topic" not in filters or tagged)
            )
            found = sorted(str(entry.title) for entry in outcome.entries)
            assert (found, outcome.count) == (expected, len(expected)), (filters, query, member)
