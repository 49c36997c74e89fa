import re

import pytest
from django.urls import reverse

from library.models import SearchLog
from library.search import SearchFilters, headline_html, library_search
from mirpal.models import Topic
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory, pdf_upload

pytestmark = pytest.mark.django_db


def titles(outcome) -> list[str]:
    return [entry.title for entry in outcome.entries]


def search(query: str = "", member: bool = True, **filters):
    return library_search(filters=SearchFilters(query=query, **filters), member=member)


def test_russian_query_finds_another_word_form_through_stemming():
    DocumentFactory(
        title_ru="Защита прав трудовых мигрантов",
        title_en="",
        language="ru",
        abstract_ru="Обзор практики стран Центральной Азии.",
    )
    DocumentFactory(title_ru="Статистика денежных переводов", title_en="", language="ru")

    assert titles(search("трудовой мигрант")) == ["Защита прав трудовых мигрантов"]
    assert titles(search("мигранты")) == ["Защита прав трудовых мигрантов"]


def test_russian_word_in_the_extracted_body_is_found_and_highlighted():
    from library.services import document_text_extract

    document = DocumentFactory(
        title_ru="Годовой отчёт",
        title_en="",
        file=pdf_upload(
            "Организованный набор рабочей силы для трудовых мигрантов из Таджикистана."
        ),
    )
    assert search("мигрантами").entries == []

    assert document_text_extract(document_id=document.pk) is True

    outcome = search("мигрантами")
    assert titles(outcome) == ["Годовой отчёт"]
    assert "<mark>мигрантов</mark>" in outcome.entries[0].snippet_html


def test_hyphenated_words_match_other_forms_of_their_parts():
    DocumentFactory(
        title_ru="Положение женщин-мигрантов в Таджикистане", title_en="", language="ru"
    )
    DocumentFactory(title_en="Pre-departure orientation", title_ru="", language="en")

    assert titles(search("женщины-мигранты")) == ["Положение женщин-мигрантов в Таджикистане"]
    assert titles(search('"pre-departure orientation"')) == ["Pre-departure orientation"]
    assert titles(search("migration -orientation")) == []


def test_english_query_finds_english_and_ranks_title_above_abstract():
    DocumentFactory(
        title_en="Annual report",
        title_ru="",
        language="en",
        abstract_en="Remittance flows and the orientation of migrants before departure.",
    )
    DocumentFactory(
        title_en="Pre-departure orientation of migrant workers", title_ru="", language="en"
    )
    DocumentFactory(title_en="Border statistics", title_ru="", language="en")

    assert titles(search("orientation", member=True)) == [
        "Pre-departure orientation of migrant workers",
        "Annual report",
    ]
    assert titles(search("migrants departure")) == [
        "Pre-departure orientation of migrant workers",
        "Annual report",
    ]


def test_web_search_syntax_phrase_or_and_minus():
    DocumentFactory(title_en="Organised recruitment schemes", title_ru="", language="en")
    DocumentFactory(
        title_en="Recruitment agencies, organised by region", title_ru="", language="en"
    )
    DocumentFactory(title_en="Remittance costs", title_ru="", language="en")

    assert titles(search('"organised recruitment"')) == ["Organised recruitment schemes"]
    assert sorted(titles(search("schemes OR remittance"))) == [
        "Organised recruitment schemes",
        "Remittance costs",
    ]
    assert titles(search("recruitment -agencies")) == ["Organised recruitment schemes"]


def test_articles_and_documents_in_one_list_with_filters_and_counts():
    topic = Topic.objects.get(slug="remittances")
    DocumentFactory(
        title_ru="Денежные переводы мигрантов в Кыргызстан",
        title_en="",
        kind="study",
        countries=["KG"],
        topics=[topic],
    )
    ArticleFactory(title="Переводы мигрантов и бедность", countries=["TJ"], topics=[topic])
    DocumentFactory(title_ru="Денежные переводы и банки", title_en="", kind="report")

    outcome = search("переводы мигрантов")
    assert sorted((entry.entry_type, entry.title) for entry in outcome.entries) == [
        ("article", "Переводы мигрантов и бедность"),
        ("document", "Денежные переводы мигрантов в Кыргызстан"),
    ]
    counts = {name: {o.value: o.count for o in options} for name, options in outcome.facets.items()}
    assert counts["kind"] == {"study": 1, "article": 1}
    assert counts["country"] == {"KG": 1, "TJ": 1}
    assert counts["topic"] == {"remittances": 2}
    assert counts["language"] == {"ru": 2}
    assert counts["year"] == {"2024": 1, "2023": 1}

    assert titles(search("переводы мигрантов", kind="article")) == ["Переводы мигрантов и бедность"]
    assert titles(search("переводы", country="KG")) == ["Денежные переводы мигрантов в Кыргызстан"]
    assert titles(search("переводы", year=2023)) == ["Переводы мигрантов и бедность"]
    assert sorted(titles(search("", topic="remittances"))) == [
        "Денежные переводы мигрантов в Кыргызстан",
        "Переводы мигрантов и бедность",
    ]


