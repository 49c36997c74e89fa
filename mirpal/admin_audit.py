"""Audit-log entries for saves and deletes made through the admin.

Django calls `log_addition`, `log_change` and `log_deletions` once per save or delete, inside the
admin's transaction and whatever the ModelAdmin's own save_model/delete_model do (most here call
a service), so the entries are written there. The state before a change is the instance as
`get_object` read it, before the form touched it; snapshots read nothing more from the database.
"""

from django.contrib import admin

from mirpal.audit import audit_json, audit_record, audit_snapshot
from mirpal.models import AuditAction, AuditEntry


class AuditedAdminMixin:
    # False where delete_model calls a service that records the deletion itself.
    audit_deletions = True

    def audit_state(self, obj) -> dict:
        """What an entry records of `obj`; a ModelAdmin adds what its columns miss (an m2m)."""
        return audit_snapshot(obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            before = getattr(request, "_audit_before", {})
            before[(obj._meta.label, str(obj.pk))] = self.audit_state(obj)
            request._audit_before = before
        return obj

    def save_form(self, request, form, change):
        # A row saved from the changelist (list_editable) was not read by get_object: its
        # previous values are the form's initial ones.
        if change and form.instance.pk is not None:
            before = getattr(request, "_audit_before", {})
            key = (form.instance._meta.label, str(form.instance.pk))
            before.setdefault(
                key, {name: audit_json(value) for name, value in form.initial.items()}
            )
            request._audit_before = before
        return super().save_form(request, form, change)

    def log_addition(self, request, obj, message):
        audit_record(
            actor=request.user, action=AuditAction.CREATE, obj=obj, after=self.audit_state(obj)
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        before = getattr(request, "_audit_before", {}).get((obj._meta.label, str(obj.pk)))
        audit_record(
            actor=request.user,
            action=AuditAction.CHANGE,
            obj=obj,
            before=before,
            after=self.audit_state(obj),
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        if self.audit_deletions:
            for obj in queryset:
                audit_record(
                    actor=request.user,
                    action=AuditAction.DELETE,
                    obj=obj,
                    before=self.audit_state(obj),
                )
        return super().log_deletions(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_email", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "object_repr", "action"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "actor",
        "actor_email",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
    ]
    readonly_fields = fields
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
