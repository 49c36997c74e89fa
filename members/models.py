import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.enums import ContactVisibility, MembershipStatus, OrganisationType
from members.roster_enums import ExpertRequestStatus, HelpKind
from mirpal.bilingual import localized
from mirpal.countries import Country
from mirpal.languages import SiteLanguage, SpokenLanguage


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """An account; people sign in with their email address, there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def profile_sort_name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip().lower()


class Profile(models.Model):
    """What a person tells the network about themselves, and where their membership stands."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices
    )
    position = models.CharField(_("position"), max_length=200)
    languages = ArrayField(
        models.CharField(max_length=5, choices=SpokenLanguage.choices),
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )
    mail_language = models.CharField(
        _("language for mail"),
        max_length=2,
        choices=SiteLanguage.choices,
        default=SiteLanguage.RUSSIAN,
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    interests = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("interests"), blank=True, related_name="interested_profiles"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email_visibility = models.CharField(
        _("who sees my email address"),
        max_length=12,
        choices=ContactVisibility.choices,
        default=ContactVisibility.SECRETARIAT,
    )
    phone_visibility = models.CharField(
        _("who sees my phone number"),
        max_length=12,
        choices=ContactVisibility.choices,
        default=ContactVisibility.SECRETARIAT,
    )
    listed_in_directory = models.BooleanField(_("list me in the members' directory"), default=True)
    motivation = models.TextField(_("why I want to join"), blank=True)
    status = models.CharField(
        _("membership"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    # "surname name" in lower case, copied from the user, so that the directory's alphabetical
    # page is an index scan instead of a sort of every member joined with their account.
    sort_name = models.CharField(max_length=320, default="", editable=False)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        permissions = [("decide_membership", _("Can approve, reject and suspend members"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__in=Country.values), name="profile_country_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MembershipStatus.values), name="profile_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_type__in=OrganisationType.values),
                name="profile_organisation_type_known",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "country"], name="profile_status_country_idx"),
            models.Index(
                fields=["sort_name", "id"],
                name="profile_directory_order_idx",
                condition=models.Q(status="approved", listed_in_directory=True),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs):
        self.sort_name = profile_sort_name(self.user)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED

    def languages_display(self) -> list[str]:
        labels = dict(SpokenLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    def shows_email_to_members(self) -> bool:
        return self.email_visibility == ContactVisibility.MEMBERS

    def shows_phone_to_members(self) -> bool:
        return self.phone_visibility == ContactVisibility.MEMBERS and bool(self.phone)


class MembershipDecision(models.Model):
    """One decision of the secretariat on a membership, kept for the record."""

    profile = models.ForeignKey(
        Profile, verbose_name=_("member"), on_delete=models.CASCADE, related_name="decisions"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=MembershipStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=MembershipStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="membership_decisions",
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    note = models.TextField(_("note to the applicant"), blank=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("membership decision")
        verbose_name_plural = _("membership decisions")

    def __str__(self) -> str:
        return f"{self.profile}: {self.from_status} → {self.to_status}"


# --- Expert roster
# Other apps add their side of an expert's contributions by pointing a relation here:
#   events:  Event.speakers -> related_name="events_spoken"
#   library: Document.author_experts -> "documents_written", Article.author_experts ->
#            "articles_written"
# members.roster_selectors.expert_contributions lists each on the expert's page.

EXPERT_PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_expert_photo(photo) -> None:
    """A photo must be a real JPEG, PNG or WebP image no larger than EXPERT_PHOTO_MAX_BYTES."""
    from PIL import Image

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

    name_en = models.CharField(_("name in English"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
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

    def get_absolute_url(self) -> str:
        return reverse("members:expert_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def affiliation(self) -> str:
        return localized(self, "affiliation")

    @property
    def bio(self) -> str:
        return localized(self, "bio")

    def languages_display(self) -> list[str]:
        labels = dict(SpokenLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages]

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
