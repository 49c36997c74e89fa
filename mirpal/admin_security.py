"""The secretariat's read-only page of security events (mirpal.security_events).

Who sees which rows: superusers see every event; other staff (the managers and the Secretariat
role, who hold mirpal.view_securityevent) see members' events and failed sign-ins for unknown
addresses, but not the events of staff accounts. A manager manages members, not colleagues
(issue 13), and when and from where a superuser signs in is not theirs to watch.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mirpal.models import SecurityEvent
from mirpal.security_events import user_agent_describe


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "user", "ip", "device_label", "new_device"]
    list_filter = ["kind", "created_at", "new_device"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    show_full_result_count = False
    fields = [
        "created_at",
        "kind",
        "user",
        "ip",
        "user_agent",
        "device",
        "new_device",
        "api_key",
        "detail",
    ]
    readonly_fields = fields

    @admin.display(description=_("browser and system"))
    def device_label(self, event: SecurityEvent) -> str:
        return user_agent_describe(event.user_agent)

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if request.user.is_superuser:
            return events
        return events.filter(
            Q(user__isnull=True) | Q(user__is_staff=False, user__is_superuser=False)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
