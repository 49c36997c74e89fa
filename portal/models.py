"""The network's partners and donors, shown on the home page."""

import uuid

from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mirpal.bilingual import Localized
from mirpal.choices import choice_display
from mirpal.countries import Country
from portal.enums import SupporterKind


def supporter_logo_upload_to(instance, filename: str) -> str:
    # The extension comes from the checked content (portal.forms); the name is never the upload's.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"partners/{uuid.uuid4().hex}.{extension}"


class Supporter(models.Model):
    """A partner organisation or a donor of the network."""

    name_en = models.CharField(_("name in English"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=SupporterKind.choices)
    url = models.URLField(_("web address"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=supporter_logo_upload_to, blank=True)
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    is_shown = models.BooleanField(_("shown on the home page"), default=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    get_kind_display = choice_display("kind", SupporterKind)

    class Meta:
        ordering = ["kind", "position", "name_en", "pk"]
        verbose_name = _("partner or donor")
        verbose_name_plural = _("partners and donors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SupporterKind.values), name="portal_supporter_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(name_en="") & ~models.Q(name_ru=""),
                name="portal_supporter_has_names",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    name = Localized("name")

    def get_logo_url(self) -> str:
        # The version in the address lets the browser keep the picture until it changes.
        return f"{reverse('supporter_logo', args=[self.pk])}?v={self.updated_at:%s}"


class CountryFigure(models.Model):
    """A key migration figure the secretariat keeps for a country page (remittances as a share of
    GDP, emigrants abroad...), with its source and year so a reader can check it."""

    country = models.CharField(
        _("country"),
        max_length=2,
        choices=[(code, label) for code, label in Country.choices if code != Country.OTHER],
    )
    label_en = models.CharField(_("figure in English"), max_length=200)
    label_ru = models.CharField(_("figure in Russian"), max_length=200)
    value = models.CharField(
        _("value"), max_length=60, help_text=_("As it should be shown: “4.6 bn USD”, “31.4%”.")
    )
    # Numbers are written differently in Russian (a decimal comma, "млн"); empty: as in English.
    value_ru = models.CharField(_("value in Russian"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    source_en = models.CharField(_("source in English"), max_length=300)
    source_ru = models.CharField(_("source in Russian"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    label = Localized("label")
    source = Localized("source")

    class Meta:
        ordering = ["country", "position", "id"]
        verbose_name = _("country figure")
        verbose_name_plural = _("country figures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__in=[c for c in Country.values if c != Country.OTHER]),
                name="portal_countryfigure_country_known",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990, year__lte=2100),
                name="portal_countryfigure_year_plausible",
            ),
            models.UniqueConstraint(
                fields=["country", "label_en", "year"], name="portal_countryfigure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_country_display()}: {self.label_en} ({self.year})"

    @property
    def value_shown(self) -> str:
        """The value as the active language writes it."""
        if translation.get_language() == "ru" and self.value_ru:
            return self.value_ru
        return self.value
