"""The network's partners and donors, shown on the home page."""

import uuid

from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mirpal.bilingual import Localized
from mirpal.choices import choice_display
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
