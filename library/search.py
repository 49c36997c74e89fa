"""Full-text search over the library: search vectors, query parsing, ranked results with
highlighted snippets and filter counts, documents and magazine articles in one list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat, Left, NullIf
from django.db.models.query import EmptyQuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from library.enums import (
    ARTICLE_KIND,
    ARTICLE_KIND_LABEL,
    FALLBACK_SEARCH_CONFIG,
    SEARCH_CONFIGS,
    Access,
    DocumentKind,
)
from library.models import Article, Document, DocumentSearchRow
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage
from mirpal.models import Topic

# The part of the body text that goes into the vector and into snippets; a tsvector has a 1 MB
# limit and ts_headline parses all it is given.
VECTOR_BODY_CHARS = 300_000
SNIPPET_BODY_CHARS = 20_000
# websearch_to_tsquery on each: Russian stems Cyrillic (and Latin with the English stemmer),
# English stems English, 'simple' catches words of documents in other languages.
QUERY_CONFIGS = ("russian", "english", "simple")
# ts_headline marks matches with these; the text is escaped afterwards and they become <mark>.
MARK_START, MARK_STOP = "\x02", "\x03"
MARKED = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)
# Between two fragments of a snippet; ts_headline's own is a typist's " ... ".
FRAGMENT_DELIMITER = " … "


def _config_by_language(field_name: str = "language") -> Case:
    return Case(
        *[
            When(**{field_name: code}, then=Value(config))
            for code, config in SEARCH_CONFIGS.items()
        ],
        default=Value(FALLBACK_SEARCH_CONFIG),
        output_field=CharField(),
    )


def document_search_vector():
    """Titles weigh A, abstracts B, the body C, authors and publisher D; each text is stemmed in
    its own language (the body in the document's)."""
    body = _config_by_language()
    return (
        SearchVector("title_en", config="english", weight="A")
        + SearchVector("title_ru", config="russian", weight="A")
        + SearchVector("abstract_en", config="english", weight="B")
        + SearchVector("abstract_ru", config="russian", weight="B")
        + SearchVector(Left("text", VECTOR_BODY_CHARS), config=body, weight="C")
        + SearchVector("authors_text", "publisher", config=body, weight="D")
    )


def article_search_vector():
    config = _config_by_language()
    return (
        SearchVector("title", config=config, weight="A")
        + SearchVector("abstract", config=config, weight="B")
        + SearchVector("authors_text", config=config, weight="D")
    )


# A hyphen inside a word joins a compound ("женщины-мигранты"); PostgreSQL would keep the
# compound as one lexeme that another word form does not match, so its parts are searched instead.
INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def _prepared(text: str) -> str:
    return INNER_HYPHEN.sub(" ", text)


def search_query(text: str) -> SearchQuery:
    """Web-search syntax (quotes, OR, minus) parsed by PostgreSQL, so no input is a syntax error."""
    text = _prepared(text)
    first, *rest = QUERY_CONFIGS
    query = SearchQuery(text, config=first, search_type="websearch")
    for config in rest:
        query |= SearchQuery(text, config=config, search_type="websearch")
    return query


def query_has_words(text: str) -> bool:
    """False when the text holds nothing to look for (only punctuation, operators, stop words)."""
    sql = " + ".join(["numnode(websearch_to_tsquery(%s::regconfig, %s))"] * len(QUERY_CONFIGS))
    params = [value for config in QUERY_CONFIGS for value in (config, _prepared(text))]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0] > 0


def headline_html(raw: str | None) -> SafeString:
    """Escape a ts_headline result and turn its markers into <mark>; stray markers are dropped."""
    text = escape(raw or "")
    text = MARKED.sub(r"<mark>\1</mark>", text)
    return mark_safe(text.replace(MARK_START, "").replace(MARK_STOP, ""))


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    kind: str = ""
    topic: str = ""
    country: str = ""
    language: str = ""
    year: int | None = None

    def is_empty(self) -> bool:
        return not any((self.query, self.kind, self.topic, self.country, self.language, self.year))


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchOutcome:
    page: Page
    entries: list
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    no_words: bool = False
    # Matches counted: exact, or when count_capped a lower bound (more than `cap` of one kind).
    count: int = 0
    count_capped: bool = False
    cap: int = 0

    @property
    def total(self) -> int:
        return self.count


