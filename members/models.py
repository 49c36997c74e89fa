import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from members.enums import ContactVisibility, MembershipStatus, OrganisationType
from members.name_order import NameSortKeyField

# The roster's models live with the roster and belong to this app; importing them here registers
# them, and migrations name members.models.validate_expert_photo.
from members.roster.models import (  # noqa: F401
    Expert,
    ExpertLink,
    ExpertRequest,
    ExpertRequestNote,
    validate_expert_photo,
)
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
        # Among staff, the people-and-mail role sees members' email addresses; the content
        # role (events, library, roster) sees names only (mirpal.roles).
        permissions = [("view_member_email", _("Can see members' email addresses"))]

    def __str__(self) -> str:
        # Never the email address: this text shows wherever an account is named (the admin's
        # lists, labels and logs, library bylines), also to those who may not see addresses.
        return self.get_full_name() or _("account %(id)s") % {"id": self.pk}


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
    show_exchange_activity = models.BooleanField(
        _("show my questions and answers on my page"), default=True
    )
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
    # The directory's order for a reader of each language, Cyrillic and Latin names interleaved
    # (members.name_order); filled from the account's names, like sort_name.
    sort_key_ru = NameSortKeyField(language="ru")
    sort_key_en = NameSortKeyField(language="en")

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
                fields=["sort_key_ru", "id"],
                name="profile_directory_ru_idx",
                condition=models.Q(status="approved", listed_in_directory=True),
            ),
            models.Index(
                fields=["sort_key_en", "id"],
                name="profile_directory_en_idx",
                condition=models.Q(status="approved", listed_in_directory=True),
            ),
            # The secretariat's queue and the panel's home: a few pending among thousands of
            # members, oldest first, read without touching the others.
            models.Index(
                fields=["applied_at", "id"],
                name="profile_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs):
        self.sort_name = profile_sort_name(self.user)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name", "sort_key_ru", "sort_key_en"}
        super().save(*args, **kwargs)

    def names_for_sorting(self, language: str) -> tuple[str, str]:
        return self.user.last_name, self.user.first_name

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
