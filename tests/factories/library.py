import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from library import services
from library.models import Article, Document, Issue
from library.pdf import pdf_compose


def pdf_upload(*lines: str, name: str = "report.pdf") -> SimpleUploadedFile:
    """A small valid PDF upload whose text is these lines."""
    return SimpleUploadedFile(
        name,
        pdf_compose(pages=[list(lines or ["MIRPAL test document"])]),
        content_type="application/pdf",
    )


class DocumentFactory(factory.django.DjangoModelFactory):
    """Documents made through library.services.document_create, so their search vector is real."""

    class Meta:
        model = Document

    kind = "report"
    title_en = factory.Sequence(lambda n: f"Report number {n}")
    title_ru = factory.Sequence(lambda n: f"Доклад номер {n}")
    abstract_en = ""
    abstract_ru = ""
    language = "ru"
    published_on = datetime.date(2024, 5, 1)
    external_url = "https://example.org/report"
    access = "public"
    countries = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, file=None, topics=(), **kwargs):
        if file is not None:
            kwargs.setdefault("external_url", "")
        return services.document_create(file=file, topics=topics, **kwargs)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    number = factory.Sequence(lambda n: n + 1)
    published_on = datetime.date(2023, 3, 1)
    title_en = factory.Sequence(lambda n: f"Issue {n + 1}")
    title_ru = factory.Sequence(lambda n: f"Выпуск {n + 1}")

    @classmethod
    def _create(cls, model_class, *args, pdf=None, cover=None, **kwargs):
        return services.issue_create(pdf=pdf, cover=cover, **kwargs)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    issue = factory.SubFactory(IssueFactory)
    title = factory.Sequence(lambda n: f"Статья номер {n}")
    authors_text = "А. Иванова"
    page_start = 3
    page_end = 9
    abstract = ""
    language = "ru"
    countries = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, topics=(), **kwargs):
        return services.article_create(topics=topics, **kwargs)
