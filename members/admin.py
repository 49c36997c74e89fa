from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import services
from members.enums import MembershipStatus
from members.models import MembershipDecision, Profile, User
from members.selectors import email_confirmed as email_confirmed_exists
from mirpal.admin_audit import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        profile = Profile.objects.filter(user=obj).first()
        if profile is not None and {"first_name", "last_name"} & set(form.changed_data):
            profile.save(update_fields=["sort_name"])  # the directory sorts by the new name


class MembershipDecisionInline(admin.TabularInline):
    model = MembershipDecision
    extra = 0
    can_delete = False
    fields = ["decided_at", "from_status", "to_status", "decided_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _decide(modeladmin, request, queryset, to_status):
    decided, skipped = services.memberships_decide_bulk(
        profile_ids=queryset.values_list("pk", flat=True), to_status=to_status, by=request.user
    )
    if decided:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d membership changed.", "%(count)d memberships changed.", len(decided)
            )
            % {"count": len(decided)},
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d membership left as it was: its state does not allow this decision.",
                "%(count)d memberships left as they were: their state does not allow this "
                "decision.",
                len(skipped),
            )
            % {"count": len(skipped)},
            messages.WARNING,
        )


@admin.action(description=_("Approve selected applications"), permissions=["decide"])
def approve(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, MembershipStatus.APPROVED)


@admin.action(description=_("Reject selected applications"), permissions=["decide"])
def reject(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, MembershipStatus.REJECTED)


@admin.action(description=_("Suspend selected members"), permissions=["decide"])
def suspend(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, MembershipStatus.SUSPENDED)


@admin.register(Profile)
class ProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "user",
        "country",
        "organisation",
        "organisation_type",
        "status",
        "email_confirmed",
        "applied_at",
    ]
    list_filter = ["status", "country", "organisation_type", "mail_language"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["interests"]
    # The status changes only through a decision, so that each one is recorded and mailed.
    readonly_fields = ["status", "status_changed_at", "applied_at"]
    actions = [approve, reject, suspend]
    inlines = [MembershipDecisionInline]

    def has_decide_permission(self, request):
        return request.user.has_perm("members.decide_membership")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(email_confirmed=email_confirmed_exists())

    @admin.display(description=_("Email confirmed"), boolean=True, ordering="email_confirmed")
    def email_confirmed(self, obj):
        return obj.email_confirmed


@admin.register(MembershipDecision)
class MembershipDecisionAdmin(admin.ModelAdmin):
    list_display = ["profile", "from_status", "to_status", "decided_by", "decided_at"]
    list_filter = ["to_status"]
    list_select_related = ["profile__user", "decided_by"]
    search_fields = ["profile__user__email", "note"]
    readonly_fields = ["profile", "from_status", "to_status", "decided_by", "decided_at", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


import members.roster.admin  # noqa: F401,E402
