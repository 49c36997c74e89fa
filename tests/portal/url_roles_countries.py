"""The country pages for each role: the same pages for everyone (what each role sees on them is
tested in tests/portal/test_country_pages.py); the figures' admin for the content role."""

from tests.url_roles import ANON, APPLICANT, EDITOR, MANAGER, MEMBER, SECRETARIAT, Case, everyone

STAFF_ROLES = {EDITOR: 200, MANAGER: 200}


def cases(world):
    return [
        Case("countries", everyone(200) | STAFF_ROLES),
        Case("country", everyone(200) | STAFF_ROLES, kwargs={"code": "kg"}),
        Case("country", everyone(200), kwargs={"code": "uz"}),
        # "International / other" is not a country of the network; nor is an unknown code.
        Case("country", everyone(404), kwargs={"code": "xx"}),
        Case("country", everyone(404), kwargs={"code": "zz"}),
        Case("country", everyone(404), kwargs={"code": "kyrgyzstan"}),
        # Upper case is sent on to the page's address.
        Case("country", everyone(301), kwargs={"code": "KG"}),
        Case(
            "admin:portal_countryfigure_changelist",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200, EDITOR: 200, MANAGER: 403},
        ),
        Case(
            "admin:portal_countryfigure_add",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200, EDITOR: 200, MANAGER: 403},
        ),
    ]
