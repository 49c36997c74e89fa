from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The partner API (/api/): reads every app, nothing below imports it."""

    name = "api"
    verbose_name = _("Partner API")

    def ready(self) -> None:
        from mirpal.apikeys import API_KEYS_SCOPE
        from mirpal.fragments import data_changed_on_write
        from mirpal.models import ApiKey, Partner

        # Cached partner-key lookups (api.authentication) end with any change to a key or partner.
        data_changed_on_write(API_KEYS_SCOPE, ApiKey, Partner)
