from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from library import services
from library.forms import ArticleAdminForm, DocumentAdminForm, IssueAdminForm
from library.models import Article, Document, Issue, SearchLog
from mirpal.admin_audit import AuditedAdminMixin


def _upload(form, name: str):
    """The new file from an admin form, or None when the field did not change."""
    if name not in form.changed_data:
        return None, False
    value = form.cleaned_data.get(name)
    return (value or None), value is False


class ArticleInline(admin.StackedInline):
    model = Article
    form = ArticleAdminForm
    extra = 0
    fields = [
        "title",
        "authors_text",
        "author_members",
        "author_experts",
        "page_start",
        "page_end",
        "language",
        "abstract",
        "topics",
        "countries",
    ]
    autocomplete_fields = ["author_members"]
    filter_horizontal = ["topics", "author_experts"]


@admin.register(Issue)
class IssueAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_deletions = False  # the delete service records it
    form = IssueAdminForm
    list_display = ["number", "title", "published_on", "article_count", "download_count"]
    search_fields = ["title_en", "title_ru", "articles__title"]
    date_hierarchy = "published_on"
    readonly_fields = ["pdf_size", "pdf_pages", "download_count", "links"]
    inlines = [ArticleInline]
    fieldsets = [
        (None, {"fields": ["number", "published_on", "title_en", "title_ru"]}),
        (_("Description"), {"fields": ["description_en", "description_ru"]}),
        (
            _("Files"),
            {"fields": ["cover", "pdf", "pdf_size", "pdf_pages", "download_count", "links"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    @admin.display(description=_("public addresses"))
    def links(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("library:issue", args=[obj.number]),
            _("page"),
            reverse("library:issue_pdf", args=[obj.number]),
            _("PDF"),
        )

    def save_model(self, request, obj, form, change):
        pdf, clear_pdf = _upload(form, "pdf")
        cover, clear_cover = _upload(form, "cover")
        services.issue_save(
            issue=obj, pdf=pdf, cover=cover, clear_pdf=clear_pdf, clear_cover=clear_cover
        )

    def delete_model(self, request, obj):
        services.issue_delete(issue=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for issue in queryset:
            services.issue_delete(issue=issue, by=request.user)

    def save_formset(self, request, form, formset, change):
        articles = formset.save(commit=False)
        for article in formset.deleted_objects:
            services.article_delete(article=article)
        for article in articles:
            services.article_save(article=article)
        formset.save_m2m()


@admin.register(Article)
class ArticleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "issue", "authors_text", "language", "page_start"]
    list_filter = ["language", "issue", "topics"]
    search_fields = ["title", "authors_text", "abstract"]
    list_select_related = ["issue"]
    autocomplete_fields = ["author_members"]
    filter_horizontal = ["topics", "author_experts"]

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj)

    def delete_model(self, request, obj):
        services.article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article)


@admin.action(description=_("Read the text of the selected documents again"))
def read_text_again(modeladmin, request, queryset):
    count = services.document_text_requeue(document_ids=queryset.values_list("pk", flat=True))
    modeladmin.message_user(
        request,
        ngettext(
            "Text extraction queued for %(count)d document.",
            "Text extraction queued for %(count)d documents.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Document)
class DocumentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_deletions = False  # the delete service records it
    form = DocumentAdminForm
    list_display = [
        "title",
        "kind",
        "language",
        "published_on",
        "access",
        "has_text",
        "download_count",
    ]
    list_filter = ["kind", "language", "access", "topics"]
    search_fields = ["title_en", "title_ru", "authors_text", "publisher"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["author_members"]
    filter_horizontal = ["topics", "author_experts"]
    actions = [read_text_again]
    readonly_fields = [
        "download_link",
        "file_size",
        "file_pages",
        "text_extracted_at",
        "text_error",
        "download_count",
        "announced_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title_en", "title_ru", "slug", "language", "published_on"]}),
        (_("Abstract"), {"fields": ["abstract_en", "abstract_ru"]}),
        (
            _("Authors and publisher"),
            {"fields": ["authors_text", "author_members", "author_experts", "publisher"]},
        ),
        (_("Subject"), {"fields": ["topics", "countries", "event"]}),
        (
            _("File and access"),
            {
                "description": _(
                    "Replacing the file keeps the document's address: links already sent "
                    "keep working."
                ),
                "fields": [
                    "access",
                    "file",
                    "external_url",
                    "download_link",
                    "file_size",
                    "file_pages",
                    "text_extracted_at",
                    "text_error",
                    "download_count",
                    "announced_at",
                ],
            },
        ),
    ]

    @admin.display(description=_("text read"), boolean=True)
    def has_text(self, obj):
        return obj.text_extracted_at is not None if obj.file else None

    @admin.display(description=_("download address"))
    def download_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("library:document_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, url)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text", "search_vector")

    def save_model(self, request, obj, form, change):
        upload, clear = _upload(form, "file")
        services.document_save(document=obj, file=upload, clear_file=clear)

    def delete_model(self, request, obj):
        services.document_delete(document=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document, by=request.user)


class FoundNothingFilter(admin.SimpleListFilter):
    title = _("results")
    parameter_name = "found"

    def lookups(self, request, model_admin):
        return [("none", _("found nothing")), ("some", _("found something"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(results_count=0)
        if self.value() == "some":
            return queryset.filter(results_count__gt=0)
        return queryset


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["query", "results_count", "language", "created_at"]
    list_filter = [FoundNothingFilter, "language"]
    search_fields = ["query"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return ["query", "results_count", "language", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
