"""Good-practice cases and the secretariat's curated collections.

A case is described with the same fields as every other case (as the OECD's and IOM's case
libraries do), each text in English and Russian, so that cases can be set side by side. A member
proposes it; the secretariat reviews it (asks for changes, publishes, declines with a reason).
A collection is an ordered dossier of what the network holds (articles, documents, cases,
recordings, experts, discussions) with the secretariat's short notes between the items.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mirpal.bilingual import Localized
from mirpal.countries import Country
from practices.enums import CaseStatus, ItemKind, ReviewState, Visibility

# The nine network countries; "International / other" is not a country a case is about.
CASE_COUNTRIES = [(code, label) for code, label in Country.choices if code != Country.OTHER]

# Every text of a case, in the order the form asks for them and the comparison shows them.
CASE_TEXT_FIELDS = [
    "title",
    "summary",
    "problem",
    "measure",
    "legal_basis",
    "institutions",
    "scale",
    "cost",
    "results",
    "results_source",
    "lessons",
]


class Case(models.Model):
    """One good practice of one country (or several countries that did it together)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary in English"), blank=True)
    summary_ru = models.TextField(_("summary in Russian"), blank=True)
    problem_en = models.TextField(_("problem addressed, in English"), blank=True)
    problem_ru = models.TextField(_("problem addressed, in Russian"), blank=True)
    measure_en = models.TextField(_("what was done, in English"), blank=True)
    measure_ru = models.TextField(_("what was done, in Russian"), blank=True)
    legal_basis_en = models.TextField(_("legal or policy basis, in English"), blank=True)
    legal_basis_ru = models.TextField(_("legal or policy basis, in Russian"), blank=True)
    institutions_en = models.TextField(_("institutions involved, in English"), blank=True)
    institutions_ru = models.TextField(_("institutions involved, in Russian"), blank=True)
    scale_en = models.TextField(_("scale, in English"), blank=True)
    scale_ru = models.TextField(_("scale, in Russian"), blank=True)
    cost_en = models.TextField(_("cost, in English"), blank=True)
    cost_ru = models.TextField(_("cost, in Russian"), blank=True)
    results_en = models.TextField(_("results with figures, in English"), blank=True)
    results_ru = models.TextField(_("results with figures, in Russian"), blank=True)
    results_source_en = models.TextField(_("source of the results, in English"), blank=True)
    results_source_ru = models.TextField(_("source of the results, in Russian"), blank=True)
    lessons_en = models.TextField(
        _("before copying it (conditions, pitfalls), in English"), blank=True
    )
    lessons_ru = models.TextField(
        _("before copying it (conditions, pitfalls), in Russian"), blank=True
    )

    countries = ArrayField(
        models.CharField(max_length=2, choices=CASE_COUNTRIES),
        verbose_name=_("countries"),
        default=list,
    )
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="cases"
    )
    year_from = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(
        _("until (year)"), null=True, blank=True, help_text=_("Empty while the measure runs.")
    )
    status = models.CharField(_("status of the measure"), max_length=10, choices=CaseStatus.choices)

    # Who can be asked about it: members and roster experts.
    contact_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact people (members)"),
        blank=True,
        related_name="cases_as_contact",
    )
    contact_experts = models.ManyToManyField(
        "members.Expert",
        verbose_name=_("contact people (experts)"),
        blank=True,
        related_name="cases_as_contact",
    )
    documents = models.ManyToManyField(
        "library.Document", verbose_name=_("documents"), blank=True, related_name="cases"
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("presented at"), blank=True, related_name="cases"
    )
    threads = models.ManyToManyField(
        "exchange.Thread", verbose_name=_("discussions"), blank=True, related_name="cases"
    )

    visibility = models.CharField(
        _("who can read it"), max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    # What the secretariat asked to change, or why it declined; shown to the proposer.
    review_note = models.TextField(_("note to the proposer"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_proposed",
    )
    submitted_at = models.DateTimeField(_("submitted"), db_default=Now())
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_vector = models.GeneratedField(
        expression=SearchVector("title_en", config="english", weight="A")
        + SearchVector("title_ru", config="russian", weight="A")
        + SearchVector("summary_en", config="english", weight="B")
        + SearchVector("summary_ru", config="russian", weight="B")
        + SearchVector("measure_en", config="english", weight="C")
        + SearchVector("measure_ru", config="russian", weight="C")
        + SearchVector("problem_en", config="english", weight="D")
        + SearchVector("problem_ru", config="russian", weight="D")
        + SearchVector("results_en", config="english", weight="D")
        + SearchVector("results_ru", config="russian", weight="D"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    title = Localized("title")
    summary = Localized("summary")
    problem = Localized("problem")
    measure = Localized("measure")
    legal_basis = Localized("legal_basis")
    institutions = Localized("institutions")
    scale = Localized("scale")
    cost = Localized("cost")
    results = Localized("results")
    results_source = Localized("results_source")
    lessons = Localized("lessons")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("good-practice case")
        verbose_name_plural = _("good-practice cases")
        permissions = [("review_case", "Can review proposed good-practice cases")]
        indexes = [
            models.Index(fields=["review_state", "-published_at"], name="practices_case_state_idx"),
            GinIndex(fields=["countries"], name="practices_case_countries_idx"),
            GinIndex(fields=["search_vector"], name="practices_case_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="practices_case_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(review_state__in=ReviewState.values),
                name="practices_case_review_known",
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="practices_case_visibility_known",
            ),
            models.CheckConstraint(
                condition=models.Q(countries__len__gte=1), name="practices_case_has_country"
            ),
            models.CheckConstraint(
                condition=~models.Q(title_en="", title_ru=""), name="practices_case_has_title"
            ),
            models.CheckConstraint(
                condition=models.Q(year_from__isnull=True)
                | models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
                name="practices_case_years_in_order",
            ),
            # A decline always says why; a published case always says when.
            models.CheckConstraint(
                condition=~models.Q(review_state=ReviewState.DECLINED, review_note=""),
                name="practices_case_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(review_state=ReviewState.PUBLISHED, published_at__isnull=True),
                name="practices_case_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_ru

    def get_absolute_url(self) -> str:
        return reverse("practices:case", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.review_state == ReviewState.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.is_published and self.visibility == Visibility.PUBLIC


class Collection(models.Model):
    """A dossier the secretariat curates on a topic: for a video conference, a ministry's request
    or a donor. Shared by its link; a draft is seen by the secretariat only."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    introduction_en = models.TextField(_("introduction in English"), blank=True)
    introduction_ru = models.TextField(_("introduction in Russian"), blank=True)
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="collections"
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=CASE_COUNTRIES),
        verbose_name=_("countries"),
        default=list,
        blank=True,
    )
    visibility = models.CharField(
        _("who can read it"), max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    is_published = models.BooleanField(
        pgettext_lazy("collection", "published"),
        default=False,
        help_text=_("Until it is published, only the secretariat sees it."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collections_created",
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    title = Localized("title")
    introduction = Localized("introduction")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="practices_collection_visibility_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(title_en="", title_ru=""),
                name="practices_collection_has_title",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_ru

    def get_absolute_url(self) -> str:
        return reverse("practices:collection", kwargs={"slug": self.slug})


# The item's target column for each kind; a NOTE has none.
ITEM_TARGETS = {
    ItemKind.ARTICLE: "article",
    ItemKind.DOCUMENT: "document",
    ItemKind.CASE: "case",
    ItemKind.RECORDING: "event",
    ItemKind.EXPERT: "expert",
    ItemKind.DISCUSSION: "thread",
}


class CollectionItem(models.Model):
    """One entry of a collection, in its place, with the secretariat's note before it."""

    collection = models.ForeignKey(
        Collection, verbose_name=_("collection"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"))
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    note_en = models.TextField(_("note in English"), blank=True)
    note_ru = models.TextField(_("note in Russian"), blank=True)
    article = models.ForeignKey(
        "library.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "library.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="collection_items"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event (its recording)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    expert = models.ForeignKey(
        "members.Expert", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "exchange.Thread",
        verbose_name=_("discussion"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    note = Localized("note")

    class Meta:
        ordering = ["collection", "position", "id"]
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "position"],
                name="practices_item_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ItemKind.values), name="practices_item_kind_known"
            ),
            # Exactly the column of its kind is set (a note has none and must say something).
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=ItemKind.NOTE,
                        article__isnull=True,
                        document__isnull=True,
                        case__isnull=True,
                        event__isnull=True,
                        expert__isnull=True,
                        thread__isnull=True,
                    )
                    & ~models.Q(note_en="", note_ru="")
                )
                | models.Q(
                    kind=ItemKind.ARTICLE,
                    article__isnull=False,
                    document__isnull=True,
                    case__isnull=True,
                    event__isnull=True,
                    expert__isnull=True,
                    thread__isnull=True,
                )
                | models.Q(
                    kind=ItemKind.DOCUMENT,
                    article__isnull=True,
                    document__isnull=False,
                    case__isnull=True,
                    event__isnull=True,
                    expert__isnull=True,
                    thread__isnull=True,
                )
                | models.Q(
                    kind=ItemKind.CASE,
                    article__isnull=True,
                    document__isnull=True,
                    case__isnull=False,
                    event__isnull=True,
                    expert__isnull=True,
                    thread__isnull=True,
                )
                | models.Q(
                    kind=ItemKind.RECORDING,
                    article__isnull=True,
                    document__isnull=True,
                    case__isnull=True,
                    event__isnull=False,
                    expert__isnull=True,
                    thread__isnull=True,
                )
                | models.Q(
                    kind=ItemKind.EXPERT,
                    article__isnull=True,
                    document__isnull=True,
                    case__isnull=True,
                    event__isnull=True,
                    expert__isnull=False,
                    thread__isnull=True,
                )
                | models.Q(
                    kind=ItemKind.DISCUSSION,
                    article__isnull=True,
                    document__isnull=True,
                    case__isnull=True,
                    event__isnull=True,
                    expert__isnull=True,
                    thread__isnull=False,
                ),
                name="practices_item_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        target = self.target
        return str(target) if target is not None else (self.note_en or self.note_ru)[:80]

    @property
    def target(self):
        column = ITEM_TARGETS.get(self.kind)
        return getattr(self, column) if column else None
