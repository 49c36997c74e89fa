from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.admin import sensitive_post_parameters_m
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
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
    # Fields a browser may post to the change form; what a posted one may change is for
    # members.services to say (privileges: superusers only; a staff account: not at all).
    account_fields = frozenset(
        {"email", "first_name", "last_name", "is_active", "password", "last_login", "date_joined"}
        | services.USER_PRIVILEGE_FIELDS
    )

    def audit_state(self, obj) -> dict:
        state = super().audit_state(obj)
        state["groups"] = sorted(obj.groups.values_list("name", flat=True)) if obj.pk else []
        return state

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or services.staff_change_allowed(actor=request.user, target=obj):
            return fieldsets
        # A colleague's page, read only: without the password block, whose reset button would
        # lead to a refusal.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not services.privileges_change_allowed(actor=request.user):
            # Shown, not editable: a read-only field is left out of the form, so a posted value
            # for it is never read.
            readonly += [name for name in services.USER_PRIVILEGE_FIELDS if name not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        # False makes a staff account's page read only and its password page answer 403.
        return services.staff_change_allowed(actor=request.user, target=obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return services.staff_change_allowed(actor=request.user, target=obj)

    def _refusal(self, request, object_id, fields):
        """A 403 for a posted change the rules do not allow, with an audit entry; None when
        allowed. Answered, not raised: every admin page runs in a savepoint
        (mirpal.middleware.AdminInputErrorMiddleware) that an exception would roll back, entry
        included."""
        target = self.get_object(request, unquote(object_id))
        if target is None:
            return None
        refused = services.user_change_refused_fields(
            actor=request.user, target=target, fields=fields
        )
        if not refused and services.staff_change_allowed(actor=request.user, target=target):
            return None
        services.user_change_refusal_record(
            actor=request.user, target=target, fields=refused or fields, path=request.path
        )
        return response_for_exception(request, PermissionDenied())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            refusal = self._refusal(request, object_id, set(request.POST) & self.account_fields)
            if refusal is not None:
                return refusal
        return super().change_view(request, object_id, form_url, extra_context)

    @sensitive_post_parameters_m
    def user_change_password(self, request, id, form_url=""):
        if request.method == "POST":
            refusal = self._refusal(request, id, {"password"})
            if refusal is not None:
                return refusal
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        # The same rule once more where the row is written, for any path that reaches here.
        changed = set(form.changed_data)
        if change:
            stored = User.objects.get(pk=obj.pk)
            changed |= {
                name
                for name in ("email", "is_active", "is_staff", "is_superuser", "password")
                if getattr(stored, name) != getattr(obj, name)
            }
        else:
            stored = obj
        if services.user_change_refused_fields(actor=request.user, target=stored, fields=changed):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        profile = Profile.objects.filter(user=obj).first()
        if profile is not None and {"first_name", "last_name"} & set(form.changed_data):
            profile.save(update_fields=["sort_name"])  # the directory sorts by the new name

    def delete_queryset(self, request, queryset):
        if not services.privileges_change_allowed(actor=request.user) and any(
            services.user_is_staff_account(user) for user in queryset
        ):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, DjangoGroupAdmin):
    """A group carries a role's permissions, so only a superuser changes one, whatever
    permissions a role is given later; roles_sync keeps the three roles' lists."""

    def audit_state(self, obj) -> dict:
        state = super().audit_state(obj)
        state["permissions"] = (
            sorted(
                f"{app}.{codename}"
                for app, codename in obj.permissions.values_list(
                    "content_type__app_label", "codename"
                )
            )
            if obj.pk
            else []
        )
        return state

    def has_add_permission(self, request):
        return services.privileges_change_allowed(actor=request.user)

    def has_change_permission(self, request, obj=None):
        return services.privileges_change_allowed(actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return services.privileges_change_allowed(actor=request.user)


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
