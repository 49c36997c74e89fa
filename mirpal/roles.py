"""The secretariat's staff roles: groups with model permissions, not superusers.

"Secretariat editor" runs the content (events, library, roster, topics); "Secretariat manager" runs
the people and the mail (members and their memberships, outbox and event mail, the partner API,
the audit log). "Secretariat" holds both, for a small team where everyone does everything.
Append the "app.codename" permissions new secretariat work needs to the role it belongs to;
`roles_sync` (run after every migrate) keeps each group's permissions equal to these lists.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SECRETARIAT_GROUP = "Secretariat"
EDITOR_GROUP = "Secretariat editor"
MANAGER_GROUP = "Secretariat manager"

EDITOR_PERMISSIONS = [
    "mirpal.view_topic",
    "mirpal.add_topic",
    "mirpal.change_topic",
    # Expert roster and requests for an expert.
    "members.view_expert",
    "members.add_expert",
    "members.change_expert",
    "members.delete_expert",
    "members.view_expert_contacts",
    "members.export_roster",
    "members.view_expertlink",
    "members.add_expertlink",
    "members.change_expertlink",
    "members.delete_expertlink",
    "members.view_expertrequest",
    "members.change_expertrequest",
    "members.handle_expert_requests",
    "members.view_expertrequestnote",
    # Library: the magazine, documents, and the log of searches.
    "library.view_issue",
    "library.add_issue",
    "library.change_issue",
    "library.delete_issue",
    "library.view_article",
    "library.add_article",
    "library.change_article",
    "library.delete_article",
    "library.view_document",
    "library.add_document",
    "library.change_document",
    "library.delete_document",
    "library.view_searchlog",
    # Events: create, publish, cancel; registrations; attendance and its figures.
    "events.view_event",
    "events.add_event",
    "events.change_event",
    "events.view_series",
    "events.add_series",
    "events.change_series",
    "events.view_session",
    "events.add_session",
    "events.change_session",
    "events.delete_session",
    "events.view_registration",
    "events.change_registration",
    "events.view_attendance",
    "events.add_attendance",
    "events.change_attendance",
    "events.delete_attendance",
    "events.manage_attendance",
    # The partners and donors the home page shows.
    "portal.view_supporter",
    "portal.add_supporter",
    "portal.change_supporter",
    "portal.delete_supporter",
    # The key migration figures of the country pages.
    "portal.view_countryfigure",
    "portal.add_countryfigure",
    "portal.change_countryfigure",
    "portal.delete_countryfigure",
    # Good-practice cases (reviewing members' proposals) and curated collections.
    "practices.review_case",
    "practices.view_case",
    "practices.add_case",
    "practices.change_case",
    "practices.view_collection",
    "practices.add_collection",
    "practices.change_collection",
    "practices.delete_collection",
    "practices.view_collectionitem",
    "practices.add_collectionitem",
    "practices.change_collectionitem",
    "practices.delete_collectionitem",
    # The work programme: calls, official answers to proposals, activities, scheduling polls.
    "programme.answer_proposal",
    "programme.view_call",
    "programme.add_call",
    "programme.change_call",
    "programme.view_proposal",
    "programme.change_proposal",
    "programme.view_comment",
    "programme.delete_comment",
    "programme.view_activity",
    "programme.add_activity",
    "programme.change_activity",
    "programme.view_poll",
    "programme.add_poll",
    "programme.change_poll",
    "programme.view_slot",
    "programme.add_slot",
    "programme.change_slot",
    "programme.delete_slot",
]

MANAGER_PERMISSIONS = [
    "members.decide_membership",
    "members.view_user",
    "members.change_user",
    # Members' email addresses: this role only, not the editors (issue 13). It changes the
    # accounts of members, never of staff, and no role may change groups or permissions
    # (members.services, privileges): only a superuser does.
    "members.view_member_email",
    "members.view_profile",
    "members.change_profile",
    "members.view_membershipdecision",
    "mirpal.view_outboxmessage",
    # Event mail: invitations (the audience chosen when publishing), the mail page, resending.
    "events.view_invitation",
    "events.send_event_mail",
    # Partner API: partners, their keys (created and revoked here), webhooks and their log.
    "mirpal.view_partner",
    "mirpal.add_partner",
    "mirpal.change_partner",
    "mirpal.view_apikey",
    "mirpal.add_apikey",
    "mirpal.change_apikey",
    "mirpal.view_webhookendpoint",
    "mirpal.add_webhookendpoint",
    "mirpal.change_webhookendpoint",
    "mirpal.delete_webhookendpoint",
    "mirpal.view_webhookdelivery",
    # The audit log, and messages to members.
    "mirpal.view_auditentry",
    # Security events: sign-ins, failures, lock-outs (staff accounts' rows only for superusers).
    "mirpal.view_securityevent",
    "mirpal.view_message",
    "mirpal.send_message",
    # Moderating the peer exchange: it acts on members (hiding what they wrote, suspending
    # them), so it sits with the memberships. Turning a thread into a library document also
    # takes library.add_document: the "Secretariat" group holds both.
    "exchange.moderate_exchange",
    "exchange.view_thread",
    "exchange.change_thread",
    "exchange.view_post",
    "exchange.change_post",
    "exchange.view_attachment",
    "exchange.view_flag",
    "exchange.change_flag",
    "exchange.view_edit",
]

SECRETARIAT_PERMISSIONS = [*EDITOR_PERMISSIONS, *MANAGER_PERMISSIONS]

ROLES = {
    SECRETARIAT_GROUP: SECRETARIAT_PERMISSIONS,
    EDITOR_GROUP: EDITOR_PERMISSIONS,
    MANAGER_GROUP: MANAGER_PERMISSIONS,
}


def _permissions(names: list[str]):
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def roles_sync() -> Group:
    """Create the three secretariat groups if needed and give each exactly its listed
    permissions; returns the "Secretariat" group."""
    groups = {}
    for name, permissions in ROLES.items():
        groups[name], _ = Group.objects.get_or_create(name=name)
        groups[name].permissions.set(_permissions(permissions))
    return groups[SECRETARIAT_GROUP]
