"""The library search's SQL, written by hand: one statement finds, counts, ranks and counts by
filter the candidates (CANDIDATES_SQL), one more per kind of entry reads the page shown.

Written here rather than with the ORM because the statements are the same for every search of
one shape (which filters are set, members or not): their text is built once per shape and kept,
and only the parameters change. Compiling the equivalent querysets cost a search more CPU than
PostgreSQL spent answering it.

How the candidates stay bounded whatever the word. A search shows the best-ranked matches among
the newest, and counts up to a cap ("1,000+"). Finding "the newest N matches" by sorting every
match visits every matching row: 30,000 of them for a word in most documents. So the narrow
search table (library_document_search, written by a trigger, migrations 0005 and 0006) carries
in both of its vectors one more lexeme, the document's year ("_y2024"; the search parser never
makes one from what people type, since it drops underscores). The statement walks the years
newest first and asks the GIN index, in each, for the words AND that year's lexeme; the index
intersects the two posting lists, so a year costs what its own matches cost, and the walk stops
as soon as it has enough. A common word is answered from the last year or two; a rare one visits
every year, each with next to nothing found.

Two walks: every match (the count, the filter counts and the order of what is not ranked), and
matches in titles and abstracts (the ranking vector), of which only the newest RANKED are
ranked: ranking reads a vector per row and is the search's most expensive step. The order shown:
ranked matches best first, then every other candidate newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from library.enums import ARTICLE_KIND

# websearch_to_tsquery on each: Russian stems Cyrillic (and Latin with the English stemmer),
# English stems English, 'simple' catches words of documents in other languages.
QUERY_CONFIGS = ("russian", "english", "simple")
# The lexeme of a year in the narrow table's vectors (migration 0006 writes it).
YEAR_LEXEME = "'_y' || {year}"
# The narrow table rewritten in date order. A year's rows then sit on a few pages rather than
# across the whole table, which is what the walk reads; documents added one by one arrive in
# about that order anyway, a bulk load (the demo library, migration 0006) does not. It holds the
# table's lock for the few seconds it takes.
REORDER_SQL = """
CREATE TEMP TABLE library_search_reordered AS SELECT * FROM library_document_search;
TRUNCATE library_document_search;
INSERT INTO library_document_search
    SELECT * FROM library_search_reordered ORDER BY published_on, document_id;
DROP TABLE pg_temp.library_search_reordered;
"""
# The years walked one by one when there are words, and the share of the walk's limit they must
# hold for the walk to go on through the older years (see _newest).
RECENT_YEARS = 2
COMMON_SHARE = 0.4
# ts_headline marks matches with these; the text is escaped afterwards and they become <mark>.
MARK_START, MARK_STOP = "\x02", "\x03"
# Between two fragments of a snippet; ts_headline's own is a typist's " ... ".
FRAGMENT_DELIMITER = " … "
# The part of the body text parsed for a snippet; ts_headline parses all it is given.
SNIPPET_BODY_CHARS = 20_000
TITLE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_STOP}, HighlightAll=true"
SNIPPET_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=40, MinWords=15, MaxFragments=2, "
    f'FragmentDelimiter="{FRAGMENT_DELIMITER}"'
)


def tsquery_sql() -> str:
    """The words' tsquery in SQL, from one parameter (the text) per configuration: the parses
    joined by OR, each only once. English words parse alike in all three, and the index finds
    one AND of words much faster than an OR of three copies of it."""
    first, second, third = (f"websearch_to_tsquery('{config}', %s)" for config in QUERY_CONFIGS)
    return (
        f"(SELECT CASE WHEN q3 = q1 OR q3 = q2 THEN q12 ELSE q12 || q3 END FROM ("
        f"SELECT q1, q2, q3, CASE WHEN q2 = q1 THEN q1 ELSE q1 || q2 END AS q12 FROM ("
        f"SELECT {first} AS q1, {second} AS q2, {third} AS q3) AS parsed) AS paired)"
    )


@dataclass(frozen=True)
class Shape:
    """What decides a search statement's text: which filters are set and what is looked for."""

    words: bool
    member: bool
    documents: bool  # False when the kind filter asks for magazine articles only
    articles: bool  # False when it asks for one kind of document
    kind: bool
    topic: bool
    country: bool
    language: bool
    year: bool
    facets: bool


