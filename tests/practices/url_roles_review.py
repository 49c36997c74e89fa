"""Proposing and reviewing good-practice cases, for each role: members propose and follow their
proposals; a proposer edits their case while it awaits review; reviewers (practices.review_case:
the secretariat and its editors, not the managers) edit any case and take the review steps in
the admin."""

from practices.enums import ReviewState
from tests.factories.practices import CaseFactory
from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    Case,
    members_only,
)

OUTSIDERS = {ANON: 302, APPLICANT: 302}
# The admin sends whoever is not staff to its login page; a manager holds no case permission.
ADMIN = {**OUTSIDERS, MEMBER: 302, SECRETARIAT: 200, EDITOR: 200, MANAGER: 403}


def cases(world):
    member = world[MEMBER]
    waiting = {"review_state": ReviewState.SUBMITTED, "published_at": None}
    own = CaseFactory(title_en="The member's own proposal", proposed_by=member, **waiting)
    own_changes = CaseFactory(
        title_en="The member's proposal sent back",
        proposed_by=member,
        review_state=ReviewState.CHANGES_REQUESTED,
        review_note="Add the figures.",
        published_at=None,
    )
    own_published = CaseFactory(title_en="The member's published case", proposed_by=member)
    others = CaseFactory(title_en="Someone else's proposal", **waiting)
    published = CaseFactory(title_en="A published case")
    edit = "practices:edit"
    return [
        # Staff accounts hold an approved membership too (tests/factories/members.py).
        Case("practices:propose", {**members_only(), EDITOR: 200, MANAGER: 200}),
        # An empty form comes back with its errors; nothing is created.
        Case("practices:propose", {**members_only(), EDITOR: 200}, method="post"),
        Case("practices:mine", {**members_only(), EDITOR: 200, MANAGER: 200}),
        Case(edit, {**OUTSIDERS, MEMBER: 200, SECRETARIAT: 200}, kwargs={"slug": own.slug}),
        Case(edit, {**OUTSIDERS, MEMBER: 200, SECRETARIAT: 200}, kwargs={"slug": own_changes.slug}),
        # Published: its proposer asks the secretariat; an unpublished case of someone else's is
        # not there for a member (nor for a manager, who does not review).
        Case(edit, {**OUTSIDERS, MEMBER: 403}, kwargs={"slug": own_published.slug}),
        Case(
            edit,
            {**OUTSIDERS, MEMBER: 404, SECRETARIAT: 200, EDITOR: 200, MANAGER: 404},
            kwargs={"slug": others.slug},
        ),
        Case(
            edit,
            {**OUTSIDERS, MEMBER: 403, SECRETARIAT: 200, EDITOR: 200, MANAGER: 403},
            kwargs={"slug": published.slug},
        ),
        Case(edit, {**OUTSIDERS, MEMBER: 404, SECRETARIAT: 404}, kwargs={"slug": "no-such-case"}),
        Case("admin:practices_case_changelist", ADMIN),
        Case("admin:practices_case_add", ADMIN),
        Case("admin:practices_case_change", ADMIN, args=(others.pk,)),
        Case("admin:practices_case_review", ADMIN, args=(others.pk, "changes")),
        Case(
            "admin:practices_case_review",
            {**ADMIN, SECRETARIAT: 404, EDITOR: 404},
            args=(others.pk, "approve"),
        ),
        # A review step on a published case sends the reviewer back to its page.
        Case(
            "admin:practices_case_review",
            {**ADMIN, SECRETARIAT: 302, EDITOR: 302},
            args=(published.pk, "published"),
        ),
    ]
