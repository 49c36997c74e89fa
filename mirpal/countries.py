"""The nine MIRPAL countries, shared by members, events and the library."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    ARMENIA = "AM", _("Armenia")
    BELARUS = "BY", _("Belarus")
    KAZAKHSTAN = "KZ", _("Kazakhstan")
    KYRGYZ_REPUBLIC = "KG", _("Kyrgyz Republic")
    MOLDOVA = "MD", _("Moldova")
    RUSSIA = "RU", _("Russia")
    TAJIKISTAN = "TJ", _("Tajikistan")
    UKRAINE = "UA", _("Ukraine")
    UZBEKISTAN = "UZ", _("Uzbekistan")
    OTHER = "XX", _("International / other")


# The capital's zone; a member in another zone of a large country changes it on the profile.
COUNTRY_DEFAULT_TIME_ZONE = {
    Country.ARMENIA: "Asia/Yerevan",
    Country.BELARUS: "Europe/Minsk",
    Country.KAZAKHSTAN: "Asia/Almaty",
    Country.KYRGYZ_REPUBLIC: "Asia/Bishkek",
    Country.MOLDOVA: "Europe/Chisinau",
    Country.RUSSIA: "Europe/Moscow",
    Country.TAJIKISTAN: "Asia/Dushanbe",
    Country.UKRAINE: "Europe/Kyiv",
    Country.UZBEKISTAN: "Asia/Tashkent",
    Country.OTHER: "UTC",
}


def default_time_zone_for(country: str) -> str:
    return COUNTRY_DEFAULT_TIME_ZONE.get(country, "UTC")
