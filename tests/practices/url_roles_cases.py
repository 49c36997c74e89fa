"""Reading, comparing and asking about good-practice cases, for each role.

The list, the comparisons and a public case are for everyone; a members-only case sends
anonymous visitors to log in and applicants to their application; a case under review exists
only for its proposer and the secretariat; asking is for members, about a published case."""

from practices.enums import ReviewState, Visibility
from tests.factories.practices import CaseFactory
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, members_only


def cases(world):
    public = CaseFactory(slug="roles-public")
    private = CaseFactory(slug="roles-private", visibility=Visibility.MEMBERS)
    draft = CaseFactory(slug="roles-draft", review_state=ReviewState.SUBMITTED, published_at=None)
    under_review = {ANON: 404, APPLICANT: 404, MEMBER: 404, SECRETARIAT: 200}
    compare = {"case": [public.slug, private.slug]}
    return [
        Case("practices:list", everyone(200)),
        Case("practices:list", everyone(200), query="?q=agency&country=KG&status=in_force"),
        Case("practices:list", everyone(405), method="post"),
        Case("practices:case", everyone(200), kwargs={"slug": public.slug}),
        Case("practices:case", members_only(), kwargs={"slug": private.slug}),
        Case("practices:case", under_review, kwargs={"slug": draft.slug}),
        Case("practices:case", everyone(404), kwargs={"slug": "no-such-case"}),
        Case("practices:compare", everyone(200)),
        Case("practices:compare", everyone(200), query="?topic=no-such-topic"),
        Case("practices:compare_cases", everyone(200), data=compare),
        Case("practices:compare_cases", everyone(200)),
        Case("practices:ask", members_only(), kwargs={"slug": public.slug}),
        Case("practices:ask", members_only(), kwargs={"slug": private.slug}),
        # An empty question comes back with its errors; nothing is opened.
        Case("practices:ask", members_only(), kwargs={"slug": public.slug}, method="post"),
        Case(
            "practices:ask",
            {ANON: 302, APPLICANT: 302, MEMBER: 404, SECRETARIAT: 404},
            kwargs={"slug": draft.slug},
        ),
        Case(
            "practices:ask",
            {ANON: 302, APPLICANT: 302, MEMBER: 404, SECRETARIAT: 404},
            kwargs={"slug": "no-such-case"},
        ),
    ]