def shape_of(filters, *, member: bool, with_facets: bool) -> Shape:
    return Shape(
        words=bool(filters.query.strip()),
        member=member,
        documents=filters.kind != ARTICLE_KIND,
        articles=not filters.kind or filters.kind == ARTICLE_KIND,
        kind=bool(filters.kind) and filters.kind != ARTICLE_KIND,
        topic=bool(filters.topic),
        country=bool(filters.country),
        language=bool(filters.language),
        year=bool(filters.year),
        facets=with_facets,
    )


def parameters(
    filters, shape: Shape, *, text: str, cap: int, ranked: int, page: int, per_page: int
) -> list:
    """The parameters of candidates_sql(shape), in the order its placeholders take them; `text`
    is the words as search parses them, `page` the page asked for (any number)."""
    words = [text] * len(QUERY_CONFIGS) if shape.words else []
    document_filters = [
        *([filters.kind] if shape.kind else []),
        *([filters.topic] if shape.topic else []),
        *([[filters.country]] if shape.country else []),
        *([filters.language] if shape.language else []),
    ]
    article_filters = [
        *([filters.topic] if shape.topic else []),
        *([[filters.country]] if shape.country else []),
        *([filters.language] if shape.language else []),
        *([filters.year] if shape.year else []),
    ]
    years = [filters.year, filters.year] if shape.year else []
    params = [*words, *years]

    def newest(limit: int) -> list:
        walk = [*document_filters, limit, limit]
        if not shape.words:
            return walk
        more = [*document_filters, limit, limit, limit, limit]
        older = [limit, *document_filters, limit]
        return [*walk, *more, *older]

    if shape.documents:
        params += newest(cap + 1)
        if shape.words:
            params += newest(ranked)
    if shape.articles:
        params += [*article_filters, cap + 1]
    return [*params, per_page, page, page, per_page, per_page]


def _document_filters(shape: Shape) -> str:
    clauses = []
    if not shape.member:
        clauses.append("d.access = 'public'")
    if shape.kind:
        clauses.append("d.kind = %s")
    if shape.topic:
        # A semi-join on the topics table alone: no visit to the (wide) document rows.
        clauses.append(
            "d.document_id IN (SELECT dt.document_id FROM library_document_topics dt "
            "JOIN mirpal_topic t ON t.id = dt.topic_id WHERE t.slug = %s)"
        )
    if shape.country:
        clauses.append("d.countries @> %s::varchar[]")
    if shape.language:
        clauses.append("d.language = %s")
    return "".join(f" AND {clause}" for clause in clauses)


def _article_filters(shape: Shape) -> str:
    clauses = []
    if shape.topic:
        clauses.append(
            "a.id IN (SELECT at.article_id FROM library_article_topics at "
            "JOIN mirpal_topic t ON t.id = at.topic_id WHERE t.slug = %s)"
        )
    if shape.country:
        clauses.append("a.countries @> %s::varchar[]")
    if shape.language:
        clauses.append("a.language = %s")
    if shape.year:
        clauses.append("extract(year FROM i.published_on) = %s")
    return "".join(f" AND {clause}" for clause in clauses)


# The newest `limit` rows of one vector's matches, walking the years newest first (see above).
# {vector}: which vector; {extra}: more columns; the LIMIT inside a year and over the walk are
# both `limit` (two parameters after the filters').
WALK_SQL = """
    SELECT m.* FROM years CROSS JOIN LATERAL (
        SELECT d.document_id AS entry_pk, d.published_on AS entry_date, d.kind, d.language,
               d.countries{extra}
        FROM library_document_search d
        WHERE d.{vector} @@ {match}{filters}
        ORDER BY d.published_on DESC, d.document_id DESC
        LIMIT %s
    ) AS m
    LIMIT %s"""

