from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public home and about pages, the privacy notice and terms, and the partners and donors
    the home page shows: read the apps below, nothing imports them."""

    name = "portal"

    def ready(self) -> None:
        from mirpal.fragments import data_changed_on_write
        from portal.models import CountryFigure, Supporter

        data_changed_on_write("partners", Supporter)
        data_changed_on_write("figures", CountryFigure)
