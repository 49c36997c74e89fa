"""Privilege separation in the secretariat's admin: only a superuser grants superuser or staff
status, groups or permissions, and only a superuser changes a staff account (its email, its
password). Driven through the admin's own forms, as a browser posts them."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from members import services
from members.models import User
from mirpal.models import AuditAction, AuditEntry
from mirpal.roles import EDITOR_GROUP, MANAGER_GROUP, ROLES, SECRETARIAT_GROUP
from tests.factories.members import (
    PASSWORD,
    EditorFactory,
    ManagerFactory,
    ProfileFactory,
    SecretariatFactory,
    SuperuserFactory,
)

NEW_PASSWORD = "a-new-long-passphrase-42"


class _FormReader(HTMLParser):
    """What a browser would post from the page's main form: every named input, select and
    textarea, with checkboxes only when ticked."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.data.pop()
            self.data.append((name, value + data))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_of(response, form_id: str) -> dict:
    assert response.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data: dict = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(user) -> str:
    return reverse("admin:members_user_change", args=[user.pk])


def password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def refusals(target):
    return AuditEntry.objects.filter(
        action=AuditAction.REFUSE, object_type="members.User", object_id=str(target.pk)
    )


@pytest.fixture
def secretariat_group(db):
    return Group.objects.get(name=SECRETARIAT_GROUP)


# --- A manager promoting themselves.


def test_a_manager_sees_their_own_account_read_only(db):
    manager = ManagerFactory()
    response = signed_in(manager).get(change_url(manager))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="email"' not in page
    assert 'name="_save"' not in page
    assert password_url(manager) not in page
    assert "../password/" not in page


def test_a_manager_posting_superuser_status_for_themselves_is_refused_and_audited(
    db, secretariat_group
):
    manager = ManagerFactory()
    client = signed_in(manager)
    # The form a superuser would see for this account, with the boxes ticked.
    data = form_of(signed_in(SuperuserFactory()).get(change_url(manager)), "user_form")
    data.update(is_superuser=["on"], is_staff=["on"], groups=[str(secretariat_group.pk)])

    response = client.post(change_url(manager), data)

    assert response.status_code == 403
    manager.refresh_from_db()
    assert not manager.is_superuser
    assert list(manager.groups.values_list("name", flat=True)) == [MANAGER_GROUP]
    entry = refusals(manager).get()
    assert entry.actor == manager
    assert entry.actor_email == manager.email
    assert {"is_superuser", "is_staff", "groups", "email"} <= set(entry.after["refused"])
    assert entry.after["path"] == change_url(manager)


