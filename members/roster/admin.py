"""The roster and the expert request queue in the secretariat's admin."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.admin_emails import MemberEmailSearchMixin
from members.permissions import sees_member_emails
from members.roster import services
from members.roster.enums import ExpertRequestStatus, HelpKind
from members.roster.export import roster_csv_response
from members.roster.forms import ExpertAdminForm
from members.roster.models import Expert, ExpertLink, ExpertRequest, ExpertRequestNote
from members.roster.selectors import EXPORT_PERMISSION
from mirpal.admin_audit import AuditedAdminMixin
from mirpal.languages import SpokenLanguage


class ArrayContainsFilter(admin.SimpleListFilter):
    """Filter on one value of an ArrayField of choices."""

    field_name = ""
    options: tuple = ()

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field_name}__contains": [self.value()]})
        return queryset


class HelpKindFilter(ArrayContainsFilter):
    title = _("kind of help")
    parameter_name = "help_kind"
    field_name = "help_kinds"
    options = HelpKind.choices


class LanguageFilter(ArrayContainsFilter):
    title = _("language")
    parameter_name = "language"
    field_name = "languages"
    options = SpokenLanguage.choices


class ExpertLinkInline(admin.TabularInline):
    model = ExpertLink
    extra = 1
    fields = ["label", "url", "position"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.action(description=_("Export selected experts as CSV"), permissions=["export"])
def export_csv(modeladmin, request, queryset):
    return roster_csv_response(
        queryset.prefetch_related("topics", "links")
        .select_related("user")
        .order_by("name_en", "pk"),
        show_member_emails=sees_member_emails(request.user),
    )


@admin.register(Expert)
class ExpertAdmin(MemberEmailSearchMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = ExpertAdminForm
    list_display = ["name_en", "name_ru", "affiliation_en", "countries", "is_listed", "user"]
    list_filter = ["is_listed", HelpKindFilter, LanguageFilter, "topics"]
    search_fields = [
        "name_en",
        "name_ru",
        "affiliation_en",
        "affiliation_ru",
        "contact_email",
        "user__email",
    ]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["topics"]
    inlines = [ExpertLinkInline]
    actions = [export_csv]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_ru", "photo", "is_listed", "user"]}),
        (
            _("Position"),
            {"fields": ["title_en", "title_ru", "affiliation_en", "affiliation_ru"]},
        ),
        (_("Biography"), {"fields": ["bio_en", "bio_ru"]}),
        (_("Expertise"), {"fields": ["topics", "countries", "languages", "help_kinds"]}),
        (
            _("Contact details (secretariat only)"),
            {"fields": ["contact_email", "contact_phone", "contact_notes"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def has_export_permission(self, request):
        return request.user.has_perm(EXPORT_PERMISSION)


class ExpertRequestNoteInline(admin.TabularInline):
    model = ExpertRequestNote
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "expert", "internal", "author", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _move(modeladmin, request, queryset, to_status):
    moved, skipped = 0, 0
    for expert_request in queryset.order_by("pk"):
        try:
            services.expert_request_transition(
                request=expert_request, to_status=to_status, by=request.user
            )
        except services.ExpertRequestError:
            skipped += 1
        else:
            moved += 1
    if moved:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d request moved; its requester has been mailed.",
                "%(count)d requests moved; their requesters have been mailed.",
                moved,
            )
            % {"count": moved},
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d request left as it was: its state does not allow this change.",
                "%(count)d requests left as they were: their state does not allow this change.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


@admin.action(description=_("Move selected requests to “in review”"), permissions=["handle"])
def move_in_review(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, ExpertRequestStatus.IN_REVIEW)


@admin.action(description=_("Decline selected requests"), permissions=["handle"])
def move_declined(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, ExpertRequestStatus.DECLINED)


@admin.action(description=_("Mark selected requests as done"), permissions=["handle"])
def move_done(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, ExpertRequestStatus.DONE)


@admin.register(ExpertRequest)
class ExpertRequestAdmin(MemberEmailSearchMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "requester",
        "topic",
        "help_kind",
        "language",
        "starts_on",
        "ends_on",
        "status",
        "matched_expert",
        "created_at",
    ]
    list_filter = ["status", "help_kind", "topic"]
    search_fields = ["requester__email", "requester__last_name", "purpose"]
    list_select_related = ["requester", "topic", "matched_expert"]
    # The state moves only through the service, so each change is recorded and mailed; matching
    # with an expert happens on the request's page, where the ranking is.
    readonly_fields = [
        "requester",
        "topic",
        "countries",
        "language",
        "help_kind",
        "starts_on",
        "ends_on",
        "purpose",
        "status",
        "matched_expert",
        "created_at",
        "updated_at",
    ]
    actions = [move_in_review, move_declined, move_done]
    inlines = [ExpertRequestNoteInline]

    def has_add_permission(self, request):
        return False

    def has_handle_permission(self, request):
        return request.user.has_perm("members.handle_expert_requests")
