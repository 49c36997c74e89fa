"""The security pages: each person's own sign-ins, and the secretariat's log in the admin."""

from tests.url_roles import ANON, APPLICANT, EDITOR, MANAGER, MEMBER, SECRETARIAT, Case, signed_in


def cases(world):
    return [
        Case("members:security", signed_in(200) | {EDITOR: 200, MANAGER: 200}),
        Case("members:security", signed_in(405) | {ANON: 302}, method="post"),
        Case(
            "admin:mirpal_securityevent_changelist",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200, EDITOR: 403, MANAGER: 200},
        ),
        Case(
            "admin:mirpal_securityevent_changelist",
            {SECRETARIAT: 200, MANAGER: 200},
            query="?q=example.org&kind__exact=sign_in_failed",
        ),
    ]
