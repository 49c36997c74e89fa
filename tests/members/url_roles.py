from tests.factories.members import ProfileFactory
from tests.url_roles import (
    ANON,
    APPLICANT,
    MEMBER,
    SECRETARIAT,
    Case,
    members_only,
    secretariat_only,
    signed_in,
)


def cases(world):
    listed = ProfileFactory(status="approved")
    return [
        Case("members:directory", members_only()),
        Case("members:directory", members_only(), query="?country=KZ&q=Org&page=2"),
        Case("members:detail", members_only(), kwargs={"pk": listed.pk}),
        Case("members:account", signed_in(200)),
        Case("members:profile_edit", signed_in(200)),
        Case("members:applications", secretariat_only()),
        Case(
            "members:applications_decide",
            {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 302},
            method="post",
            data={},
        ),
        Case(
            "members:applications_decide",
            {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 405},
        ),
    ]
