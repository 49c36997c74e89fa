"""Full-text search over the library: search vectors, query parsing, ranked results with
highlighted snippets and filter counts, documents and magazine articles in one list."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, CharField, QuerySet, Value, When
from django.db.models.functions import Left
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from library import search_sql
from library.enums import (
    ARTICLE_KIND,
    ARTICLE_KIND_LABEL,
    FALLBACK_SEARCH_CONFIG,
    SEARCH_CONFIGS,
    Access,
    DocumentKind,
)
from library.models import Article, Document, Issue
from library.search_sql import MARK_START, MARK_STOP, QUERY_CONFIGS
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage
from mirpal.models import Topic

# The part of the body text that goes into the vector; a tsvector has a 1 MB limit.
VECTOR_BODY_CHARS = 300_000
MARKED = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)


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


def headline_html(raw: str | None) -> SafeString:
    """Escape a ts_headline result and turn its markers into <mark>; stray markers are dropped."""
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper.
    text = html.escape(raw or "")
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


@dataclass(frozen=True)
class SearchGroup:
    """Matches of an app above the library, shown as their own group on the search page: the
    library may not import that app, so the app registers its group (in its AppConfig.ready).
    `find(filters=..., user=...)` returns the context of `template`, or None for no group; its
    result is cached per query, language and members-or-not, until a write to one of `scopes`
    (mirpal.fragments), so it must depend on the viewer only through is_member(user)."""

    name: str
    template: str
    find: Callable[..., dict | None]
    scopes: tuple[str, ...]


_search_groups: dict[str, SearchGroup] = {}


def search_group_register(
    name: str, *, find: Callable[..., dict | None], template: str, scopes: Sequence[str]
) -> None:
    """Show `name`'s matches on the library's search page (registering again replaces)."""
    _search_groups[name] = SearchGroup(
        name=name, template=template, find=find, scopes=tuple(scopes)
    )


def search_groups() -> list[SearchGroup]:
    return list(_search_groups.values())


def visible_documents(*, member: bool) -> QuerySet[Document]:
    documents = Document.objects.all()
    return documents if member else documents.filter(access=Access.PUBLIC)


def search_cap() -> int:
    """Matches counted at most, per kind of entry (settings.LIBRARY_SEARCH_CAP)."""
    return settings.LIBRARY_SEARCH_CAP


def search_ranked() -> int:
    """Title and abstract matches ranked at most, the newest (settings.LIBRARY_SEARCH_RANKED)."""
    return settings.LIBRARY_SEARCH_RANKED


@dataclass
class Candidates:
    has_words: bool
    document_matches: int
    article_matches: int
    # How many candidates the list holds, the page shown and its (type, pk) in order.
    listed: int
    page_number: int
    shown: list[tuple[str, int]]
    facet_counts: dict[str, dict[str, int]]

    @property
    def count(self) -> int:
        return self.document_matches + self.article_matches


def _page_asked(page_number) -> int:
    # As Paginator.get_page: what is not a whole number is the first page.
    try:
        return int(page_number)
    except (TypeError, ValueError):
        return 1


def _candidates(
    filters: SearchFilters, *, member: bool, with_facets: bool, page_number, per_page: int
) -> Candidates:
    shape = search_sql.shape_of(filters, member=member, with_facets=with_facets)
    params = search_sql.parameters(
        filters,
        shape,
        text=_prepared(filters.query.strip()),
        cap=search_cap(),
        ranked=search_ranked(),
        page=_page_asked(page_number),
        per_page=per_page,
    )
    with connection.cursor() as cursor:
        cursor.execute(search_sql.candidates_sql(shape), params)
        row = cursor.fetchone()
    has_words, document_count, article_count, listed, number, shown, *facets = row
    facet_counts = {
        name: {str(key): value for key, value in (counts or {}).items()}
        for name, counts in zip(
            ("kind", "language", "year", "country", "topic"), facets, strict=True
        )
    }
    return Candidates(
        has_words=has_words,
        document_matches=document_count,
        article_matches=article_count,
        listed=listed,
        page_number=number,
        shown=[(entry_type, pk) for entry_type, pk in shown],
        facet_counts=facet_counts,
    )


class ShownPage(Sequence):
    """The list a Paginator pages through, of which only the page shown left the database: its
    length is the number of candidates, and its slice for that page is that page's entries."""

    def __init__(self, length: int, shown: list, per_page: int, number: int):
        self.length, self.shown, self.start = length, shown, (number - 1) * per_page

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice) and index.start == self.start:
            return self.shown
        raise IndexError("only the page shown was read")


