from django.contrib import admin

from mirpal.admin_audit import AuditedAdminMixin  # also registers the audit log's page
from mirpal.admin_security import SecurityEventAdmin  # noqa: F401  (registers its page)
from mirpal.models import OutboxMessage, Topic


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_ru", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_en", "name_ru"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject", "idempotency_key"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False
