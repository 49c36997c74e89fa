"""The countries: the nine MIRPAL countries, shared by members, events and the library.

One vocabulary: django-countries holds every country's code and name (the roster's countries of
experience use all of them); the nine MIRPAL countries are a subset of its codes, named by it, so
no list of names is written twice. Stored values are these ISO codes, and "XX" for the rest.
"""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def _country_name(code: str) -> str:
    return str(countries.name(code))


# Lazy, so that the name is looked up in the language of the page that shows it.
country_name = lazy(_country_name, str)


class Country(models.TextChoices):
    ARMENIA = "AM", country_name("AM")
    BELARUS = "BY", country_name("BY")
    KAZAKHSTAN = "KZ", country_name("KZ")
    # The network uses the official name; django-countries has "Kyrgyzstan".
    KYRGYZ_REPUBLIC = "KG", _("Kyrgyz Republic")
    MOLDOVA = "MD", country_name("MD")
    RUSSIA = "RU", country_name("RU")
    TAJIKISTAN = "TJ", country_name("TJ")
    UKRAINE = "UA", country_name("UA")
    UZBEKISTAN = "UZ", country_name("UZ")
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
