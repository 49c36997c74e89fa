"""Reads for the library's browse pages, each with the prefetching that keeps its query count
constant."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from library.counts import counts_cached
from library.models import Article, Document, Issue
from library.search import visible_documents
from mirpal.countries import Country
from mirpal.models import Topic


def issues_list() -> QuerySet[Issue]:
    return Issue.objects.annotate(article_count=Count("articles")).order_by("-number")


def issue_detail(*, number: int) -> Issue:
    articles = Article.objects.prefetch_related(
        "topics", "author_members", "author_experts"
    ).order_by("page_start", "pk")
    return Issue.objects.prefetch_related(Prefetch("articles", queryset=articles)).get(
        number=number
    )


def article_detail(*, pk: int) -> Article:
    return (
        Article.objects.select_related("issue")
        .prefetch_related("topics", "author_members", "author_experts")
        .get(pk=pk)
    )


def document_detail(*, pk: int) -> Document:
    """Any document, members-only or not: the view decides who may see it."""
    return Document.objects.prefetch_related("topics", "author_members", "author_experts").get(
        pk=pk
    )


def documents_most_read(*, member: bool, limit: int = 10) -> QuerySet[Document]:
    return (
        visible_documents(member=member)
        .filter(download_count__gt=0)
        .prefetch_related("topics")
        .order_by("-download_count", "-pk")[:limit]
    )


def issues_most_read(*, limit: int = 5) -> QuerySet[Issue]:
    return Issue.objects.filter(download_count__gt=0).order_by("-download_count", "-number")[:limit]


def documents_recent(*, member: bool, limit: int = 5) -> QuerySet[Document]:
    return (
        visible_documents(member=member)
        .prefetch_related("topics")
        .order_by("-published_on", "-pk")[:limit]
    )


def topics_with_counts(*, member: bool) -> list[Topic]:
    """Every topic with how many documents (that this viewer may see) and articles it has."""

    def compute() -> dict[int, tuple[int, int]]:
        documents = (
            visible_documents(member=member)
            .filter(topics=OuterRef("pk"))
            .order_by()
            .values("topics")
            .annotate(count=Count("pk"))
            .values("count")
        )
        articles = (
            Article.objects.filter(topics=OuterRef("pk"))
            .order_by()
            .values("topics")
            .annotate(count=Count("pk"))
            .values("count")
        )
        rows = Topic.objects.annotate(
            document_count=Coalesce(Subquery(documents), 0),
            article_count=Coalesce(Subquery(articles), 0),
        ).values_list("pk", "document_count", "article_count")
        return {pk: (document_count, article_count) for pk, document_count, article_count in rows}

    counts = counts_cached("topics", compute, member)
    topics = list(Topic.objects.order_by("position", "slug"))
    for topic in topics:
        topic.document_count, topic.article_count = counts.get(topic.pk, (0, 0))
    return topics


def countries_with_counts(*, member: bool) -> list[dict]:
    def compute() -> dict[str, int]:
        counts = {
            f"d_{code}": Count("pk", filter=Q(countries__contains=[code]))
            for code in Country.values
        }
        documents = visible_documents(member=member).aggregate(**counts)
        articles = Article.objects.aggregate(**counts)
        return {
            code: (documents[f"d_{code}"] or 0) + (articles[f"d_{code}"] or 0)
            for code in Country.values
        }

    counts = counts_cached("countries", compute, member)
    return [
        {"code": code, "label": label, "count": counts[code]} for code, label in Country.choices
    ]
