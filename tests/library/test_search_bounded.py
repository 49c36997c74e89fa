"""Search that stays bounded on a word found everywhere: ranked candidates, a capped count
("1,000+"), filter counts from the candidates, results served from the cache until a write."""

import datetime
import re

import pytest
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.urls import reverse

from library.models import Document, DocumentSearchRow
from library.search import search_query
from tests.factories.library import ArticleFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["outcome"].entries]


def status_line(response) -> str:
    return re.search(r'<p class="muted" role="status">(.*?)</p>', response.text).group(1)


def facet_counts(response) -> dict[str, dict[str, int]]:
    facets = response.context["outcome"].facets
    return {name: {o.value: o.count for o in options} for name, options in facets.items()}


def test_results_are_in_the_order_of_their_rank(client):
    DocumentFactory(title_en="Remittances", title_ru="", language="en")
    DocumentFactory(
        title_en="Annual report",
        title_ru="",
        language="en",
        abstract_en="Remittances, remittances and more remittances to rural households.",
    )
    DocumentFactory(title_en="Remittance costs and remittance corridors", title_ru="")
    DocumentFactory(
        title_en="Household survey",
        title_ru="Обследование домохозяйств",
        abstract_en="Includes a short section on remittances.",
        published_on=datetime.date(2020, 1, 1),
    )
    DocumentFactory(title_en="Border statistics", title_ru="", language="en")
    rank = SearchRank(F("ranking_vector"), search_query("remittances"), normalization=1)
    expected = list(
        DocumentSearchRow.objects.filter(search_vector=search_query("remittances"))
        .annotate(rank=rank)
        .order_by("-rank", "-published_on", "-document_id")
        .values_list("document__title_en", flat=True)
    )

    response = client.get(reverse("library:search"), {"q": "remittances"})

    assert len(expected) == 4
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("language", "capped", "exact"),
    [("en", "3+ results", "2 results"), ("ru", "3+ результата", "2 результата")],
)
def test_count_is_capped_beyond_the_cap_in_both_languages(
    client, settings, language, capped, exact
):
    settings.LIBRARY_SEARCH_CAP = 3
    client.cookies["mirpal_language"] = language
    for year in range(2019, 2024):
        DocumentFactory(title_en=f"Labour migration {year}", published_on=datetime.date(year, 1, 1))
    DocumentFactory(title_en="Diaspora bonds", title_ru="")
    DocumentFactory(title_en="Diaspora engagement", title_ru="")

    many = client.get(reverse("library:search"), {"q": "migration"})
    few = client.get(reverse("library:search"), {"q": "diaspora"})

    assert status_line(many) == capped
    assert (many.context["outcome"].count_capped, many.context["outcome"].count) == (True, 4)
    assert status_line(few) == exact
    assert few.context["outcome"].count_capped is False


def test_capped_search_keeps_older_title_matches_and_counts_filters_among_its_candidates(
    client, settings
):
    settings.LIBRARY_SEARCH_CAP = 3
    # Four newer documents mention the word only in their publisher (the body's weight).
    for year in range(2020, 2024):
        DocumentFactory(
            title_en=f"Annual review {year}",
            title_ru="",
            publisher="Migration Policy Institute",
            published_on=datetime.date(year, 1, 1),
            countries=["KZ"],
        )
    DocumentFactory(
        title_en="Migration and remittances",
        title_ru="",
        published_on=datetime.date(2010, 1, 1),
        countries=["TJ"],
    )
    DocumentFactory(title_en="Older review", title_ru="", published_on=datetime.date(2005, 1, 1))

    response = client.get(reverse("library:search"), {"q": "migration"})

    # The four newest matches (cap + 1) and, since that is capped, the title match: the best
    # ranked comes first although it is the oldest.
    assert titles(response) == [
        "Migration and remittances",
        "Annual review 2023",
        "Annual review 2022",
        "Annual review 2021",
        "Annual review 2020",
    ]
    counts = facet_counts(response)
    assert counts["year"] == {"2023": 1, "2022": 1, "2021": 1, "2020": 1, "2010": 1}
    assert counts["country"] == {"KZ": 4, "TJ": 1}
    assert counts["kind"] == {"report": 5}
    assert "The counts cover the results listed, not every match." in response.text


def test_uncapped_facets_count_every_match_through_the_page(client):
    DocumentFactory(title_en="Seasonal migration", title_ru="", kind="study", countries=["KG"])
    DocumentFactory(title_en="Migration data", title_ru="", kind="data_set", countries=["KG"])
    ArticleFactory(title="Migration in the press", language="en", countries=["AM"])

    response = client.get(reverse("library:search"), {"q": "migration", "country": "KG"})

    assert sorted(titles(response)) == ["Migration data", "Seasonal migration"]
    counts = facet_counts(response)
    assert counts["kind"] == {"study": 1, "data_set": 1}
    assert counts["country"] == {"KG": 2}
    assert "The counts cover the results listed" not in response.text


