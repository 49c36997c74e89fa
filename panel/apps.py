from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelConfig(AppConfig):
    """The secretariat's pages (/secretariat/): read every app, nothing below imports them."""

    name = "panel"
    verbose_name = _("Secretariat panel")
