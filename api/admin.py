"""The secretariat's pages for the partner API: partners, their keys, webhooks and deliveries."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.cors import ORIGIN, partner_origins_changed
from mirpal.admin_audit import AuditedAdminMixin
from mirpal.apikeys import api_key_create, api_key_revoke
from mirpal.enums import ApiScope, WebhookTopic
from mirpal.fields import HttpURLFormField
from mirpal.models import ApiKey, Partner, WebhookDelivery, WebhookEndpoint
from mirpal.outbound import OutboundError, outbound_url_check


class PartnerForm(forms.ModelForm):
    allowed_origins = forms.CharField(
        label=_("web origins allowed to call the API from a browser"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for example https://partner.example (scheme and host only)."),
    )

    class Meta:
        model = Partner
        fields = ["name", "contact_email", "allowed_origins", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)

    def clean_allowed_origins(self) -> list[str]:
        origins = []
        for line in self.cleaned_data["allowed_origins"].splitlines():
            origin = line.strip().rstrip("/")
            if not origin:
                continue
            # scheme://host[:port] only: the widget's frame-ancestors and CORS use it as it is.
            if not ORIGIN.match(origin.lower()):
                raise forms.ValidationError(
                    _("“%(origin)s” is not an origin like https://partner.example.")
                    % {"origin": origin}
                )
            origins.append(origin.lower())
        return origins


class WebhookForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("notices wanted"),
        choices=WebhookTopic.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "topics", "is_active"]
        field_classes = {"url": HttpURLFormField}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        # Checked when written, as through the API; each delivery checks again.
        if self.instance.pk is None or "url" in self.changed_data:
            try:
                outbound_url_check(url)
            except OutboundError as error:
                raise forms.ValidationError(error.message) from error
        return url


class WebhookInline(admin.TabularInline):
    model = WebhookEndpoint
    form = WebhookForm
    extra = 0


@admin.register(Partner)
class PartnerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "contact_email", "is_active", "created_at"]
    search_fields = ["name", "contact_email"]
    readonly_fields = ["webhook_secret"]
    inlines = [WebhookInline]

    def get_fields(self, request, obj=None):
        fields = ["name", "contact_email", "allowed_origins", "is_active"]
        return [*fields, "webhook_secret"] if obj else fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        partner_origins_changed()


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ["partner", "name", "scopes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields:
            self.fields["partner"].required = True


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Keys are created here and shown once, in the message after saving; then only revoked."""

    form = ApiKeyForm
    list_display = [
        "name",
        "prefix",
        "partner",
        "user",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["partner"]
    search_fields = ["name", "prefix", "partner__name", "user__email"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "partner",
            "user",
            "name",
            "scopes",
            "prefix",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        return (
            ["partner", "name", "scopes"] if obj is None else self.get_readonly_fields(request, obj)
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        key, raw = api_key_create(
            name=obj.name, scopes=form.cleaned_data["scopes"], partner=obj.partner, by=request.user
        )
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        messages.warning(
            request,
            _("Copy the key now and give it to the partner; it will not be shown again: %(key)s")
            % {"key": raw},
        )

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(key=key)
        messages.success(request, _("The selected keys are revoked."))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "topic",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "delivered_at",
    ]
    list_filter = ["status", "topic"]
    search_fields = ["endpoint__url", "endpoint__partner__name"]
    list_select_related = ["endpoint"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
