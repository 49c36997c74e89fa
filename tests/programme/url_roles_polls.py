"""Scheduling polls' pages for each role: the invitee's page (invitees answer, the secretariat
reads, other members get 404), the ranking and the choice of a slot (the secretariat's right to
run polls, programme.answer_proposal: the secretariat and its editors, not its managers)."""

import datetime

from django.utils import timezone

from tests.factories.programme import PollFactory, SlotFactory
from tests.url_roles import ANON, APPLICANT, EDITOR, MANAGER, MEMBER, SECRETARIAT, Case, everyone


def cases(world):
    member = world[MEMBER]
    invited = PollFactory(title_en="Poll the member is invited to", invitees=[member])
    other = PollFactory(title_en="Poll for others")
    soon = timezone.now() + datetime.timedelta(days=30)
    for poll in (invited, other):
        SlotFactory(poll=poll, starts_at=soon)
    refused = {ANON: 302, APPLICANT: 302}
    runs_polls = {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 200, EDITOR: 200}
    return [
        Case(
            "programme:poll", {**refused, MEMBER: 200, SECRETARIAT: 200}, kwargs={"pk": invited.pk}
        ),
        Case("programme:poll", {**refused, MEMBER: 404, SECRETARIAT: 200}, kwargs={"pk": other.pk}),
        Case("programme:poll", {**refused, MEMBER: 404, SECRETARIAT: 404}, kwargs={"pk": 999_999}),
        # An invitee saves (nothing, here) and goes back to the page; the secretariat only reads.
        Case(
            "programme:poll",
            {**refused, MEMBER: 302, SECRETARIAT: 403},
            kwargs={"pk": invited.pk},
            method="post",
        ),
        Case(
            "programme:poll",
            {**refused, MEMBER: 404, SECRETARIAT: 403},
            kwargs={"pk": other.pk},
            method="post",
        ),
        Case("programme:poll_results", {**runs_polls, MANAGER: 403}, kwargs={"pk": other.pk}),
        Case(
            "programme:poll_results",
            {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 404},
            kwargs={"pk": 999_999},
        ),
        Case("programme:poll_choose", everyone(405), kwargs={"pk": other.pk}),
        # No slot chosen: the ranking comes back with the error; nothing is created.
        Case(
            "programme:poll_choose",
            {**runs_polls, MANAGER: 403},
            kwargs={"pk": other.pk},
            method="post",
        ),
    ]