def visible_documents(*, member: bool) -> QuerySet[Document]:
    documents = Document.objects.all()
    return documents if member else documents.filter(access=Access.PUBLIC)


def _filtered(filters: SearchFilters, member: bool):
    """The documents (their narrow search rows) and articles the filters allow this viewer."""
    documents, articles = DocumentSearchRow.objects.all(), Article.objects.all()
    if not member:
        documents = documents.filter(access=Access.PUBLIC)
    if filters.kind == ARTICLE_KIND:
        documents = documents.none()
    elif filters.kind:
        documents, articles = documents.filter(kind=filters.kind), articles.none()
    if filters.topic:
        # A semi-join on the topics table alone: no visit to the (wide) document rows.
        tagged = Document.topics.through.objects.filter(topic__slug=filters.topic)
        documents = documents.filter(document_id__in=tagged.values("document_id"))
        articles = articles.filter(topics__slug=filters.topic)
    if filters.country:
        documents = documents.filter(countries__contains=[filters.country])
        articles = articles.filter(countries__contains=[filters.country])
    if filters.language:
        documents = documents.filter(language=filters.language)
        articles = articles.filter(language=filters.language)
    if filters.year:
        documents = documents.filter(published_on__year=filters.year)
        articles = articles.filter(issue__published_on__year=filters.year)
    return documents, articles


def _localized_expression(name: str):
    first, second = ("ru", "en") if get_language() == "ru" else ("en", "ru")
    text = CharField()
    return Coalesce(
        NullIf(F(f"{name}_{first}"), Value(""), output_field=text),
        F(f"{name}_{second}"),
        output_field=text,
    )


def _headline(expression, query: SearchQuery, **options) -> SearchHeadline:
    # The Russian configuration stems Cyrillic and, with the English stemmer, Latin words too.
    return SearchHeadline(
        expression, query, config="russian", start_sel=MARK_START, stop_sel=MARK_STOP, **options
    )


def _page_entries(rows: list, query: SearchQuery | None) -> list:
    document_ids = [pk for entry_type, pk in rows if entry_type == "document"]
    article_ids = [pk for entry_type, pk in rows if entry_type == "article"]
    # Neither the body nor the vectors are shown; the body can be 300,000 characters.
    documents = (
        Document.objects.filter(pk__in=document_ids)
        .defer("text", "search_vector", "ranking_vector")
        .prefetch_related("topics")
    )
    articles = (
        Article.objects.filter(pk__in=article_ids)
        .select_related("issue")
        .prefetch_related("topics")
    )
    if query is not None:
        snippet_options = {
            "max_words": 40,
            "min_words": 15,
            "max_fragments": 2,
            "fragment_delimiter": FRAGMENT_DELIMITER,
        }
        abstract = _localized_expression("abstract")
        with_body = Concat(
            abstract,
            Value(FRAGMENT_DELIMITER),
            Left("text", SNIPPET_BODY_CHARS),
            output_field=CharField(),
        )
        documents = documents.annotate(
            title_marked=_headline(_localized_expression("title"), query, highlight_all=True),
            # The abstract alone when the title or abstract matched (the ranking vector): the
            # body is parsed only for a document found by its body.
            snippet_marked=Case(
                When(ranking_vector=query, then=_headline(abstract, query, **snippet_options)),
                default=_headline(with_body, query, **snippet_options),
            ),
        )
        articles = articles.annotate(
            title_marked=_headline(F("title"), query, highlight_all=True),
            snippet_marked=_headline(F("abstract"), query, **snippet_options),
        )
    by_key = {("document", document.pk): document for document in documents} | {
        ("article", article.pk): article for article in articles
    }
    entries = []
    for entry_type, pk in rows:
        entry = by_key.get((entry_type, pk))
        if entry is None:  # deleted between the two queries
            continue
        entry.entry_type = entry_type
        entry.title_html = headline_html(getattr(entry, "title_marked", None) or entry.title)
        entry.snippet_html = (
            headline_html(entry.snippet_marked) if getattr(entry, "snippet_marked", None) else None
        )
        entries.append(entry)
    return entries


