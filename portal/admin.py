from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mirpal.admin_audit import AuditedAdminMixin
from portal.forms import SupporterAdminForm
from portal.models import CountryFigure, Supporter


@admin.register(Supporter)
class SupporterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = SupporterAdminForm
    # The list's editable columns are a form of their own, made from the model's fields.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name_en", "name_ru", "kind", "position", "is_shown", "logo_shown"]
    list_editable = ["position", "is_shown"]
    list_filter = ["kind", "is_shown"]
    search_fields = ["name_en", "name_ru"]

    @admin.display(description=_("logo"))
    def logo_shown(self, obj):
        if not obj.logo:
            return "—"
        return format_html('<img src="{}" alt="" height="32">', obj.get_logo_url())


@admin.register(CountryFigure)
class CountryFigureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The key figures of the country pages; each change shows on the next visit (portal.apps)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["country", "label_en", "value", "year", "source_en", "position"]
    list_display_links = ["label_en"]
    list_editable = ["value", "year", "position"]
    list_filter = ["country"]
    search_fields = ["label_en", "label_ru", "source_en", "source_ru"]
    fields = [
        "country",
        ("label_en", "label_ru"),
        ("value", "value_ru"),
        "year",
        ("source_en", "source_ru"),
        "source_url",
        "position",
    ]
