"""The year's programme page, its spreadsheet and the official answer, for each role: the
programme is for members until published, then for everyone; only those with
programme.answer_proposal (the secretariat and its editors, not its managers) answer."""

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

# Years far from the factories' sequence, so that other modules' calls never take them.
UNPUBLISHED, PUBLISHED, MISSING = 2091, 2090, 2099


def cases(world):
    unpublished = CallFactory(year=UNPUBLISHED)
    CallFactory(year=PUBLISHED, programme_published=True)
    proposal = ProposalFactory(call=unpublished, title="A proposal to answer")
    answers = {ANON: 302, APPLICANT: 403, MEMBER: 403, MANAGER: 403}
    return [
        # The newest programme each person may read: a published one at least, for everyone.
        Case("programme:current", everyone(302)),
        Case("programme:year", members_only(), kwargs={"year": UNPUBLISHED}),
        Case("programme:year", everyone(200), kwargs={"year": PUBLISHED}),
        Case("programme:year", everyone(404), kwargs={"year": MISSING}),
        Case("programme:year_xlsx", members_only(), kwargs={"year": UNPUBLISHED}),
        Case("programme:year_xlsx", everyone(200), kwargs={"year": PUBLISHED}),
        Case("programme:year_xlsx", everyone(404), kwargs={"year": MISSING}),
        Case("programme:answer", everyone(405), kwargs={"pk": proposal.pk}),
        # An empty answer comes back with its errors; nothing changes.
        Case(
            "programme:answer",
            {**answers, SECRETARIAT: 400, EDITOR: 400},
            kwargs={"pk": proposal.pk},
            method="post",
        ),
        Case(
            "programme:answer",
            {**answers, SECRETARIAT: 302, EDITOR: 302},
            kwargs={"pk": proposal.pk},
            method="post",
            data={"state": "evaluating", "note": "Looking at it."},
        ),
    ]