def test_members_only_documents_are_found_by_members_only():
    DocumentFactory(title_en="Internal evaluation", title_ru="", language="en", access="members")

    assert titles(search("evaluation", member=True)) == ["Internal evaluation"]
    assert titles(search("evaluation", member=False)) == []


def test_headline_escapes_html_from_the_document():
    assert str(headline_html("<script>x</script> \x02word\x03 \x02stray")) == (
        "&lt;script&gt;x&lt;/script&gt; <mark>word</mark> stray"
    )


def test_title_with_markup_is_shown_escaped_on_the_page(client):
    DocumentFactory(title_en="<b>Labour</b> migration", title_ru="", language="en")

    response = client.get(reverse("library:search"), {"q": "labour"})

    assert response.status_code == 200
    assert "&lt;b&gt;<mark>Labour</mark>&lt;/b&gt; migration" in response.text


# Each query, whether it holds words to look for, and what it finds beside "Labour migration".
SYNTAX_QUERIES = [
    ("!:&|()'\"*<->", False, []),
    ("migration & | !", True, ["Labour migration"]),
    ("(migration", True, ["Labour migration"]),
    ("мигранты:*", True, []),
    ("a <-> b <2> c", True, []),
    ("'; DROP TABLE library_document; --", True, []),
    ('"unclosed quote migration', True, []),
    ("OR OR - - -", True, []),
    ("\\", False, []),
    ("%_%", False, []),
]


@pytest.mark.parametrize(("query", "has_words", "found"), SYNTAX_QUERIES)
def test_syntax_characters_never_break_the_search_page(client, query, has_words, found):
    DocumentFactory(title_en="Labour migration", title_ru="", language="en")

    response = client.get(reverse("library:search"), {"q": query})

    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert (outcome.no_words, outcome.total, titles(outcome)) == (
        not has_words,
        len(found),
        found,
    )


def test_only_operators_gives_a_clear_message(client):
    response = client.get(reverse("library:search"), {"q": "!:&|()'\"*<->"})

    assert response.status_code == 200
    assert response.context["outcome"].no_words is True
    assert "Your search has no words to look for." in response.text


def test_syntax_around_a_real_word_still_finds_it(client):
    DocumentFactory(title_en="Labour migration", title_ru="", language="en")

    response = client.get(reverse("library:search"), {"q": "!:&|()'*<-> migration"})

    assert response.status_code == 200
    assert titles(response.context["outcome"]) == ["Labour migration"]


def test_very_long_query_gives_results_and_says_it_was_shortened(client):
    DocumentFactory(title_en="Labour migration", title_ru="", language="en")

    response = client.get(reverse("library:search"), {"q": "migration " + "x" * 9_990})

    assert response.status_code == 200
    assert titles(response.context["outcome"]) == ["Labour migration"]
    assert "only its first 300 characters were used" in response.text


def test_nul_character_gives_a_message_not_an_error(client):
    response = client.get(reverse("library:search"), {"q": "mig\x00ration"})

    assert response.status_code == 400
    assert "The query string contains a NUL character, which is not allowed." in response.text
    assert "<h1>The request cannot be read</h1>" in response.text


