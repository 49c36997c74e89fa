"""Full-text search over the library: search vectors, query parsing, ranked results with
highlighted snippets and filter counts, documents and magazine articles in one list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Left, NullIf
from django.db.models.query import EmptyQuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from library.counts import counts_cached
from library.enums import (
    ARTICLE_KIND,
    ARTICLE_KIND_LABEL,
    FALLBACK_SEARCH_CONFIG,
    SEARCH_CONFIGS,
    Access,
    DocumentKind,
)
from library.models import Article, Document, Issue
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

    @property
    def total(self) -> int:
        return self.page.paginator.count


def visible_documents(*, member: bool) -> QuerySet[Document]:
    documents = Document.objects.all()
    return documents if member else documents.filter(access=Access.PUBLIC)


def _filtered(filters: SearchFilters, member: bool, query: SearchQuery | None):
    documents, articles = visible_documents(member=member), Article.objects.all()
    if query is not None:
        documents = documents.filter(search_vector=query)
        articles = articles.filter(search_vector=query)
    if filters.kind == ARTICLE_KIND:
        documents = documents.none()
    elif filters.kind:
        documents, articles = documents.filter(kind=filters.kind), articles.none()
    if filters.topic:
        documents = documents.filter(topics__slug=filters.topic)
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


def _rows(queryset: QuerySet, entry_type: str, date: str, query: SearchQuery | None) -> QuerySet:
    rank = (
        SearchRank(F("search_vector"), query, normalization=1)
        if query is not None
        else Value(0.0, output_field=FloatField())
    )
    return queryset.annotate(
        entry_type=Value(entry_type, output_field=CharField()),
        entry_pk=F("pk"),
        entry_rank=rank,
        entry_date=F(date),
    ).values_list("entry_type", "entry_pk", "entry_rank", "entry_date")


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
    document_ids = [pk for entry_type, pk, *_ in rows if entry_type == "document"]
    article_ids = [pk for entry_type, pk, *_ in rows if entry_type == "article"]
    documents = Document.objects.filter(pk__in=document_ids).prefetch_related("topics")
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
        documents = documents.annotate(
            title_marked=_headline(_localized_expression("title"), query, highlight_all=True),
            snippet_marked=_headline(
                Concat(
                    _localized_expression("abstract"),
                    Value(FRAGMENT_DELIMITER),
                    Left("text", SNIPPET_BODY_CHARS),
                    output_field=CharField(),
                ),
                query,
                **snippet_options,
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
    for entry_type, pk, *_ in rows:
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


class CountedPaginator(Paginator):
    """A paginator told its count, which the filter counts have already computed."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def _year_bounds() -> tuple[int, int] | None:
    """First and last year in the library, read from the date indexes."""
    first_issue = Issue.objects.order_by("published_on").values("published_on")[:1]
    last_issue = Issue.objects.order_by("-published_on").values("published_on")[:1]
    bounds = Document.objects.aggregate(
        first=Min("published_on"),
        last=Max("published_on"),
        first_issue=Min(Subquery(first_issue)),
        last_issue=Max(Subquery(last_issue)),
    )
    firsts = [day for day in (bounds["first"], bounds["first_issue"]) if day]
    lasts = [day for day in (bounds["last"], bounds["last_issue"]) if day]
    return (min(firsts).year, max(lasts).year) if firsts else None


def _counts(queryset: QuerySet, *, kinds: bool, date: str, years, topics, through, owner: str):
    """Every filter count of one kind of entry in a single pass over the matching rows."""
    counts = {"total": Count("pk")}
    if kinds:
        counts |= {f"k_{kind}": Count("pk", filter=Q(kind=kind)) for kind in DocumentKind.values}
    counts |= {
        f"c_{code}": Count("pk", filter=Q(countries__contains=[code])) for code in Country.values
    }
    counts |= {f"l_{code}": Count("pk", filter=Q(language=code)) for code in SpokenLanguage.values}
    counts |= {f"y_{year}": Count("pk", filter=Q(**{f"{date}__year": year})) for year in years}
    counts |= {
        f"t_{topic.pk}": Count(
            "pk",
            filter=Q(Exists(through.objects.filter(**{owner: OuterRef("pk")}, topic=topic.pk))),
        )
        for topic in topics
    }
    return queryset.order_by().aggregate(**counts)


