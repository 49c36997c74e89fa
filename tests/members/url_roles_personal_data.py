from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    Case,
    everyone,
    signed_in,
)

STAFF = (SECRETARIAT, EDITOR, MANAGER)


def cases(world):
    return [
        Case("members:data_export", {**signed_in(200), EDITOR: 200, MANAGER: 200}),
        # Staff see why their account cannot be closed here, and a POST is refused.
        Case("members:account_close", {**signed_in(200), EDITOR: 200, MANAGER: 200}),
        Case(
            "members:account_close",
            {ANON: 302, APPLICANT: 200, MEMBER: 200, **dict.fromkeys(STAFF, 403)},
            method="post",
            data={"password": "not-the-password", "confirm": "on"},
        ),
        Case("members:account_closed", {**everyone(200), EDITOR: 200, MANAGER: 200}),
    ]
