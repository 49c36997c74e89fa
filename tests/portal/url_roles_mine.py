"""My MIRPAL in the role-by-URL matrix: every signed-in person has the page; only members ask
for a calendar address on it."""

from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, signed_in


def cases(world):
    return [
        Case("my_mirpal", signed_in(200)),
        Case(
            "my_mirpal",
            {ANON: 302, APPLICANT: 403, MEMBER: 302, SECRETARIAT: 302},
            method="post",
        ),
    ]