def search_cap() -> int:
    """Matches counted and ranked at most, per kind of entry (settings.LIBRARY_SEARCH_CAP)."""
    return settings.LIBRARY_SEARCH_CAP


def _tsquery_sql(text: str) -> tuple[str, list]:
    """The same tsquery as search_query(), as SQL for the statement written by hand here."""
    sql = " || ".join(["websearch_to_tsquery(%s::regconfig, %s)"] * len(QUERY_CONFIGS))
    return f"({sql})", [value for config in QUERY_CONFIGS for value in (config, _prepared(text))]


# The columns each kind of candidate brings; an empty set still has them, so that the statement
# stays valid.
CANDIDATE_COLUMNS = ("entry_pk", "entry_date", "kind", "language", "countries")
NO_CANDIDATES = (
    "SELECT NULL::bigint AS entry_pk, NULL::date AS entry_date, NULL::varchar AS kind, "
    "NULL::varchar AS language, NULL::varchar[] AS countries WHERE false"
)


def _newest_sql(queryset: QuerySet, *, date: str, limit: int, kind=None) -> tuple[str, list]:
    """The first `limit` rows of `queryset`, newest first, with CANDIDATE_COLUMNS, as SQL; `kind`
    for rows that have no such column."""
    if isinstance(queryset, EmptyQuerySet):
        return NO_CANDIDATES, []
    fields = ["language", "countries", *(["kind"] if kind is None else [])]
    computed = {"entry_pk": F("pk"), "entry_date": F(date)}
    if kind is not None:
        computed["kind"] = kind
    newest = queryset.order_by(f"-{date}", "-pk").values(*fields, **computed)[:limit]
    try:
        sql, params = newest.query.sql_with_params()
    except EmptyResultSet:
        return NO_CANDIDATES, []
    return sql, list(params)


# One statement finds the candidates, ranks them and counts the filters. The candidates are the
# first cap + 1 matches of each kind of entry, newest first: when there are no more, they are all
# the matches, ranked and counted exactly. When there are more, the count stops there ("1,000+")
# and the documents whose title or abstract matches (the ranking vector), newest first, join them,
# so that the best-ranked ones are not lost behind newer documents that mention the word in their
# body only. Only candidates are ranked (on the ranking vector, which holds no body) and counted
# by filter. Finding them still visits every matching row once (to sort by date), in the narrow
# library_document_search table (DocumentSearchRow) rather than in the documents' own.
CANDIDATES_SQL = """
WITH words AS (SELECT {tsquery} AS query),
document_matches AS MATERIALIZED ({document_matches}),
document_title_matches AS MATERIALIZED (
    SELECT {columns} FROM ({document_title_matches}) AS found
    WHERE (SELECT count(*) FROM document_matches) > %s
),
article_matches AS MATERIALIZED ({article_matches}),
candidates AS MATERIALIZED (
    SELECT 'document' AS entry_type, {document_rank} AS entry_rank, {m_columns}
    FROM (
        SELECT {columns} FROM document_matches
        UNION SELECT {columns} FROM document_title_matches
    ) AS m JOIN {document_table} d ON d.document_id = m.entry_pk, words
    UNION ALL
    SELECT 'article', {article_rank}, {m_columns}
    FROM article_matches m JOIN {article_table} a ON a.id = m.entry_pk, words
)
SELECT
    (SELECT count(*) FROM document_matches),
    (SELECT count(*) FROM article_matches),
    (SELECT coalesce(json_agg(json_build_array(entry_type, entry_pk)
                              ORDER BY entry_rank DESC, entry_date DESC, entry_type,
                                       entry_pk DESC), '[]') FROM candidates),
{facets}"""

