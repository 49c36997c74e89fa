from django.db.models import Count, Q

from members.enums import MembershipStatus
from members.models import Profile
from mirpal.countries import Country


def home_figures() -> dict[str, int]:
    """The network at a glance for the home page: approved members, and how many of the nine
    member countries they come from ("international / other" is not a country of the network)."""
    approved = Q(status=MembershipStatus.APPROVED)
    return Profile.objects.aggregate(
        members=Count("id", filter=approved),
        countries=Count("country", filter=approved & ~Q(country=Country.OTHER), distinct=True),
    )
