"""The proposals' pages for each role: members only while the year's programme is unpublished,
everyone's to read once it is; proposing, supporting and commenting for approved members; the
merge for the secretariat (those who answer proposals)."""

import datetime

from django.utils import timezone

from tests.factories.programme import CallFactory, ProposalFactory
from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    Case,
    everyone,
    members_only,
)

# Members only, for a POST: anonymous visitors log in, applicants see their application, the
# others go back to the page they came from.
MEMBERS_POST_DONE = {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 302}


def cases(world):
    now = timezone.now()
    call = CallFactory()  # open, unpublished
    published = CallFactory(
        opens_at=now - datetime.timedelta(days=90),
        closes_at=now - datetime.timedelta(days=30),
        programme_published=True,
    )
    proposal = ProposalFactory(call=call, title="Members' proposal")
    target = ProposalFactory(call=call, title="Target")
    public = ProposalFactory(call=published, title="Published proposal")
    members_post_page = {ANON: 302, APPLICANT: 302, MEMBER: 400, SECRETARIAT: 400}
    return [
        # (Without ?year= the list shows the open call, or the latest one readable: which one
        # depends on the calls other modules make, so each case names its year.)
        Case("programme:proposals", everyone(200), query=f"?year={published.year}"),
        Case("programme:proposals", members_only(), query=f"?year={call.year}"),
        Case("programme:propose", members_only()),
        # An empty form comes back with its errors.
        Case("programme:propose", members_only(), method="post"),
        Case("programme:proposal", members_only(), kwargs={"pk": proposal.pk}),
        Case("programme:proposal", everyone(200), kwargs={"pk": public.pk}),
        Case("programme:proposal", everyone(404), kwargs={"pk": 999_999}),
        Case("programme:support", MEMBERS_POST_DONE, kwargs={"pk": proposal.pk}, method="post"),
        Case("programme:support", everyone(405), kwargs={"pk": proposal.pk}),
        Case("programme:withdraw", MEMBERS_POST_DONE, kwargs={"pk": proposal.pk}, method="post"),
        Case("programme:withdraw", everyone(405), kwargs={"pk": proposal.pk}),
        # An empty comment comes back on the page with its error.
        Case("programme:comment", members_post_page, kwargs={"pk": proposal.pk}, method="post"),
        # A member reads a published proposal but comments only in an open call: sent back.
        Case(
            "programme:comment",
            {ANON: 302, APPLICANT: 302, MEMBER: 302},
            kwargs={"pk": public.pk},
            method="post",
            data={"body": "Late"},
        ),
        Case("programme:comment", everyone(405), kwargs={"pk": proposal.pk}),
        # An empty merge form comes back with its error, to those who may merge.
        Case(
            "programme:merge",
            {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 400, EDITOR: 400, MANAGER: 403},
            kwargs={"pk": proposal.pk},
            method="post",
        ),
        Case(
            "programme:merge",
            {SECRETARIAT: 302},
            kwargs={"pk": proposal.pk},
            method="post",
            data={"target": target.pk},
        ),
        Case("programme:merge", everyone(405), kwargs={"pk": proposal.pk}),
    ]
