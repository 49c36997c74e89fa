"""Reads for members' pages, with the prefetching that keeps their query count constant."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from members.enums import MembershipStatus
from members.models import Profile
from mirpal.models import Topic

# What a card of the directory shows, and no more: the motivation, the phone and the account's
# password hash stay in the database.
DIRECTORY_CARD_FIELDS = (
    "id",
    "country",
    "city",
    "organisation",
    "organisation_type",
    "position",
    "email_visibility",
    "user__id",
    "user__first_name",
    "user__last_name",
    "user__email",
)


@dataclass(frozen=True)
class DirectoryFilters:
    country: str = ""
    organisation_type: str = ""
    interest: str = ""
    language: str = ""
    query: str = ""


def topics_shown() -> QuerySet[Topic]:
    """Topics as a list shows them: the name in either language, in the list's order."""
    return Topic.objects.only("id", "slug", "name_en", "name_ru").order_by("position", "slug")


def directory_filter_topics() -> list[Topic]:
    return list(topics_shown())


def directory_sort_key() -> str:
    """The profile column that orders names for a reader of the active language."""
    return "sort_key_ru" if translation.get_language() == "ru" else "sort_key_en"


def directory_profiles(*, filters: DirectoryFilters) -> QuerySet[Profile]:
    """Approved members who chose to be listed, filtered, ordered by family name as a reader of
    the page's language expects, Cyrillic and Latin names interleaved (members.name_order; an
    index scan of profile_directory_ru_idx or profile_directory_en_idx), with only the fields
    their cards show."""
    profiles = (
        Profile.objects.filter(status=MembershipStatus.APPROVED, listed_in_directory=True)
        .select_related("user")
        .only(*DIRECTORY_CARD_FIELDS)
        .prefetch_related(Prefetch("interests", queryset=topics_shown()))
        .order_by(directory_sort_key(), "pk")
    )
    if filters.country:
        profiles = profiles.filter(country=filters.country)
    if filters.organisation_type:
        profiles = profiles.filter(organisation_type=filters.organisation_type)
    if filters.interest:
        profiles = profiles.filter(interests__slug=filters.interest)
    if filters.language:
        profiles = profiles.filter(languages__contains=[filters.language])
    for word in filters.query.split()[:8]:
        profiles = profiles.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(organisation__icontains=word)
        )
    return profiles


def directory_profile(*, pk: int) -> Profile:
    return (
        Profile.objects.select_related("user")
        .prefetch_related("interests")
        .get(pk=pk, status=MembershipStatus.APPROVED, listed_in_directory=True)
    )


def email_confirmed() -> Coalesce:
    """Whether the profile's person has confirmed the address they sign in with; allauth lets
    nobody sign in before that, approved or not.

    A scalar subquery rather than EXISTS: PostgreSQL may answer an EXISTS by hashing every
    confirmed address of the platform (20,000 rows, 25-45 ms) even for the five rows of the
    panel's home; this one looks up each shown row's addresses by index. It joins the account
    itself, so a count of the rows needs no join with accounts."""
    verified = (
        EmailAddress.objects.filter(user_id=OuterRef("user_id"), email__iexact=F("user__email"))
        .order_by("-verified")
        .values("verified")[:1]
    )
    return Coalesce(Subquery(verified), Value(False))


def applications_pending() -> QuerySet[Profile]:
    """Applications waiting for a decision, oldest first: a scan of the partial index
    profile_pending_idx, which holds pending profiles only. Its count() reads no account."""
    return (
        Profile.objects.filter(status=MembershipStatus.PENDING)
        .select_related("user")
        .annotate(email_confirmed=email_confirmed())
        .order_by("applied_at", "pk")
    )


def profiles_email_unconfirmed(*, profile_ids) -> list[Profile]:
    return list(
        Profile.objects.filter(pk__in=list(profile_ids))
        .annotate(email_confirmed=email_confirmed())
        .filter(email_confirmed=False)
        .select_related("user")
        .order_by("sort_name", "pk")
    )


def profile_decisions(*, profile: Profile):
    return profile.decisions.select_related("decided_by").order_by("-decided_at")


@dataclass(frozen=True)
class SecondFactors:
    authenticator_app: bool
    security_keys: int  # security keys and passkeys (allauth.mfa's WebAuthn)


def second_factors_of(*, user) -> SecondFactors:
    """How the person can prove a second factor at sign-in; one query."""
    types = list(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
    return SecondFactors(
        authenticator_app=Authenticator.Type.TOTP in types,
        security_keys=types.count(Authenticator.Type.WEBAUTHN),
    )