def _topics() -> dict[int, Topic]:
    """Every topic, in the list's order (a short table): for the filter and the entries."""
    with connection.cursor() as cursor:
        cursor.execute(search_sql.TOPICS_SQL)
        rows = cursor.fetchall()
    db = connection.alias
    return {row[0]: Topic.from_db(db, search_sql.TOPIC_FIELDS, row) for row in rows}


def _page_entries(rows: list, *, text: str, topics: dict[int, Topic]) -> list:
    """The entries of the page shown, in the order of `rows`, with their marked titles and
    snippets (when there are words), topics and, for articles, their issue."""
    document_ids = [pk for entry_type, pk in rows if entry_type == "document"]
    article_ids = [pk for entry_type, pk in rows if entry_type == "article"]
    words = [_prepared(text)] * len(search_sql.QUERY_CONFIGS) if text else []
    language = "ru" if get_language() == "ru" else "en"
    db = connection.alias
    by_key = {}
    with connection.cursor() as cursor:
        if document_ids:
            sql, fields = search_sql.document_page_sql(words=bool(text), language=language)
            cursor.execute(sql, [*words, document_ids])
            for *values, title_marked, snippet_marked, topic_ids in cursor.fetchall():
                entry = Document.from_db(db, fields, values)
                by_key["document", entry.pk] = (entry, title_marked, snippet_marked, topic_ids)
        if article_ids:
            sql, fields = search_sql.article_page_sql(words=bool(text))
            cursor.execute(sql, [*words, article_ids])
            for (
                *values,
                number,
                published_on,
                title_marked,
                snippet_marked,
                topic_ids,
            ) in cursor.fetchall():
                entry = Article.from_db(db, fields, values)
                entry.issue = Issue.from_db(
                    db, ["id", "number", "published_on"], [entry.issue_id, number, published_on]
                )
                by_key["article", entry.pk] = (entry, title_marked, snippet_marked, topic_ids)
    entries = []
    for entry_type, pk in rows:
        found = by_key.get((entry_type, pk))
        if found is None:  # deleted between the two statements
            continue
        entry, title_marked, snippet_marked, topic_ids = found
        entry.entry_type = entry_type
        entry.title_html = headline_html(title_marked or entry.title)
        entry.snippet_html = headline_html(snippet_marked) if snippet_marked else None
        tagged = set(topic_ids or ())
        entry.topic_list = [topic for pk, topic in topics.items() if pk in tagged]
        entries.append(entry)
    return entries


def _facets(
    filters: SearchFilters, counts: dict[str, dict[str, int]], topics: dict[int, Topic]
) -> dict:
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

    kinds = [*DocumentKind.choices, (ARTICLE_KIND, ARTICLE_KIND_LABEL)]
    years = sorted({int(year) for year in counts["year"]} | set(filter(None, [filters.year])))
    return {
        "kind": options([(k, label, count("kind", k)) for k, label in kinds], filters.kind),
        "topic": options(
            [(topic.slug, topic.name, count("topic", topic.pk)) for topic in topics.values()],
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
    lower bound) and counted by filter, and the newest search_ranked() matches in titles and
    abstracts are ranked, as library.search_sql explains. Callers that show no filter counts
    (the API) pass with_facets=False."""
    text = filters.query.strip()
    candidates = _candidates(
        filters,
        member=member,
        with_facets=with_facets,
        page_number=page_number,
        per_page=per_page,
    )
    if not candidates.has_words:
        empty = Paginator([], per_page).get_page(1)
        return SearchOutcome(page=empty, entries=[], no_words=True)
    cap = search_cap()
    capped = candidates.document_matches > cap or candidates.article_matches > cap
    listed = ShownPage(candidates.listed, candidates.shown, per_page, candidates.page_number)
    page = Paginator(listed, per_page).page(candidates.page_number)
    topics = _topics() if candidates.shown or with_facets else {}
    entries = _page_entries(candidates.shown, text=text, topics=topics) if candidates.shown else []
    return SearchOutcome(
        page=page,
        entries=entries,
        facets=_facets(filters, candidates.facet_counts, topics) if with_facets else {},
        count=candidates.count,
        count_capped=capped,
        cap=cap,
    )