def test_bad_filter_value_gives_a_message(client):
    response = client.get(reverse("library:search"), {"q": "migration", "kind": "novel"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.text


def test_searches_are_logged_with_their_result_count(client):
    DocumentFactory(title_en="Labour migration", title_ru="", language="en")

    client.get(reverse("library:search"), {"q": "migration"})
    client.get(reverse("library:search"), {"q": "астрономия"}, HTTP_ACCEPT_LANGUAGE="ru")
    client.get(reverse("library:search"))

    assert list(SearchLog.objects.order_by("pk").values_list("query", "results_count")) == [
        ("migration", 1),
        ("астрономия", 0),
    ]


@pytest.mark.parametrize("size", [1, 12])
def test_search_page_query_count_is_constant(client, django_assert_num_queries, size):
    topic = Topic.objects.get(slug="labour-migration")
    for index in range(size):
        DocumentFactory(
            title_en=f"Labour migration {index}", title_ru="", language="en", topics=[topic]
        )
        ArticleFactory(title=f"Labour migration in issue {index}", language="en", topics=[topic])

    # candidates with their ranks and filter counts (and whether there are words at all), the
    # topics (the filter's names and the entries'), documents with their topics' ids, articles
    # with theirs, the search log's insert, the exchange's discussions and the good-practice
    # cases (library.search_groups)
    with django_assert_num_queries(7):
        response = client.get(reverse("library:search"), {"q": "labour migration"})

    assert response.status_code == 200
    assert response.context["outcome"].total == 2 * size


@pytest.mark.parametrize("size", [1, 12])
def test_browse_pages_query_count_is_constant(client, django_assert_num_queries, size):
    topic = Topic.objects.get(slug="labour-migration")
    for index in range(size):
        DocumentFactory(
            title_en=f"Labour migration {index}",
            title_ru="",
            language="en",
            topics=[topic],
            countries=["KZ"],
        )
        ArticleFactory(title=f"Article {index}", language="en", topics=[topic], countries=["KZ"])

    # the topic, candidates and filter counts, topics, documents, articles
    with django_assert_num_queries(5):
        assert client.get(reverse("library:topic", args=["labour-migration"])).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(reverse("library:country", args=["KZ"])).status_code == 200
    # topic and country counts (cached after), topics, latest issues, most read, recent + topics
    with django_assert_num_queries(8):
        assert client.get(reverse("library:index")).status_code == 200
    # Then all three come from the cache.
    with django_assert_num_queries(1):
        assert client.get(reverse("library:topic", args=["labour-migration"])).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse("library:country", args=["KZ"])).status_code == 200
        assert client.get(reverse("library:index")).status_code == 200


def test_pages_speak_russian(client):
    document = DocumentFactory(title_ru="Доклад о переводах", title_en="", access="public")
    client.cookies["mirpal_language"] = "ru"

    index = client.get(reverse("library:index"))
    results = client.get(reverse("library:search"), {"q": "переводы"})
    detail = client.get(reverse("library:document", args=[document.pk]))

    assert "Журнал «Миграция XXI век»" in index.text
    assert "1 результат" in results.text
    assert "Доклад" in detail.text
    assert "Язык документа" in detail.text


@pytest.mark.parametrize("size", [1, 10])
def test_issue_pages_query_count_is_constant(client, django_assert_num_queries, size):
    from members.models import Expert

    topic = Topic.objects.get(slug="diaspora")
    expert = Expert.objects.create(name_en="Laura Becker", name_ru="Лаура Беккер")
    hidden = Expert.objects.create(name_en="Ann Hidden", name_ru="Анна Скрытая", is_listed=False)
    issue = None
    for index in range(size):
        article = ArticleFactory(
            issue=issue or IssueFactory(number=100),
            title=f"Diaspora bonds {index}",
            topics=[topic],
        )
        issue = article.issue
        article.author_experts.set([expert, hidden])
        IssueFactory(number=200 + index)

    # the issue, its articles, their topics, their member authors, their roster authors
    with django_assert_num_queries(5):
        detail = client.get(reverse("library:issue", args=[100]))
    with django_assert_num_queries(1):
        listing = client.get(reverse("library:issues"))

    assert detail.status_code == listing.status_code == 200
    assert f'<a href="{expert.get_absolute_url()}">Laura Becker</a>' in detail.text
    assert "Ann Hidden" in detail.text
    assert hidden.get_absolute_url() not in detail.text
    assert len(listing.context["issues"]) == size + 1


def test_landing_counts_are_cached_and_forgotten_after_a_change(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    topic = Topic.objects.get(slug="gender")
    DocumentFactory(title_en="Women migrant workers", language="en", topics=[topic])

    first = client.get(reverse("library:index"))
    # The whole body comes from the cache.
    with django_assert_num_queries(0):
        client.get(reverse("library:index"))
    with django_capture_on_commit_callbacks(execute=True):
        DocumentFactory(title_en="Gender and remittances", language="en", topics=[topic])
    second = client.get(reverse("library:index"))

    def gender(response):
        chosen = next(t for t in response.context["topics"] if t.slug == "gender")
        return chosen.document_count

    assert (gender(first), gender(second)) == (1, 2)


def test_snippet_fragments_are_joined_by_an_ellipsis_on_the_page(client):
    from library.services import document_text_extract

    filler = "Annual statistics of the ministry were published in the spring."
    document = DocumentFactory(
        title_en="Annual review",
        title_ru="",
        language="en",
        file=pdf_upload(
            "Seasonal workers send remittances home.",
            *[filler] * 12,
            "Remittances & savings fell in winter.",
        ),
    )
    document_text_extract(document_id=document.pk)

    response = client.get(reverse("library:search"), {"q": "remittances"})

    assert response.status_code == 200
    [snippet] = re.findall(r'<p class="library-snippet">(.*?)</p>', response.text, re.DOTALL)
    first, second = snippet.split(" … ")
    assert "..." not in snippet
    assert first.startswith("Seasonal workers send <mark>remittances</mark> home.")
    assert second.endswith("<mark>Remittances</mark> &amp; savings fell in winter")