# The filter counts, one GROUP BY over the candidates per kind of filter.
FACETS_SQL = """
    (SELECT json_object_agg(kind, n) FROM
        (SELECT kind, count(*) AS n FROM candidates GROUP BY kind) AS counted),
    (SELECT json_object_agg(language, n) FROM
        (SELECT language, count(*) AS n FROM candidates GROUP BY language) AS counted),
    (SELECT json_object_agg(year, n) FROM
        (SELECT extract(year FROM entry_date)::int AS year, count(*) AS n FROM candidates
         GROUP BY 1) AS counted),
    (SELECT json_object_agg(code, n) FROM
        (SELECT code, count(*) AS n FROM candidates, unnest(countries) AS code
         GROUP BY code) AS counted),
    (SELECT json_object_agg(topic_id, n) FROM
        (SELECT topic_id, count(*) AS n FROM (
            SELECT t.topic_id FROM {document_topics} t JOIN candidates c
                ON c.entry_type = 'document' AND t.document_id = c.entry_pk
            UNION ALL
            SELECT t.topic_id FROM {article_topics} t JOIN candidates c
                ON c.entry_type = 'article' AND t.article_id = c.entry_pk
         ) AS tagged GROUP BY topic_id) AS counted)
"""
NO_FACETS = "NULL, NULL, NULL, NULL, NULL"


# The planner does not count the cost of unpacking a vector stored out of line: for a word found
# in most rows it would read every vector in a sequential scan (270 ms at 50,000 documents)
# rather than take the GIN index's bitmap (5 ms). So a search with words is planned without
# sequential scans, for its own statement (SET LOCAL, restored after it). The narrow table has
# no date index to walk for the same reason: a walk would unpack vectors until it had found
# enough matches (16,000 of them for a word in 6 % of the rows). Every join in the statement
# starts from at most 2 x cap + 1 candidates, so nested loops over indexes are right: without
# sequential scans the planner would hash a full index scan instead. JIT is off as well: a path
# refused this way is costed so high that the planner would compile the query.
BITMAP_ONLY = """
SELECT set_config('enable_seqscan', v, true), set_config('enable_hashjoin', v, true),
       set_config('enable_mergejoin', v, true), set_config('jit', v, true)
FROM (SELECT CASE WHEN %s THEN 'on' ELSE 'off' END AS v) AS setting
"""


@dataclass
class Candidates:
    document_matches: int
    article_matches: int
    ordered: list[tuple[str, int]]
    facet_counts: dict[str, dict[str, int]]

    @property
    def count(self) -> int:
        return self.document_matches + self.article_matches


def _candidates(documents, articles, text: str, *, cap: int, with_facets: bool) -> Candidates:
    if text:
        query = search_query(text)
        full_documents = documents.filter(search_vector=query)
        title_documents = documents.filter(ranking_vector=query)
        full_articles = articles.filter(search_vector=query)
    else:
        full_documents, title_documents, full_articles = documents, documents.none(), articles
    document_matches, document_params = _newest_sql(
        full_documents, date="published_on", limit=cap + 1
    )
    title_matches, title_params = _newest_sql(title_documents, date="published_on", limit=cap)
    article_matches, article_params = _newest_sql(
        full_articles,
        date="issue__published_on",
        limit=cap + 1,
        kind=Value(ARTICLE_KIND, output_field=CharField()),
    )
    tsquery, tsquery_params = _tsquery_sql(text) if text else ("NULL::tsquery", [])
    # Ranked after the candidates are chosen: a rank unpacks a vector. Documents rank on their
    # titles and abstracts only; an article's vector holds no more.
    no_rank = "0.0::real"
    sql = CANDIDATES_SQL.format(
        tsquery=tsquery,
        facets=FACETS_SQL.format(
            document_topics=Document.topics.through._meta.db_table,
            article_topics=Article.topics.through._meta.db_table,
        )
        if with_facets
        else NO_FACETS,
        columns=", ".join(CANDIDATE_COLUMNS),
        m_columns=", ".join(f"m.{column}" for column in CANDIDATE_COLUMNS),
        document_matches=document_matches,
        document_title_matches=title_matches,
        article_matches=article_matches,
        document_rank="ts_rank(d.ranking_vector, words.query, 1)" if text else no_rank,
        article_rank="ts_rank(a.search_vector, words.query, 1)" if text else no_rank,
        document_table=DocumentSearchRow._meta.db_table,
        article_table=Article._meta.db_table,
    )
    params = [*tsquery_params, *document_params, *title_params, cap, *article_params]
    if not text:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(BITMAP_ONLY, [False])
            cursor.execute(sql, params)
            row = cursor.fetchone()
            cursor.execute(BITMAP_ONLY, [True])
    document_count, article_count, ordered, *facets = row
    facet_counts = {
        name: {str(key): value for key, value in (counts or {}).items()}
        for name, counts in zip(
            ("kind", "language", "year", "country", "topic"), facets, strict=True
        )
    }
    return Candidates(
        document_matches=document_count,
        article_matches=article_count,
        ordered=[(entry_type, pk) for entry_type, pk in ordered],
        facet_counts=facet_counts,
    )


