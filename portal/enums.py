"""Choices of the portal: stable English slugs stored, translatable labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupporterKind(models.TextChoices):
    PARTNER = "partner", _("Partner")
    DONOR = "donor", _("Donor")
