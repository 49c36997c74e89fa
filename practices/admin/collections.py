"""Curated collections in the secretariat's admin: the collection with its items inline, in the
order of their positions. Publishing goes through practices.collections (dated, audited); the
item form says which target a kind needs instead of letting the database refuse the row."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mirpal.admin_audit import AuditedAdminMixin
from practices.collections import (
    collection_items_renumber,
    collection_publish,
    collection_unpublish,
)
from practices.enums import ItemKind
from practices.models import CASE_COUNTRIES, ITEM_TARGETS, Collection, CollectionItem


class CollectionAdminForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=CASE_COUNTRIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Collection
        fields = [
            "title_en",
            "title_ru",
            "slug",
            "introduction_en",
            "introduction_ru",
            "topics",
            "countries",
            "visibility",
            "is_published",
        ]


class CollectionItemForm(forms.ModelForm):
    class Meta:
        model = CollectionItem
        fields = [
            "position",
            "kind",
            "article",
            "document",
            "case",
            "event",
            "expert",
            "thread",
            "note_en",
            "note_ru",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Left empty, the item goes to the end.")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        column = ITEM_TARGETS.get(kind)
        label = ItemKind(kind).label
        if column and not data.get(column):
            self.add_error(
                column,
                _("A “%(kind)s” item needs this field: choose what it points to.")
                % {"kind": label},
            )
        for other in ITEM_TARGETS.values():
            if other != column and data.get(other):
                self.add_error(
                    other,
                    _(
                        "A “%(kind)s” item does not point to this: clear the field "
                        "or change the kind."
                    )
                    % {"kind": label},
                )
        if kind == ItemKind.NOTE and not (data.get("note_en") or data.get("note_ru")):
            self.add_error("note_en", _("A note item needs its text, in English or in Russian."))
        return data

    def _get_validation_exclusions(self):
        # Positions are checked across the whole inline (CollectionItemFormSet.clean): row by
        # row against the database, swapping two items would be refused. The database checks
        # them again when the admin's transaction commits (the constraint is deferred).
        exclusions = super()._get_validation_exclusions()
        exclusions.add("position")
        return exclusions


class CollectionItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk or form.has_changed())
        ]
        taken: dict[int, int] = {}
        for form in kept:
            position = form.cleaned_data.get("position")
            if position is None:
                continue
            taken[position] = taken.get(position, 0) + 1
        repeated = sorted(position for position, count in taken.items() if count > 1)
        if repeated:
            raise forms.ValidationError(
                _("Two items cannot share a position: give each its own (%(positions)s).")
                % {"positions": ", ".join(str(position) for position in repeated)}
            )
        following = max(taken, default=0)
        for form in kept:
            if form.cleaned_data.get("position") is None:
                following += 1
                form.cleaned_data["position"] = following
                form.instance.position = following


class CollectionItemInline(admin.StackedInline):
    model = CollectionItem
    form = CollectionItemForm
    formset = CollectionItemFormSet
    extra = 1
    ordering = ["position", "pk"]
    fields = [
        ("position", "kind"),
        "article",
        "document",
        "case",
        "event",
        "expert",
        "thread",
        "note_en",
        "note_ru",
    ]
    autocomplete_fields = ["article", "document", "event", "expert"]
    # By id: the case admin's search is not sure to be there, and the editors who curate
    # collections do not read the exchange's admin (its autocompletion would refuse them).
    raw_id_fields = ["case", "thread"]


@admin.action(description=_("Publish the selected collections"), permissions=["change"])
def publish_selected(modeladmin, request, queryset):
    for collection in queryset:
        collection_publish(collection=collection, by=request.user)
    modeladmin.message_user(
        request, _("Published: %(count)d.") % {"count": len(queryset)}, messages.SUCCESS
    )


@admin.action(description=_("Take the selected collections back to drafts"), permissions=["change"])
def unpublish_selected(modeladmin, request, queryset):
    for collection in queryset:
        collection_unpublish(collection=collection, by=request.user)
    modeladmin.message_user(
        request, _("Back to drafts: %(count)d.") % {"count": len(queryset)}, messages.SUCCESS
    )


@admin.register(Collection)
class CollectionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CollectionAdminForm
    inlines = [CollectionItemInline]
    list_display = [
        "title_en",
        "title_ru",
        "visibility",
        "is_published",
        "published_at",
        "item_count",
        "links",
    ]
    list_filter = ["is_published", "visibility", "topics"]
    search_fields = ["title_en", "title_ru", "slug", "introduction_en", "introduction_ru"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published_at"
    filter_horizontal = ["topics"]
    actions = [publish_selected, unpublish_selected]
    readonly_fields = ["links", "published_at", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title_en", "title_ru", "slug", "links"]}),
        (_("Introduction"), {"fields": ["introduction_en", "introduction_ru"]}),
        (_("Where it shows"), {"fields": ["topics", "countries"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "visibility",
                    "is_published",
                    "published_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description=_("items"), ordering="item_total")
    def item_count(self, obj):
        return getattr(obj, "item_total", None)

    @admin.display(description=_("page"))
    def links(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("on the site"),
            reverse("practices:collection_pdf", kwargs={"slug": obj.slug}),
            _("download PDF"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        # The published flag changes through the services, which date the publication.
        wanted = obj.is_published
        obj.is_published = form.initial.get("is_published", False) if change else False
        super().save_model(request, obj, form, change)
        if wanted != obj.is_published:
            service = collection_publish if wanted else collection_unpublish
            done = service(collection=obj, by=request.user)
            obj.is_published, obj.published_at = done.is_published, done.published_at

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        collection_items_renumber(collection=form.instance)
