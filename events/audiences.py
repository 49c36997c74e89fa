"""Who gets a mail: the audiences the secretariat picks for invitations and for its messages.

The "experts" audience means experts of the roster whose linked account is an approved member:
an expert without an account could not answer through the links (registering needs membership),
so the secretariat writes to them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.errors import EventError
from members.enums import MembershipStatus, OrganisationType
from members.models import User
from mirpal.countries import Country
from mirpal.enums import MailKind
from mirpal.models import Topic
from mirpal.preferences import users_wanting


class AudienceKind(models.TextChoices):
    ALL = "all", gettext_lazy("All approved members")
    COUNTRY = "country", gettext_lazy("Members from one country")
    ORGANISATION_TYPE = "organisation_type", gettext_lazy("Members of one type of organisation")
    TOPIC = "topic", gettext_lazy("Members interested in one topic")
    EXPERTS = "experts", gettext_lazy("Experts of the roster who are members")
    USERS = "users", gettext_lazy("Members picked by hand")


@dataclass(frozen=True)
class Audience:
    kind: str
    country: str = ""
    organisation_type: str = ""
    topic_id: int | None = None
    user_ids: tuple[int, ...] = ()


def audience_user_ids(audience: Audience) -> set[int]:
    """Approved members in this audience whose preferences let invitations through."""
    return users_wanting(kind=MailKind.INVITATIONS, user_ids=audience_members(audience))


def audience_members(audience: Audience) -> set[int]:
    """Approved members in this audience, whatever their mail preferences."""
    return set(audience_queryset(audience).values_list("pk", flat=True))


def audience_queryset(audience: Audience) -> models.QuerySet[User]:
    """Approved members in this audience, as one query whatever its size."""
    users = User.objects.filter(is_active=True, profile__status=MembershipStatus.APPROVED)
    if audience.kind == AudienceKind.COUNTRY:
        users = users.filter(profile__country=audience.country)
    elif audience.kind == AudienceKind.ORGANISATION_TYPE:
        users = users.filter(profile__organisation_type=audience.organisation_type)
    elif audience.kind == AudienceKind.TOPIC:
        users = users.filter(profile__interests=audience.topic_id)
    elif audience.kind == AudienceKind.EXPERTS:
        users = users.filter(expert__isnull=False)
    elif audience.kind == AudienceKind.USERS:
        users = users.filter(pk__in=audience.user_ids)
    elif audience.kind != AudienceKind.ALL:
        raise EventError(_("Unknown audience."))
    return users


def audience_describe(audience: dict) -> str:
    """A stored audience (asdict of Audience) in words: "Members from one country: Kazakhstan"."""
    kind = audience.get("kind", "")
    label = str(AudienceKind(kind).label) if kind in AudienceKind.values else kind
    detail = ""
    if kind == AudienceKind.COUNTRY:
        detail = str(Country(audience["country"]).label)
    elif kind == AudienceKind.ORGANISATION_TYPE:
        detail = str(OrganisationType(audience["organisation_type"]).label)
    elif kind == AudienceKind.TOPIC:
        topic = Topic.objects.filter(pk=audience.get("topic_id")).first()
        detail = topic.name if topic else ""
    elif kind == AudienceKind.USERS:
        detail = str(len(audience.get("user_ids", [])))
    return f"{label}: {detail}" if detail else label
