"""Privileges in the admin as POSTs: only a superuser grants superuser or staff status, groups or
permissions, and only a superuser changes a staff account's email or password. Each case has its
own target, so that what one role's run changes does not touch another case."""

from django.contrib.auth.models import Group, Permission

from mirpal.roles import MANAGER_GROUP, SECRETARIAT_GROUP
from tests.factories.members import (
    EditorFactory,
    ManagerFactory,
    ProfileFactory,
    SuperuserFactory,
)
from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    SUPERUSER,
    Case,
)

NEW_PASSWORD = "a-new-long-passphrase-42"
# The admin sends everyone else to its log-in page.
NOT_STAFF = {ANON: 302, APPLICANT: 302, MEMBER: 302}


def superuser_only() -> dict[str, int]:
    """Refused to every staff role, done (and sent back to the list or the account) by a
    superuser."""
    return NOT_STAFF | {SECRETARIAT: 403, EDITOR: 403, MANAGER: 403, SUPERUSER: 302}


def account_form(user, **changes) -> dict:
    """The change form as a superuser's browser posts it (a manager's has no privilege fields)."""
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "date_joined_0": "2026-01-15",
        "date_joined_1": "10:00:00",
        "last_login_0": "",
        "last_login_1": "",
        **changes,
    }


def promotion(user, secretariat_group) -> dict:
    return account_form(user, is_staff="on", is_superuser="on", groups=[str(secretariat_group.pk)])


def new_password() -> dict:
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}


def cases(world):
    secretariat_group = Group.objects.get(name=SECRETARIAT_GROUP)
    manager_group = Group.objects.get(name=MANAGER_GROUP)
    member = ProfileFactory(status="approved").user
    password_member = ProfileFactory(status="approved").user
    other_superuser = SuperuserFactory()
    colleague = EditorFactory()
    email_colleague = ManagerFactory()
    change, password = "admin:members_user_change", "admin:auth_user_password_change"
    return [
        # Each staff role promoting itself: refused; a superuser doing it to them: done.
        *(
            Case(
                change,
                superuser_only(),
                args=(world[role].pk,),
                method="post",
                data=promotion(world[role], secretariat_group),
            )
            for role in (MANAGER, SECRETARIAT, EDITOR)
        ),
        # Staff status and a staff group for a member, posted although the form has no such
        # fields for a manager.
        Case(
            change,
            superuser_only(),
            args=(member.pk,),
            method="post",
            data=promotion(member, secretariat_group),
        ),
        # A colleague's email: only a superuser changes it.
        Case(
            change,
            superuser_only(),
            args=(email_colleague.pk,),
            method="post",
            data=account_form(email_colleague, email="taken-over@example.org"),
        ),
        # Passwords: of a superuser and of another staff account, only a superuser; of a
        # member, whoever manages members.
        Case(
            password,
            superuser_only(),
            kwargs={"id": other_superuser.pk},
            method="post",
            data=new_password(),
        ),
        Case(
            password,
            superuser_only(),
            kwargs={"id": colleague.pk},
            method="post",
            data=new_password(),
        ),
        Case(
            password,
            NOT_STAFF | {SECRETARIAT: 302, EDITOR: 403, MANAGER: 302, SUPERUSER: 302},
            kwargs={"id": password_member.pk},
            method="post",
            data=new_password(),
        ),
        Case(password, superuser_only() | {SUPERUSER: 200}, kwargs={"id": colleague.pk}),
        # The add form, with staff status slipped in: only a superuser adds an account (and the
        # form makes no one staff).
        Case(
            "admin:members_user_add",
            superuser_only(),
            method="post",
            data={
                "email": "new-account@example.org",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "usable_password": "true",
                "is_staff": "on",
                "is_superuser": "on",
            },
        ),
        # Groups hold the roles' permissions: only a superuser changes one.
        Case(
            "admin:auth_group_change",
            superuser_only(),
            args=(manager_group.pk,),
            method="post",
            data={
                "name": MANAGER_GROUP,
                "permissions": [str(pk) for pk in Permission.objects.values_list("pk", flat=True)],
            },
        ),
        Case(
            "admin:auth_group_changelist",
            NOT_STAFF | {SECRETARIAT: 403, EDITOR: 403, MANAGER: 403, SUPERUSER: 200},
        ),
    ]
