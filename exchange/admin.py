"""The peer exchange in the secretariat's admin: threads, posts, flags and edits to find and
read; moderation itself (hiding, releasing, locking, edits with a reason) goes through the
services, from the site's queue or from the actions here, so that each is audited once and the
counters and followers' mail follow."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exchange import moderation
from exchange.errors import ExchangeError
from exchange.models import Attachment, Edit, Flag, Post, Thread
from mirpal.admin_audit import AuditedAdminMixin
from mirpal.countries import Country


def _moderate(modeladmin, request, queryset, service, done: str) -> None:
    changed = skipped = 0
    for target in queryset:
        try:
            service(target=target, by=request.user)
        except ExchangeError:
            skipped += 1
        else:
            changed += 1
    modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d left as it was: its state does not allow this.",
                "%(count)d left as they were: their state does not allow this.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


@admin.action(description=_("Hide the selected"), permissions=["change"])
def hide_selected(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, moderation.target_hide, _("Hidden: %(count)d."))


@admin.action(description=_("Show the selected again"), permissions=["change"])
def show_selected(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, moderation.target_show, _("Shown again: %(count)d."))


@admin.action(description=_("Publish the selected (awaiting review)"), permissions=["change"])
def approve_selected(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, moderation.target_approve, _("Published: %(count)d."))


class ThreadAdminForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("About countries"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Thread
        fields = ["kind", "language", "visibility", "topics", "countries"]


class AttachmentInline(admin.TabularInline):
    """Its files are named, not linked: they are served only by the thread page's view, which
    checks who asks (the protected storage has no address to show here)."""

    model = Attachment
    fk_name = "thread"
    fields = ["kind", "name", "size", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class PostAttachmentInline(AttachmentInline):
    fk_name = "post"


class EditInline(admin.TabularInline):
    model = Edit
    fields = ["created_at", "edited_by", "reason", "title_before", "body_before"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PostEditInline(EditInline):
    fields = ["created_at", "edited_by", "reason", "body_before"]
    readonly_fields = fields


class OpenFlagFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("open", _("with an open flag"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(flags__outcome="open").distinct()
        return queryset


def _site_link(obj) -> str:
    if not obj.pk:
        return "—"
    return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("on the site"))


@admin.register(Thread)
class ThreadAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ThreadAdminForm
    list_display = [
        "title",
        "kind",
        "author",
        "language",
        "visibility",
        "state",
        "is_locked",
        "answer_count",
        "helpful_count",
        "created_at",
        "last_activity_at",
    ]
    list_filter = [
        "state",
        OpenFlagFilter,
        "kind",
        "visibility",
        "language",
        "is_locked",
        "topics",
    ]
    search_fields = ["title", "body", "author__first_name", "author__last_name"]
    date_hierarchy = "created_at"
    list_select_related = ["author"]
    actions = [hide_selected, show_selected, approve_selected]
    filter_horizontal = ["topics"]
    # Title, text, state and lock change through the moderation services (an edit keeps the
    # text before and a reason; releasing mails the followers), not through this form.
    readonly_fields = [
        "site_link",
        "author",
        "title",
        "body",
        "state",
        "is_locked",
        "accepted_answer",
        "document",
        "answer_count",
        "helpful_count",
        "first_answer_at",
        "last_activity_at",
        "created_at",
        "edited_at",
    ]
    fieldsets = [
        (None, {"fields": ["site_link", "kind", "title", "author", "body"]}),
        (_("Where it shows"), {"fields": ["language", "visibility", "topics", "countries"]}),
        (
            _("Moderation"),
            {"fields": ["state", "is_locked", "accepted_answer", "document"]},
        ),
        (
            _("Figures"),
            {
                "fields": [
                    "answer_count",
                    "helpful_count",
                    "first_answer_at",
                    "last_activity_at",
                    "created_at",
                    "edited_at",
                ]
            },
        ),
    ]
    inlines = [AttachmentInline, EditInline]

    @admin.display(description=_("page"))
    def site_link(self, obj):
        return _site_link(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector")

    def has_add_permission(self, request):
        return False  # members ask on the site


@admin.register(Post)
class PostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "author", "is_answer", "state", "helpful_count", "created_at"]
    list_filter = ["state", OpenFlagFilter, "language"]
    search_fields = ["body", "thread__title", "author__first_name", "author__last_name"]
    date_hierarchy = "created_at"
    list_select_related = ["author", "thread"]
    actions = [hide_selected, show_selected, approve_selected]
    fields = [
        "site_link",
        "thread",
        "parent",
        "author",
        "body",
        "language",
        "state",
        "helpful_count",
        "created_at",
        "edited_at",
    ]
    readonly_fields = [name for name in fields if name != "language"]
    inlines = [PostAttachmentInline, PostEditInline]

    @admin.display(description=_("page"))
    def site_link(self, obj):
        return _site_link(obj)

    @admin.display(description=_("answer"), boolean=True)
    def is_answer(self, obj):
        return obj.parent_id is None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("thread")
            .defer("search_vector", "thread__search_vector")
        )

    def has_add_permission(self, request):
        return False


@admin.action(
    description=_("Dismiss the selected flags (with the other open flags on the same posts)"),
    permissions=["change"],
)
def dismiss_selected(modeladmin, request, queryset):
    targets = {(flag.post or flag.thread) for flag in queryset.select_related("post", "thread")}
    dismissed = 0
    for target in targets:
        try:
            dismissed += len(moderation.flags_dismiss(target=target, by=request.user))
        except ExchangeError:
            continue
    modeladmin.message_user(
        request,
        ngettext("%(count)d flag dismissed.", "%(count)d flags dismissed.", dismissed)
        % {"count": dismissed},
        messages.SUCCESS,
    )


@admin.register(Flag)
class FlagAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "reason", "flagged_by", "outcome", "created_at", "handled_at"]
    list_filter = ["outcome", "reason"]
    search_fields = ["note", "thread__title", "post__thread__title", "post__body"]
    date_hierarchy = "created_at"
    list_select_related = ["flagged_by", "thread", "post__thread"]
    actions = [dismiss_selected]
    fields = [
        "queue_link",
        "thread",
        "post",
        "flagged_by",
        "reason",
        "note",
        "outcome",
        "handled_by",
        "handled_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("queue"))
    def queue_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("exchange:moderation"), _("the moderation queue")
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("thread", "post__thread")
            .defer("thread__search_vector", "post__search_vector", "post__thread__search_vector")
        )

    def has_add_permission(self, request):
        return False


@admin.register(Edit)
class EditAdmin(admin.ModelAdmin):
    list_display = ["__str__", "edited_by", "reason", "created_at"]
    search_fields = ["reason", "body_before", "title_before"]
    date_hierarchy = "created_at"
    list_select_related = ["edited_by", "thread", "post__thread"]
    fields = ["thread", "post", "edited_by", "reason", "title_before", "body_before", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