def _facets(filters: SearchFilters, counts: dict[str, dict[str, int]]) -> dict:
    def options(pairs, selected):
        return [
            FacetOption(
                value=str(value),
                label=str(label),
                count=count,
                selected=str(value) == str(selected),
            )
            for value, label, count in pairs
            if count or str(value) == str(selected)
        ]

    def count(name: str, value) -> int:
        return counts[name].get(str(value), 0)

    topics = list(Topic.objects.order_by("position", "slug"))
    kinds = [*DocumentKind.choices, (ARTICLE_KIND, ARTICLE_KIND_LABEL)]
    years = sorted({int(year) for year in counts["year"]} | set(filter(None, [filters.year])))
    return {
        "kind": options([(k, label, count("kind", k)) for k, label in kinds], filters.kind),
        "topic": options(
            [(topic.slug, topic.name, count("topic", topic.pk)) for topic in topics],
            filters.topic,
        ),
        "country": options(
            [(code, label, count("country", code)) for code, label in Country.choices],
            filters.country,
        ),
        "language": options(
            [(code, label, count("language", code)) for code, label in SpokenLanguage.choices],
            filters.language,
        ),
        "year": options(
            [(year, year, count("year", year)) for year in reversed(years)], filters.year or ""
        ),
    }


def library_search(
    *,
    filters: SearchFilters,
    member: bool,
    page_number: int | str = 1,
    per_page: int = 20,
    with_facets: bool = True,
) -> SearchOutcome:
    """One ranked list of documents and magazine articles matching the words and filters, with
    highlighted titles and snippets for the page shown and counts for every filter.

    Without words, everything the filters allow, newest first. Members-only documents appear
    only when `member` is true. The cost is bounded whatever the number of matches: at most
    search_cap() + 1 matches of each kind are counted (then `count_capped` is true and `count` a
    lower bound), ranked and counted by filter, as explained above CANDIDATES_SQL. Callers that
    show no filter counts (the API) pass with_facets=False."""
    text = filters.query.strip()
    query = None
    if text:
        if not query_has_words(text):
            empty = Paginator([], per_page).get_page(1)
            return SearchOutcome(page=empty, entries=[], no_words=True)
        query = search_query(text)
    documents, articles = _filtered(filters, member)
    cap = search_cap()
    candidates = _candidates(documents, articles, text, cap=cap, with_facets=with_facets)
    capped = candidates.document_matches > cap or candidates.article_matches > cap
    page = Paginator(candidates.ordered, per_page).get_page(page_number)
    entries = _page_entries(list(page.object_list), query) if candidates.ordered else []
    return SearchOutcome(
        page=page,
        entries=entries,
        facets=_facets(filters, candidates.facet_counts) if with_facets else {},
        count=candidates.count,
        count_capped=capped,
        cap=cap,
    )