def test_the_full_secretariat_role_cannot_promote_itself_either(db):
    secretariat = SecretariatFactory()
    response = signed_in(secretariat).post(
        change_url(secretariat),
        {"email": secretariat.email, "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 403
    secretariat.refresh_from_db()
    assert not secretariat.is_superuser


# --- A manager managing a member: allowed, except the privileges.


def test_a_manager_changes_a_members_name_through_the_form(db):
    member = ProfileFactory(status="approved").user
    client = signed_in(ManagerFactory())
    data = form_of(client.get(change_url(member)), "user_form")
    assert not {"is_staff", "is_superuser", "groups"} & set(data)
    data["first_name"] = ["Айгерим"]

    response = client.post(change_url(member), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.first_name == "Айгерим"
    assert not member.is_staff
    assert not refusals(member).exists()


def test_a_managers_tampered_post_granting_privileges_to_a_member_is_refused(db, secretariat_group):
    member = ProfileFactory(status="approved").user
    manager = ManagerFactory()
    client = signed_in(manager)
    data = form_of(client.get(change_url(member)), "user_form")
    data.update(is_staff=["on"], is_superuser=["on"], groups=[str(secretariat_group.pk)])

    response = client.post(change_url(member), data)

    assert response.status_code == 403
    member.refresh_from_db()
    assert (member.is_staff, member.is_superuser, member.groups.exists()) == (False, False, False)
    entry = refusals(member).get()
    assert entry.actor == manager
    assert entry.after["refused"] == ["groups", "is_staff", "is_superuser"]


def test_for_a_manager_the_privileges_are_not_in_the_admins_form_at_all(db, rf):
    """Behind the 403: a read-only field is not a form field, so a value posted for it is never
    read, even by a path that would skip the check before the form."""
    member = ProfileFactory(status="approved").user
    request = rf.get("/")
    request.user = ManagerFactory()
    user_admin = django_admin.site.get_model_admin(User)
    form = user_admin.get_form(request, member)(
        {
            "email": member.email,
            "first_name": "Renamed",
            "last_name": member.last_name,
            "is_active": "on",
            "date_joined_0": "2026-01-15",
            "date_joined_1": "10:00:00",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [str(Group.objects.get(name=SECRETARIAT_GROUP).pk)],
        },
        instance=member,
    )
    assert not set(services.USER_PRIVILEGE_FIELDS) & set(form.fields)
    assert form.is_valid(), form.errors
    form.save()
    member.refresh_from_db()
    assert member.first_name == "Renamed"
    assert (member.is_staff, member.is_superuser, member.groups.exists()) == (False, False, False)


def test_a_manager_sets_a_members_password(db):
    member = ProfileFactory(status="approved").user
    client = signed_in(ManagerFactory())
    assert client.get(password_url(member)).status_code == 200
    response = client.post(
        password_url(member),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


# --- A manager and the accounts of colleagues.


@pytest.mark.parametrize(
    "target_factory", [SuperuserFactory, SecretariatFactory, EditorFactory, ManagerFactory]
)
def test_a_manager_cannot_set_the_password_of_a_staff_account(db, target_factory):
    target = target_factory()
    manager = ManagerFactory()
    client = signed_in(manager)
    assert client.get(password_url(target)).status_code == 403

    response = client.post(
        password_url(target),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    entry = refusals(target).get()
    assert entry.actor == manager
    assert entry.after["refused"] == ["password"]
    assert NEW_PASSWORD not in str(entry.before) + str(entry.after)


def test_a_manager_cannot_set_their_own_password_in_the_admin(db):
    manager = ManagerFactory()
    response = signed_in(manager).post(
        password_url(manager),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_a_manager_cannot_change_a_colleagues_email(db):
    editor = EditorFactory()
    client = signed_in(ManagerFactory())
    response = client.get(change_url(editor))
    assert response.status_code == 200
    assert 'name="email"' not in response.content.decode()

    response = client.post(
        change_url(editor),
        {"email": "taken-over@example.org", "first_name": "X", "is_active": "on"},
    )

    assert response.status_code == 403
    editor.refresh_from_db()
    assert editor.email != "taken-over@example.org"


def test_a_member_in_a_staff_group_without_is_staff_counts_as_staff(db, secretariat_group):
    colleague = ProfileFactory(status="approved").user
    colleague.groups.add(secretariat_group)
    response = signed_in(ManagerFactory()).post(
        change_url(colleague), {"email": "new@example.org", "is_active": "on"}
    )
    assert response.status_code == 403


def test_a_manager_cannot_add_an_account(db):
    client = signed_in(ManagerFactory())
    assert client.get(reverse("admin:members_user_add")).status_code == 403
    response = client.post(
        reverse("admin:members_user_add"),
        {
            "email": "new-staff@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new-staff@example.org").exists()


def test_a_role_given_delete_rights_still_cannot_delete_a_staff_account(db):
    manager = ManagerFactory()
    manager.user_permissions.add(Permission.objects.get(codename="delete_user"))
    superuser = SuperuserFactory()
    member = ProfileFactory(status="approved").user
    client = signed_in(manager)
    response = client.post(
        reverse("admin:members_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk, member.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert type(superuser).objects.filter(pk__in=[superuser.pk, member.pk]).count() == 2
    assert client.post(reverse("admin:members_user_delete", args=[superuser.pk])).status_code == 403


# --- Groups: only a superuser changes them.


def test_no_role_holds_a_permission_on_groups_permissions_or_adding_accounts():
    for permissions in ROLES.values():
        assert not [name for name in permissions if name.startswith("auth.")]
        assert "members.add_user" not in permissions
        assert "members.delete_user" not in permissions


def test_a_manager_cannot_open_or_change_a_group(db, secretariat_group):
    manager = ManagerFactory()
    client = signed_in(manager)
    change = reverse("admin:auth_group_change", args=[secretariat_group.pk])
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.post(change, {"name": "Secretariat", "permissions": []}).status_code == 403


def test_even_with_the_permission_a_non_superuser_cannot_change_a_group(db):
    manager = ManagerFactory()
    manager.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="_group")
    )
    manager_group = Group.objects.get(name=MANAGER_GROUP)
    everything = list(Permission.objects.values_list("pk", flat=True))
    client = signed_in(manager)
    change = reverse("admin:auth_group_change", args=[manager_group.pk])
    assert client.get(change).status_code == 200  # may look, cannot change
    response = client.post(change, {"name": MANAGER_GROUP, "permissions": everything})
    assert response.status_code == 403
    assert manager_group.permissions.count() == len(ROLES[MANAGER_GROUP])
    assert client.post(reverse("admin:auth_group_add"), {"name": "Owners"}).status_code == 403


# --- A superuser may do all of it, and the audit log says what changed.


def test_a_superuser_makes_a_member_an_editor_and_the_audit_log_shows_before_and_after(db):
    member = ProfileFactory(status="approved").user
    superuser = SuperuserFactory()
    client = signed_in(superuser)
    data = form_of(client.get(change_url(member)), "user_form")
    editor_group = Group.objects.get(name=EDITOR_GROUP)
    data.update(is_staff=["on"], groups=[str(editor_group.pk)])

    response = client.post(change_url(member), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff
    assert list(member.groups.values_list("name", flat=True)) == [EDITOR_GROUP]
    entry = AuditEntry.objects.get(
        action=AuditAction.CHANGE, object_type="members.User", object_id=str(member.pk)
    )
    assert entry.actor == superuser
    assert (entry.before["is_staff"], entry.after["is_staff"]) == (False, True)
    assert (entry.before["groups"], entry.after["groups"]) == ([], [EDITOR_GROUP])
    assert "password" not in entry.after


def test_a_superuser_sets_a_managers_password_and_changes_their_email(db):
    manager = ManagerFactory()
    client = signed_in(SuperuserFactory())
    response = client.post(
        password_url(manager),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    data = form_of(client.get(change_url(manager)), "user_form")
    data["email"] = ["manager-new@example.org"]
    assert client.post(change_url(manager), data).status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert manager.email == "manager-new@example.org"


def test_a_superuser_removes_a_managers_role(db):
    manager = ManagerFactory()
    client = signed_in(SuperuserFactory())
    data = form_of(client.get(change_url(manager)), "user_form")
    data.pop("groups", None)
    data.pop("is_staff", None)
    assert client.post(change_url(manager), data).status_code == 302
    manager.refresh_from_db()
    assert not manager.is_staff
    assert not manager.groups.exists()


def test_a_superuser_changes_a_group_and_the_audit_log_lists_its_permissions(db):
    group = Group.objects.create(name="Auditors")
    permission = Permission.objects.get(codename="view_auditentry")
    client = signed_in(SuperuserFactory())
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Auditors", "permissions": [permission.pk]},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="auth.Group", object_id=str(group.pk))
    assert (entry.before["permissions"], entry.after["permissions"]) == (
        [],
        ["mirpal.view_auditentry"],
    )


# --- The rule itself.


def test_the_rule_for_each_pair_of_actor_and_target(db):
    superuser, manager, editor = SuperuserFactory(), ManagerFactory(), EditorFactory()
    member = ProfileFactory(status="approved").user
    allowed = services.staff_change_allowed
    assert allowed(actor=superuser, target=manager)
    assert allowed(actor=superuser, target=superuser)
    assert allowed(actor=manager, target=member)
    assert not allowed(actor=manager, target=manager)
    assert not allowed(actor=manager, target=editor)
    assert not allowed(actor=manager, target=superuser)
    refused = services.user_change_refused_fields
    assert refused(actor=manager, target=member, fields={"first_name", "email"}) == []
    assert refused(actor=manager, target=member, fields={"email", "is_staff"}) == ["is_staff"]
    assert refused(actor=manager, target=editor, fields={"first_name"}) == ["first_name"]
    assert refused(actor=superuser, target=editor, fields={"is_superuser"}) == []
    superuser.is_active = False
    assert not services.privileges_change_allowed(actor=superuser)


def test_a_manager_cannot_suspend_a_colleagues_membership_but_a_superuser_can(db):
    manager, colleague = ManagerFactory(), EditorFactory()
    member = ProfileFactory(status="approved").user
    selected = [colleague.profile.pk, member.profile.pk]
    response = signed_in(manager).post(
        reverse("admin:members_profile_changelist"),
        {"action": "suspend", "_selected_action": selected},
        follow=True,
    )
    assert response.status_code == 200
    colleague.profile.refresh_from_db()
    member.profile.refresh_from_db()
    assert colleague.profile.status == "approved"
    assert member.profile.status == "suspended"
    signed_in(SuperuserFactory()).post(
        reverse("admin:members_profile_changelist"),
        {"action": "suspend", "_selected_action": [colleague.profile.pk]},
    )
    colleague.profile.refresh_from_db()
    assert colleague.profile.status == "suspended"