def _facets(filters: SearchFilters, documents: QuerySet, articles: QuerySet) -> tuple[int, dict]:
    topics = list(Topic.objects.all())
    bounds = _year_bounds()
    years = range(bounds[1], bounds[0] - 1, -1) if bounds else range(0)
    empty: dict = {}
    document_counts = (
        _counts(
            documents,
            kinds=True,
            date="published_on",
            years=years,
            topics=topics,
            through=Document.topics.through,
            owner="document",
        )
        if not isinstance(documents, EmptyQuerySet)
        else empty
    )
    article_counts = (
        _counts(
            articles,
            kinds=False,
            date="issue__published_on",
            years=years,
            topics=topics,
            through=Article.topics.through,
            owner="article",
        )
        if not isinstance(articles, EmptyQuerySet)
        else empty
    )

    def both(key: str) -> int:
        return (document_counts.get(key) or 0) + (article_counts.get(key) or 0)

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

    kind_pairs = [
        (kind, label, document_counts.get(f"k_{kind}") or 0) for kind, label in DocumentKind.choices
    ] + [(ARTICLE_KIND, ARTICLE_KIND_LABEL, article_counts.get("total") or 0)]
    facets = {
        "kind": options(kind_pairs, filters.kind),
        "topic": options(
            [(topic.slug, topic.name, both(f"t_{topic.pk}")) for topic in topics], filters.topic
        ),
        "country": options(
            [(code, label, both(f"c_{code}")) for code, label in Country.choices], filters.country
        ),
        "language": options(
            [(code, label, both(f"l_{code}")) for code, label in SpokenLanguage.choices],
            filters.language,
        ),
        "year": options([(year, year, both(f"y_{year}")) for year in years], filters.year or ""),
    }
    return both("total"), facets


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
    only when `member` is true. Callers that show no filter counts (the API) pass
    with_facets=False and pay for two counts instead of every facet's."""
    text = filters.query.strip()
    query = None
    if text:
        if not query_has_words(text):
            empty = Paginator(Document.objects.none(), per_page).get_page(1)
            return SearchOutcome(page=empty, entries=[], no_words=True)
        query = search_query(text)
    documents, articles = _filtered(filters, member, query)
    if not with_facets:
        total, facets = documents.count() + articles.count(), {}
    elif filters.is_empty():
        # The unfiltered catalogue counts every row; its counts change only with the library.
        total, facets = counts_cached(
            "catalogue", lambda: _facets(filters, documents, articles), member, get_language()
        )
    else:
        total, facets = _facets(filters, documents, articles)
    paginator = CountedPaginator(Document.objects.none(), per_page, count=total)
    number = paginator.get_page(page_number).number
    rows = _ranked_rows(
        documents, articles, query, bottom=(number - 1) * per_page, top=number * per_page
    )
    entries = _page_entries(rows, query) if total else []
    return SearchOutcome(page=Page(rows, number, paginator), entries=entries, facets=facets)


def _ranked_rows(documents, articles, query, *, bottom: int, top: int) -> list:
    """Rows bottom..top of the merged list. Each side is cut at `top` before the merge, so the
    newest-first listing reads only that many rows from the date index."""
    order = ("-entry_rank", "-entry_date", "entry_type", "-entry_pk")
    if top <= 0:
        return []
    sides = [
        _rows(queryset, entry_type, date, query).order_by(*order)
        for queryset, entry_type, date in (
            (documents, "document", "published_on"),
            (articles, "article", "issue__published_on"),
        )
        if not isinstance(queryset, EmptyQuerySet)
    ]
    if len(sides) == 1:
        return list(sides[0][bottom:top])
    first, second = (side[:top] for side in sides)
    return list(first.union(second, all=True).order_by(*order)[bottom:top])


def library_search_first_page(*, text: str, member: bool, limit: int = 20) -> tuple[int, list]:
    """The ranked full-text search alone, count and first rows, without snippets or filter
    counts: what the benchmark sets beside icontains."""
    query = search_query(text)
    documents, articles = _filtered(SearchFilters(query=text), member, query)
    rows = _rows(documents, "document", "published_on", query).union(
        _rows(articles, "article", "issue__published_on", query), all=True
    )
    rows = rows.order_by("-entry_rank", "-entry_date", "entry_type", "-entry_pk")
    return rows.count(), list(rows[:limit])


def library_search_icontains(*, text: str, member: bool, limit: int = 20) -> tuple[int, list]:
    """The naive way, kept for the benchmark: every word somewhere in a title, abstract or body,
    newest first."""
    documents, articles = visible_documents(member=member), Article.objects.all()
    for word in text.split()[:8]:
        documents = documents.filter(
            Q(title_en__icontains=word)
            | Q(title_ru__icontains=word)
            | Q(abstract_en__icontains=word)
            | Q(abstract_ru__icontains=word)
            | Q(text__icontains=word)
        )
        articles = articles.filter(Q(title__icontains=word) | Q(abstract__icontains=word))
    rows = _rows(documents, "document", "published_on", None).union(
        _rows(articles, "article", "issue__published_on", None), all=True
    )
    rows = rows.order_by("-entry_date", "entry_type", "-entry_pk")
    return rows.count(), list(rows[:limit])
