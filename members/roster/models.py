"""The expert roster: experts, their public links, and members' requests for an expert."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from members.name_order import NameSortKeyField, family_and_given
from members.roster.enums import ExpertRequestStatus, HelpKind
from mirpal.bilingual import Localized
from mirpal.languages import SpokenLanguage

# Other apps add their side of an expert's contributions by pointing a relation here:
#   events:  Event.speakers -> related_name="events_spoken"
#   library: Document.author_experts -> "documents_written", Article.author_experts ->
#            "articles_written"
# members.roster.selectors.expert_contributions lists each on the expert's page.

EXPERT_PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_expert_photo(photo) -> None:
    """A photo must be a real JPEG, PNG or WebP image no larger than EXPERT_PHOTO_MAX_BYTES."""
    from PIL import Image  # loaded only when a photo is uploaded, not with every model import

    if getattr(photo, "_committed", False):
        return  # stored earlier, and checked when it was uploaded
    limit = settings.EXPERT_PHOTO_MAX_BYTES
    if photo.size > limit:
        raise ValidationError(
            _("The photo is %(size)s MB; the largest allowed is %(limit)s MB."),
            code="photo_too_large",
            params={"size": f"{photo.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
        )
    position = photo.tell() if hasattr(photo, "tell") else 0
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except Exception as error:  # Pillow raises many kinds for files that are not images
        raise ValidationError(
            _("The photo must be an image file (JPEG, PNG or WebP)."), code="photo_not_image"
        ) from error
    finally:
        photo.seek(position)
    if image_format not in EXPERT_PHOTO_FORMATS:
        raise ValidationError(
            _("The photo must be an image file (JPEG, PNG or WebP)."), code="photo_not_image"
        )


class Expert(models.Model):
    """A global or regional expert the network can call on; need not be a member."""

    # A person's name: "имя" in Russian, where a topic's or an organisation's is "название".
    name_en = models.CharField(pgettext_lazy("person", "name in English"), max_length=200)
    name_ru = models.CharField(pgettext_lazy("person", "name in Russian"), max_length=200)
    photo = models.ImageField(
        _("photo"), upload_to="experts/photos/", blank=True, validators=[validate_expert_photo]
    )
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    affiliation_en = models.CharField(_("affiliation in English"), max_length=200, blank=True)
    affiliation_ru = models.CharField(_("affiliation in Russian"), max_length=200, blank=True)
    bio_en = models.TextField(_("biography in English"), blank=True)
    bio_ru = models.TextField(_("biography in Russian"), blank=True)
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("fields of expertise"), blank=True, related_name="experts"
    )
    countries = CountryField(_("countries of experience"), multiple=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=5, choices=SpokenLanguage.choices),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    help_kinds = ArrayField(
        models.CharField(max_length=20, choices=HelpKind.choices),
        verbose_name=_("kinds of help offered"),
        default=list,
        blank=True,
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_notes = models.TextField(
        _("notes on contacting"),
        blank=True,
        help_text=_("Seen only by the secretariat, like the other contact details."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
    )
    is_listed = models.BooleanField(_("shown on the public roster"), default=True, db_index=True)
    # The roster's order for a reader of each language, by family name (members.name_order).
    sort_key_ru = NameSortKeyField(language="ru")
    sort_key_en = NameSortKeyField(language="en")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_en", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        permissions = [
            ("view_expert_contacts", _("Can see experts' contact details")),
            ("export_roster", _("Can export the expert roster as CSV")),
        ]
        # The roster's two alphabetical orders (members.roster.selectors._name_order); the
        # admin, the export and the API keep the order of the English name.
        indexes = [
            models.Index(fields=["name_en", "id"], name="expert_name_en_idx"),
            models.Index(fields=["sort_key_ru", "id"], name="expert_sort_ru_idx"),
            models.Index(fields=["sort_key_en", "id"], name="expert_sort_en_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="") & ~models.Q(name_ru=""), name="expert_has_names"
            ),
            models.CheckConstraint(
                condition=models.Q(languages__contained_by=SpokenLanguage.values),
                name="expert_languages_known",
            ),
            models.CheckConstraint(
                condition=models.Q(help_kinds__contained_by=HelpKind.values),
                name="expert_help_kinds_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name_en", "name_ru"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_key_ru", "sort_key_en"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:expert_detail", args=[self.pk])

    name = Localized("name")
    title = Localized("title")
    affiliation = Localized("affiliation")
    bio = Localized("bio")

    def languages_display(self) -> list[str]:
        labels = dict(SpokenLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    def names_for_sorting(self, language: str) -> tuple[str, str]:
        return family_and_given(self.name_ru if language == "ru" else self.name_en)

    def help_kinds_display(self) -> list[str]:
        labels = dict(HelpKind.choices)
        return [str(labels.get(code, code)) for code in self.help_kinds]


class ExpertLink(models.Model):
    """A public page about the expert: a publication list, a profile, a personal site."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="links"
    )
    label = models.CharField(_("label"), max_length=120)
    url = models.URLField(_("address"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("public link")
        verbose_name_plural = _("public links")

    def __str__(self) -> str:
        return self.label


class ExpertRequest(models.Model):
    """A member's request to the secretariat for an expert, worked through a queue."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="expert_requests",
    )
    topic = models.ForeignKey(
        "mirpal.Topic",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="expert_requests",
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=SpokenLanguage.choices)
    help_kind = models.CharField(_("kind of help"), max_length=20, choices=HelpKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExpertRequestStatus.choices,
        default=ExpertRequestStatus.NEW,
        db_index=True,
    )
    matched_expert = models.ForeignKey(
        Expert,
        verbose_name=_("matched expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matched_requests",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expert request")
        verbose_name_plural = _("expert requests")
        permissions = [("handle_expert_requests", _("Can work the expert request queue"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="expert_request_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExpertRequestStatus.values),
                name="expert_request_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(help_kind__in=HelpKind.values),
                name="expert_request_help_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=SpokenLanguage.values),
                name="expert_request_language_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["matched", "done"])
                | models.Q(matched_expert__isnull=False),
                name="expert_request_matched_has_expert",
            ),
        ]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="expert_request_requester_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("members:expert_request_detail", args=[self.pk])


class ExpertRequestNote(models.Model):
    """One step in a request's history: a change of state with its note, or an internal note."""

    request = models.ForeignKey(
        ExpertRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="notes"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=ExpertRequestStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=10, choices=ExpertRequestStatus.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(
        _("for the secretariat only"),
        default=False,
        help_text=_("Internal notes are neither mailed nor shown to the requester."),
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("expert request note")
        verbose_name_plural = _("expert request notes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(internal=True, to_status="") | models.Q(internal=False),
                name="expert_request_note_internal_is_note_only",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"