# The walk goes on through the older years, for as many rows as the recent ones lacked, when
# they held at least COMMON_SHARE of the limit (see _newest). Parameters: the filters', then the
# limit four times.
MORE_SQL = """
    SELECT m.* FROM older_years CROSS JOIN LATERAL (
        SELECT d.document_id AS entry_pk, d.published_on AS entry_date, d.kind, d.language,
               d.countries{extra}
        FROM library_document_search d
        WHERE d.{vector} @@ (older_years.query && ({year})::tsquery){filters}
        ORDER BY d.published_on DESC, d.document_id DESC
        LIMIT %s
    ) AS m
    WHERE (SELECT count(*) FROM {recent}) BETWEEN %s * {share} AND %s - 1
    LIMIT %s - (SELECT count(*) FROM {recent})"""

# The older years searched at once, with the words alone, when the recent ones held fewer than
# COMMON_SHARE of the limit. Parameters: the limit, the filters', the limit.
OLDER_SQL = """
        SELECT d.document_id AS entry_pk, d.published_on AS entry_date, d.kind, d.language,
               d.countries{extra}
        FROM library_document_search d, words, bounds
        WHERE (SELECT count(*) FROM {recent}) < %s * {share}
            AND d.{vector} @@ words.query
            AND d.published_on < make_date(bounds.newest - {years} + 1, 1, 1)
            AND d.published_on >= make_date(bounds.oldest, 1, 1){filters}
        ORDER BY d.published_on DESC, d.document_id DESC
        LIMIT %s - (SELECT count(*) FROM {recent})"""

# The order of the list: ranked matches best first, then newest first.
ORDER = "entry_rank DESC, entry_date DESC, entry_type, entry_pk DESC"
CANDIDATE_COLUMNS = "entry_pk, entry_date, kind, language, countries"
NO_DOCUMENTS = (
    "SELECT NULL::integer AS entry_pk, NULL::date AS entry_date, NULL::varchar AS kind, "
    "NULL::varchar AS language, NULL::varchar[] AS countries WHERE false"
)

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
            SELECT t.topic_id FROM library_document_topics t JOIN candidates c
                ON c.entry_type = 'document' AND t.document_id = c.entry_pk
            UNION ALL
            SELECT t.topic_id FROM library_article_topics t JOIN candidates c
                ON c.entry_type = 'article' AND t.article_id = c.entry_pk
         ) AS tagged GROUP BY topic_id) AS counted)"""
NO_FACETS = "NULL, NULL, NULL, NULL, NULL"


def _newest(shape: Shape, *, name: str, vector: str, extra: str = "") -> str:
    """The CTE `{name}` (and those it is made of): the newest matches of one vector, at most as
    many as the walk's limit. Without words, every year is walked, each with its year's lexeme
    alone. With words, the walk covers the RECENT_YEARS newest years first; then, if they held
    too few: a word found often enough there (COMMON_SHARE of the limit) is walked on through the
    older years, one each, until the limit; a rarer one is searched in all the older years at
    once, by its own posting lists, which are then short. (Per year, a walk costs about what a
    search of 3,000 matches at once does.) Parameters: see parameters()."""
    filters = _document_filters(shape)
    year = YEAR_LEXEME.format(year="years.year")
    match = f"(years.query && ({year})::tsquery)" if shape.words else f"({year})::tsquery"
    walk = WALK_SQL.format(vector=vector, match=match, extra=extra, filters=filters)
    if not shape.words:
        return f"{name} AS MATERIALIZED ({walk})"
    recent = f"{name}_recent"
    more = MORE_SQL.format(
        recent=recent,
        vector=vector,
        extra=extra,
        filters=filters,
        share=COMMON_SHARE,
        year=YEAR_LEXEME.format(year="older_years.year"),
    )
    older = OLDER_SQL.format(
        recent=recent,
        vector=vector,
        extra=extra,
        filters=filters,
        years=RECENT_YEARS,
        share=COMMON_SHARE,
    )
    return (
        f"{recent} AS MATERIALIZED ({walk}),\n"
        f"{name}_more AS MATERIALIZED ({more}),\n"
        f"{name}_older AS MATERIALIZED ({older}),\n"
        f"{name} AS MATERIALIZED (\n"
        f"    SELECT * FROM {recent} UNION ALL SELECT * FROM {name}_more\n"
        f"    UNION ALL SELECT * FROM {name}_older\n"
        f")"
    )


@lru_cache(maxsize=256)
def candidates_sql(shape: Shape) -> str:
    """The statement answering (has words, documents matched up to the cap + 1, articles
    matched up to the cap + 1, the number of candidates, the page shown, its candidates in order
    as [[type, pk], ...], then five filter counts or NULLs); its parameters come from
    parameters()."""
    words = f"({tsquery_sql()})" if shape.words else "NULL::tsquery"
    if shape.year:
        bounds = "SELECT %s::int AS newest, %s::int AS oldest"
    else:
        # The index on (published_on, id) gives both ends at once.
        bounds = (
            "SELECT extract(year FROM max(published_on))::int AS newest, "
            "extract(year FROM min(published_on))::int AS oldest FROM library_document"
        )
    if shape.words:
        # An empty tsquery AND a year would match the whole year: no words, no walk.
        years = (
            "SELECT generate_series(bounds.newest, greatest(bounds.oldest, bounds.newest - "
            f"{RECENT_YEARS - 1}), -1) AS year, words.query\n"
            "    FROM bounds, words WHERE numnode(words.query) > 0"
        )
    else:
        years = (
            "SELECT generate_series(bounds.newest, bounds.oldest, -1) AS year, words.query\n"
            "    FROM bounds, words"
        )
    if shape.documents:
        document_matches = _newest(shape, name="document_matches", vector="search_vector")
    else:
        document_matches = f"document_matches AS ({NO_DOCUMENTS})"
    if shape.documents and shape.words:
        title_matches = _newest(
            shape, name="document_titles", vector="ranking_vector", extra=", d.ranking_vector"
        )
        ranked = (
            "SELECT entry_pk, ts_rank(ranking_vector, words.query, 1) AS entry_rank "
            "FROM document_titles, words"
        )
    else:
        no_titles = NO_DOCUMENTS.replace(" WHERE", ", NULL::tsvector AS ranking_vector WHERE")
        title_matches = f"document_titles AS ({no_titles})"
        ranked = "SELECT NULL::integer AS entry_pk, 0.0::real AS entry_rank WHERE false"
    if shape.articles:
        article_match = " AND a.search_vector @@ words.query" if shape.words else ""
        article_rank = "ts_rank(a.search_vector, words.query, 1)" if shape.words else "0.0::real"
        article_matches = f"""
    SELECT a.id AS entry_pk, i.published_on AS entry_date, '{ARTICLE_KIND}'::varchar AS kind,
           a.language, a.countries, {article_rank} AS entry_rank
    FROM library_article a JOIN library_issue i ON i.id = a.issue_id, words
    WHERE true{article_match}{_article_filters(shape)}
    ORDER BY i.published_on DESC, a.id DESC
    LIMIT %s"""
    else:
        article_matches = NO_DOCUMENTS.replace(" WHERE", ", 0.0::real AS entry_rank WHERE")
    return f"""
