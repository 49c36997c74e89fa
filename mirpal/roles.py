"""The secretariat's staff role: a group with model permissions, not superusers.

Each app lists here what its secretariat work needs; `roles_sync` (run after every migrate) keeps
the group's permissions equal to this list.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SECRETARIAT_GROUP = "Secretariat"

SECRETARIAT_PERMISSIONS = [
    "members.decide_membership",
    "members.view_user",
    "members.change_user",
    "members.view_profile",
    "members.change_profile",
    "members.view_membershipdecision",
    "mirpal.view_topic",
    "mirpal.add_topic",
    "mirpal.change_topic",
    "mirpal.view_outboxmessage",
]


def roles_sync() -> Group:
    """Create the secretariat group if needed and give it exactly the listed permissions."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    query = Q(pk__in=[])
    for name in SECRETARIAT_PERMISSIONS:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(query))
    return group
