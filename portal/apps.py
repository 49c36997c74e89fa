from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public home and about pages: read the apps below, nothing imports them."""

    name = "portal"
