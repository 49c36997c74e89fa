"""Reads for members' pages, with the prefetching that keeps their query count constant."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet

from members.enums import MembershipStatus
from members.models import Profile


@dataclass(frozen=True)
class DirectoryFilters:
    country: str = ""
    organisation_type: str = ""
    interest: str = ""
    language: str = ""
    query: str = ""


def directory_profiles(*, filters: DirectoryFilters) -> QuerySet[Profile]:
    """Approved members who chose to be listed, filtered, ordered by surname."""
    profiles = (
        Profile.objects.filter(status=MembershipStatus.APPROVED, listed_in_directory=True)
        .select_related("user")
        .prefetch_related("interests")
        .order_by("sort_name", "pk")
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


def email_confirmed() -> Exists:
    """Whether the profile's person has confirmed the address they sign in with; allauth lets
    nobody sign in before that, approved or not."""
    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef("user_id"), email__iexact=OuterRef("user__email"), verified=True
        )
    )


def applications_pending() -> QuerySet[Profile]:
    return (
        Profile.objects.filter(status=MembershipStatus.PENDING)
        .select_related("user")
        .prefetch_related("interests")
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