WITH words AS (SELECT {words} AS query),
bounds AS ({bounds}),
years AS (
    {years}
),
older_years AS (
    SELECT generate_series(bounds.newest - {RECENT_YEARS}, bounds.oldest, -1) AS year, words.query
    FROM bounds, words WHERE {"numnode(words.query) > 0" if shape.words else "false"}
),
{document_matches},
{title_matches},
ranked AS ({ranked}),
article_matches AS MATERIALIZED ({article_matches}),
candidates AS MATERIALIZED (
    SELECT 'document' AS entry_type, coalesce(r.entry_rank, 0.0::real) AS entry_rank, m.*
    FROM (
        SELECT {CANDIDATE_COLUMNS} FROM document_matches
        UNION SELECT {CANDIDATE_COLUMNS} FROM document_titles
    ) AS m LEFT JOIN ranked r USING (entry_pk)
    UNION ALL
    SELECT 'article', entry_rank, {CANDIDATE_COLUMNS} FROM article_matches
),
-- The page shown, as Django's Paginator.get_page picks it: past the last page (or before the
-- first), the last. Only its entries leave the database.
pages AS (
    SELECT count(*) AS candidates,
           greatest(1, ceil(count(*)::numeric / %s))::int AS last
    FROM candidates
),
shown AS (
    SELECT CASE WHEN %s BETWEEN 1 AND last THEN %s ELSE last END AS number FROM pages
)
SELECT
    (SELECT coalesce(numnode(query), 1) FROM words) > 0,
    (SELECT count(*) FROM document_matches),
    (SELECT count(*) FROM article_matches),
    (SELECT candidates FROM pages),
    (SELECT number FROM shown),
    (SELECT coalesce(json_agg(json_build_array(entry_type, entry_pk) ORDER BY {ORDER}), '[]')
     FROM (
        SELECT * FROM candidates ORDER BY {ORDER}
        LIMIT %s OFFSET ((SELECT number FROM shown) - 1) * %s
    ) AS page),
{FACETS_SQL if shape.facets else NO_FACETS}"""


TOPIC_FIELDS = ["id", "slug", "name_en", "name_ru", "position"]
TOPICS_SQL = f"SELECT {', '.join(TOPIC_FIELDS)} FROM mirpal_topic ORDER BY position, slug"
# What the page shows of a document: all but the body and the vectors (the body can be 300,000
# characters).
UNSHOWN_DOCUMENT_FIELDS = {"text", "search_vector", "ranking_vector"}


def _localized(column: str, language: str) -> str:
    first, second = ("ru", "en") if language == "ru" else ("en", "ru")
    return f"coalesce(nullif(d.{column}_{first}, ''), d.{column}_{second})"


@lru_cache(maxsize=8)
def document_page_sql(*, words: bool, language: str) -> tuple[str, list[str]]:
    """(statement, the model fields it reads first) for the documents of a page: then the marked
    title, the marked snippet (NULL without words) and the topics' ids. Parameters: the words
    (one per configuration, only with words), then the documents' ids."""
    from library.models import Document

    fields = [
        field
        for field in Document._meta.concrete_fields
        if field.attname not in UNSHOWN_DOCUMENT_FIELDS
    ]
    columns = ", ".join(f"d.{field.column}" for field in fields)
    topics = "ARRAY(SELECT dt.topic_id FROM library_document_topics dt WHERE dt.document_id = d.id)"
    if not words:
        sql = f"SELECT {columns}, NULL, NULL, {topics} FROM library_document d WHERE d.id = ANY(%s)"
        return sql, [field.attname for field in fields]
    title, abstract = _localized("title", language), _localized("abstract", language)
    # The abstract alone when the title or abstract matched (the ranking vector): the body is
    # parsed only for a document found by its body.
    sql = f"""
SELECT {columns},
    ts_headline('russian', {title}, words.query, '{TITLE_OPTIONS}'),
    CASE WHEN d.ranking_vector @@ words.query
        THEN ts_headline('russian', {abstract}, words.query, '{SNIPPET_OPTIONS}')
        ELSE ts_headline(
            'russian',
            {abstract} || '{FRAGMENT_DELIMITER}' || left(d.text, {SNIPPET_BODY_CHARS}),
            words.query,
            '{SNIPPET_OPTIONS}'
        )
    END,
    {topics}
FROM library_document d, (SELECT {tsquery_sql()} AS query) AS words
WHERE d.id = ANY(%s)"""
    return sql, [field.attname for field in fields]


@lru_cache(maxsize=4)
def article_page_sql(*, words: bool) -> tuple[str, list[str]]:
    """As document_page_sql, for articles: after the model's fields, the issue's number and
    date, the marked title and snippet, the topics' ids."""
    from library.models import Article

    fields = [field for field in Article._meta.concrete_fields if field.attname != "search_vector"]
    columns = ", ".join(f"a.{field.column}" for field in fields)
    topics = "ARRAY(SELECT at.topic_id FROM library_article_topics at WHERE at.article_id = a.id)"
    if words:
        marked = (
            f"ts_headline('russian', a.title, words.query, '{TITLE_OPTIONS}'), "
            f"ts_headline('russian', a.abstract, words.query, '{SNIPPET_OPTIONS}')"
        )
        source = f"(SELECT {tsquery_sql()} AS query) AS words, "
    else:
        marked, source = "NULL, NULL", ""
    sql = f"""
SELECT {columns}, i.number, i.published_on, {marked}, {topics}
FROM {source}library_article a JOIN library_issue i ON i.id = a.issue_id
WHERE a.id = ANY(%s)"""
    return sql, [field.attname for field in fields]
