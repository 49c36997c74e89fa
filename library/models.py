from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from library.enums import ARTICLE_KIND_LABEL, Access, DocumentKind
from library.storage import (
    document_upload_to,
    issue_cover_upload_to,
    issue_pdf_upload_to,
    protected_storage,
)
from mirpal.bilingual import Localized
from mirpal.choices import choice_display
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage


class Issue(models.Model):
    """One numbered issue of the Migration 21 magazine."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    published_on = models.DateField(_("date"))
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    cover = models.ImageField(
        _("cover image"), storage=protected_storage, upload_to=issue_cover_upload_to, blank=True
    )
    pdf = models.FileField(
        _("PDF"), storage=protected_storage, upload_to=issue_pdf_upload_to, blank=True
    )
    pdf_size = models.PositiveBigIntegerField(_("PDF size in bytes"), default=0)
    pdf_pages = models.PositiveIntegerField(_("pages"), default=0)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("magazine issue")
        verbose_name_plural = _("magazine issues")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_en="") | ~models.Q(title_ru=""),
                name="library_issue_has_title",
                violation_error_message=_("Give the issue a title in English or in Russian."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="library_issue_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Migration 21 № {self.number}"

    title = Localized("title")
    description = Localized("description")


class Article(models.Model):
    """An article in a magazine issue, searchable on its own."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=300)
    authors_text = models.CharField(
        _("authors"),
        max_length=500,
        blank=True,
        help_text=_("As printed, for authors who are not on the platform."),
    )
    author_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors who are members"),
        blank=True,
        related_name="library_articles",
    )
    author_experts = models.ManyToManyField(
        "members.Expert",
        verbose_name=_("authors from the expert roster"),
        blank=True,
        related_name="articles_written",
    )
    page_start = models.PositiveSmallIntegerField(_("first page"), null=True, blank=True)
    page_end = models.PositiveSmallIntegerField(_("last page"), null=True, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=SpokenLanguage.choices, default=SpokenLanguage.RUSSIAN
    )
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="library_articles"
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=Country.choices),
        verbose_name=_("countries"),
        default=list,
        blank=True,
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    kind_label = ARTICLE_KIND_LABEL
    get_language_display = choice_display("language", SpokenLanguage)

    class Meta:
        ordering = ["issue", "page_start", "pk"]
        verbose_name = _("magazine article")
        verbose_name_plural = _("magazine articles")
        indexes = [GinIndex(fields=["search_vector"], name="library_article_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page_start__isnull=True)
                | models.Q(page_end__isnull=True)
                | models.Q(page_end__gte=models.F("page_start")),
                name="library_article_pages_ordered",
                violation_error_message=_("The last page cannot come before the first page."),
            ),
            models.CheckConstraint(
                condition=models.Q(countries__contained_by=Country.values),
                name="library_article_countries_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pages(self) -> str:
        if self.page_start and self.page_end and self.page_end != self.page_start:
            return f"{self.page_start}–{self.page_end}"
        return str(self.page_start or "")

    def countries_display(self) -> list[str]:
        labels = dict(Country.choices)
        return [str(labels.get(code, code)) for code in self.countries]


class Document(models.Model):
    """A report, study, brief, presentation, good practice, law or data set in the library."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    slug = models.SlugField(
        _("short name"),
        max_length=100,
        allow_unicode=True,
        db_index=True,
        blank=True,
        help_text=_("Used as the name of the downloaded file; made from the title if left empty."),
    )
    title_en = models.CharField(_("title in English"), max_length=400, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=400, blank=True)
    abstract_en = models.TextField(_("abstract in English"), blank=True)
    abstract_ru = models.TextField(_("abstract in Russian"), blank=True)
    language = models.CharField(
        _("language of the document"),
        max_length=5,
        choices=SpokenLanguage.choices,
        default=SpokenLanguage.RUSSIAN,
    )
    authors_text = models.CharField(_("authors"), max_length=500, blank=True)
    author_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors who are members"),
        blank=True,
        related_name="library_documents",
    )
    author_experts = models.ManyToManyField(
        "members.Expert",
        verbose_name=_("authors from the expert roster"),
        blank=True,
        related_name="documents_written",
    )
    publisher = models.CharField(_("publishing organisation"), max_length=300, blank=True)
    published_on = models.DateField(_("date"))
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="library_documents"
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=Country.choices),
        verbose_name=_("countries"),
        default=list,
        blank=True,
    )
    file = models.FileField(
        _("file (PDF)"), storage=protected_storage, upload_to=document_upload_to, blank=True
    )
    file_size = models.PositiveBigIntegerField(_("file size in bytes"), default=0)
    file_pages = models.PositiveIntegerField(_("pages"), default=0)
    external_url = models.URLField(_("external link"), max_length=500, blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    # The event page lists these as its materials.
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("presented at event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_extracted_at = models.DateTimeField(
        _("text extracted"), null=True, blank=True, editable=False
    )
    text_error = models.CharField(
        _("text extraction problem"), max_length=300, blank=True, editable=False
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # Titles (A) and abstracts (B) only, kept by the database: small enough to rank thousands
    # of matches quickly, where the full vector (with the body) is what matching uses.
    ranking_vector = models.GeneratedField(
        expression=SearchVector("title_en", config="english", weight="A")
        + SearchVector("title_ru", config="russian", weight="A")
        + SearchVector("abstract_en", config="english", weight="B")
        + SearchVector("abstract_ru", config="russian", weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    # Set once, the first time the document is public: partners hear of a document once, however
    # often it is saved or its access switched back and forth.
    announced_at = models.DateTimeField(
        _("announced to partners"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            GinIndex(fields=["search_vector"], name="library_document_search_idx"),
            models.Index(fields=["-download_count"], name="library_document_popular_idx"),
            models.Index(fields=["-published_on", "-id"], name="library_document_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_en="") | ~models.Q(title_ru=""),
                name="library_document_has_title",
                violation_error_message=_("Give the document a title in English or in Russian."),
            ),
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(external_url=""),
                name="library_document_file_or_link",
                violation_error_message=_("Upload the document's PDF or give a link to it."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="library_document_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(access__in=Access.values), name="library_document_access_known"
            ),
            models.CheckConstraint(
                condition=models.Q(countries__contained_by=Country.values),
                name="library_document_countries_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:document", args=[self.pk])

    title = Localized("title")
    abstract = Localized("abstract")

    get_kind_display = choice_display("kind", DocumentKind)
    get_language_display = choice_display("language", SpokenLanguage)

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def members_only(self) -> bool:
        return self.access == Access.MEMBERS

    def countries_display(self) -> list[str]:
        labels = dict(Country.choices)
        return [str(labels.get(code, code)) for code in self.countries]


class DownloadDay(models.Model):
    """The downloads of one document or one magazine issue on one day of the site's time zone.

    Each download adds one to its row with a single INSERT ... ON CONFLICT DO UPDATE
    (library.services), so concurrent downloads lose no count; the item's download_count keeps
    the total, which the lists sort by. Counts made before the days were recorded have no row."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="download_days",
        db_index=False,  # the unique constraints below lead with it
    )
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("magazine issue"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="download_days",
        db_index=False,  # the unique constraints below lead with it
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("downloads"), default=1)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("downloads of a day")
        verbose_name_plural = _("downloads by day")
        # The figures read a period of days across all items.
        indexes = [models.Index(fields=["day"], name="library_download_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=False, issue__isnull=True)
                | models.Q(document__isnull=True, issue__isnull=False),
                name="library_downloadday_one_item",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="library_downloadday_count_positive"
            ),
            # The targets of the services' ON CONFLICT clauses: one row per item and day.
            models.UniqueConstraint(
                fields=["document", "day"],
                condition=models.Q(document__isnull=False),
                name="library_downloadday_document_day",
            ),
            models.UniqueConstraint(
                fields=["issue", "day"],
                condition=models.Q(issue__isnull=False),
                name="library_downloadday_issue_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id or self.issue_id} {self.day}: {self.count}"


class DocumentSearchRow(models.Model):
    """A narrow copy of what search reads of each document, written by a database trigger on
    library_document (migration 0005) and never by Django.

    Search finds matches with a GIN index and must visit each matching row to sort it by date
    and filter it; a document row, with its titles and abstracts, holds about four per page,
    this one about sixty (its vectors are moved out of line, toast_tuple_target = 128), so a
    word found in half the library visits 800 pages instead of 12,000."""

    document = models.OneToOneField(
        Document,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the trigger deletes the row with its document
        related_name="+",
    )
    published_on = models.DateField()
    access = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)
    language = models.CharField(max_length=5)
    countries = ArrayField(models.CharField(max_length=2), default=list)
    search_vector = SearchVectorField(null=True)
    ranking_vector = SearchVectorField(null=True)

    class Meta:
        db_table = "library_document_search"
        indexes = [
            GinIndex(fields=["search_vector"], name="library_docsearch_match_idx"),
            GinIndex(fields=["ranking_vector"], name="library_docsearch_rank_idx"),
        ]

    def __str__(self) -> str:
        return str(self.document_id)


class SearchLog(models.Model):
    """One search made in the library; the secretariat looks at those that found nothing."""

    query = models.CharField(_("query"), max_length=300)
    results_count = models.PositiveIntegerField(_("results"))
    language = models.CharField(_("site language"), max_length=5)
    created_at = models.DateTimeField(_("time"), db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("library search")
        verbose_name_plural = _("library searches")
        indexes = [
            models.Index(
                fields=["-created_at"],
                name="library_search_empty_idx",
                condition=models.Q(results_count=0),
            )
        ]

    def __str__(self) -> str:
        return self.query