def test_api_search_says_when_its_count_is_capped(client, settings):
    settings.LIBRARY_SEARCH_CAP = 2
    for index in range(3):
        DocumentFactory(title_en=f"Border management {index}", title_ru="")
    DocumentFactory(title_en="Diaspora bonds", title_ru="")

    capped = client.get("/api/v1/search/", {"q": "border"}).json()
    exact = client.get("/api/v1/search/", {"q": "diaspora"}).json()

    assert (capped["count"], capped["count_capped"], len(capped["results"])) == (3, True, 3)
    assert (exact["count"], exact["count_capped"]) == (1, False)


def test_api_schema_documents_the_capped_flag(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    page = schema["components"]["schemas"]["SearchPage"]
    assert page["properties"]["count_capped"]["type"] == "boolean"
    assert "count_capped" in page["required"]


def test_a_document_added_in_the_admin_appears_in_the_next_search(
    client, client_for, django_capture_on_commit_callbacks
):
    DocumentFactory(title_en="Remittance corridors", title_ru="", language="en")
    before = client.get(reverse("library:search"), {"q": "remittance"})
    assert titles(before) == ["Remittance corridors"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("secretariat").post(
            reverse("admin:library_document_add"),
            {
                "kind": "study",
                "title_en": "Remittance costs in Central Asia",
                "title_ru": "",
                "slug": "",
                "language": "en",
                "published_on": "2025-02-01",
                "abstract_en": "",
                "abstract_ru": "",
                "authors_text": "",
                "publisher": "",
                "countries": [],
                "access": "public",
                "external_url": "https://example.org/costs",
                "event": "",
            },
        )
    assert response.status_code == 302
    after = client.get(reverse("library:search"), {"q": "remittance"})

    assert sorted(titles(after)) == ["Remittance corridors", "Remittance costs in Central Asia"]
    assert Document.objects.count() == 2


def test_a_repeated_search_comes_from_the_cache(client, django_assert_num_queries):
    DocumentFactory(title_en="Labour migration", title_ru="", language="en")
    client.get(reverse("library:search"), {"q": "migration"})

    # Only the search log's insert: the results are cached for this query and language.
    with django_assert_num_queries(1):
        again = client.get(reverse("library:search"), {"q": "migration"})

    assert "<mark>migration</mark>" in again.text.lower()


@pytest.mark.parametrize("size", [2, 9])
def test_capped_search_page_query_count_is_constant(
    client, settings, django_assert_num_queries, size
):
    settings.LIBRARY_SEARCH_CAP = 3
    for index in range(size):
        DocumentFactory(title_en=f"Labour migration {index}", title_ru="", language="en")
        ArticleFactory(title=f"Labour migration in issue {index}", language="en")

    # As in test_search_page_query_count_is_constant, capped or not.
    with django_assert_num_queries(7):
        response = client.get(reverse("library:search"), {"q": "labour migration"})

    assert response.context["outcome"].count_capped is (size > 3)


def test_search_rows_follow_their_documents():
    document = DocumentFactory(title_en="Remittance costs", title_ru="", access="public")

    Document.objects.filter(pk=document.pk).update(access="members", countries=["UZ"])
    row = DocumentSearchRow.objects.get(pk=document.pk)
    assert (row.access, row.countries) == ("members", ["UZ"])

    document.delete()
    assert not DocumentSearchRow.objects.filter(pk=document.pk).exists()


def test_landing_filter_selects_render_without_a_template_per_option():
    from library.forms import SearchForm
    from mirpal.widgets import FastSelect

    form = SearchForm()
    assert all(
        isinstance(form.fields[name].widget, FastSelect) for name in ("kind", "country", "language")
    )


@pytest.mark.parametrize(
    ("language", "remove", "kazakhstan"),
    [
        ("en", "remove filter “Study”", "Kazakhstan"),
        ("ru", "снять фильтр «Исследование»", "Казахстан"),
    ],
)
def test_filter_boxes_link_to_the_same_search_with_the_filter_set_or_removed(
    client, language, remove, kazakhstan
):
    client.cookies["mirpal_language"] = language
    DocumentFactory(title_en="Seasonal migration", title_ru="", kind="study", countries=["KZ"])
    DocumentFactory(title_en="Migration data", title_ru="", kind="data_set", countries=["KG"])

    response = client.get(reverse("library:search"), {"q": "migration", "kind": "study", "page": 1})

    text = response.text
    # The chosen kind: its name, its count and a link to the same search without it.
    assert f'<a href="?q=migration" class="library-remove">{remove}</a>' in text
    assert '<strong aria-current="true">' in text
    # Another filter's option: the same search with it set, back on the first page.
    assert f'<a href="?q=migration&amp;kind=study&amp;country=KZ">{kazakhstan}</a> ' in text
    assert '<span class="muted">(1)</span>' in text
