from django.db.models import Count, Q

from members.enums import MembershipStatus
from members.models import Profile


def home_figures() -> dict[str, int]:
    """The network at a glance for the home page: approved members and the countries they are in."""
    return Profile.objects.aggregate(
        members=Count("id", filter=Q(status=MembershipStatus.APPROVED)),
        countries=Count("country", filter=Q(status=MembershipStatus.APPROVED), distinct=True),
    )
