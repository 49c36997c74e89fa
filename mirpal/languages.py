"""Languages people speak and languages the platform writes in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpokenLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    ARMENIAN = "hy", _("Armenian")
    BELARUSIAN = "be", _("Belarusian")
    KAZAKH = "kk", _("Kazakh")
    KYRGYZ = "ky", _("Kyrgyz")
    ROMANIAN = "ro", _("Romanian")
    TAJIK = "tg", _("Tajik")
    UKRAINIAN = "uk", _("Ukrainian")
    UZBEK = "uz", _("Uzbek")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    TURKISH = "tr", _("Turkish")
    CHINESE = "zh", _("Chinese")
    ARABIC = "ar", _("Arabic")


class SiteLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
