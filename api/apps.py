from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The partner API (/api/): reads every app, nothing below imports it."""

    name = "api"
    verbose_name = _("Partner API")
