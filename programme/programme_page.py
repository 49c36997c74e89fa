"""A year's programme as its page and its spreadsheet show it: the activities by quarter, the
proposals each answers, what each became, and the coverage by country and by topic.

A fixed number of queries whatever the number of activities and proposals.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from events.enums import EventStatus
from members.permissions import is_member
from mirpal.models import Topic
from practices.visibility import case_readable
from programme.enums import ActivityStatus, ProposalState
from programme.models import NETWORK_COUNTRIES, Activity, Call, Proposal

SHOWN = (ActivityStatus.PLANNED, ActivityStatus.HELD)


@dataclass
class Became:
    label: str
    title: str
    url: str


@dataclass
class CoverageRow:
    label: str
    activities: int
    proposals: int
    accepted: int


@dataclass
class YearProgramme:
    call: Call
    quarters: list[tuple[int, list[Activity]]]
    cancelled: list[Activity]
    countries: list[CoverageRow]
    topics: list[CoverageRow]
    activity_total: int
    proposal_total: int
    accepted_total: int
    proposals: list[Proposal] = field(default_factory=list)


def programme_call_newest(*, calls) -> Call | None:
    return calls.order_by("-year").first()


def _became(activity: Activity, *, user, member: bool) -> list[Became]:
    """What the activity became, as far as this person may open it."""
    became = []
    event = activity.event
    if event is not None and event.status != EventStatus.DRAFT:
        became.append(Became(str(_("Event")), event.title, event.get_absolute_url()))
    document = activity.document
    if document is not None and (member or not document.members_only):
        became.append(Became(str(_("Document")), document.title, document.get_absolute_url()))
    case = activity.case
    if case is not None and case_readable(case=case, user=user):
        became.append(Became(str(_("Good-practice case")), case.title, case.get_absolute_url()))
    return became


def programme_of_year(*, call: Call, user, with_proposals: bool = False) -> YearProgramme:
    """The programme of `call`'s year for this person. `with_proposals` also lists the year's
    proposals (the spreadsheet's third sheet)."""
    member = is_member(user)
    answered = Proposal.objects.filter(call=call, state=ProposalState.ACCEPTED).order_by(
        "-support_count", "id"
    )
    activities = list(
        Activity.objects.filter(year=call.year)
        .select_related("event", "document", "case")
        .prefetch_related("topics", Prefetch("proposals", queryset=answered, to_attr="answered"))
        .order_by("quarter", "id")
    )
    shown = [activity for activity in activities if activity.status in SHOWN]
    labels = dict(NETWORK_COUNTRIES)
    for activity in activities:
        activity.became = _became(activity, user=user, member=member)
        activity.country_names = [str(labels.get(code, code)) for code in activity.countries]
    quarters = [(q, [a for a in shown if a.quarter == q]) for q in (1, 2, 3, 4)]

    every_proposal = list(
        Proposal.objects.filter(call=call)
        .select_related("activity")
        .prefetch_related("topics")
        .order_by("-support_count", "id")
    )
    # A merged proposal lives on in the one it went into: counted there, not twice.
    proposals = [p for p in every_proposal if p.state != ProposalState.MERGED]
    by_country = {"activities": Counter(), "proposals": Counter(), "accepted": Counter()}
    by_topic = {"activities": Counter(), "proposals": Counter(), "accepted": Counter()}
    for activity in shown:
        by_country["activities"].update(set(activity.countries))
        by_topic["activities"].update({topic.pk for topic in activity.topics.all()})
    for proposal in proposals:
        counts = ["proposals"]
        if proposal.state == ProposalState.ACCEPTED:
            counts.append("accepted")
        for name in counts:
            by_country[name].update(set(proposal.countries))
            by_topic[name].update({topic.pk for topic in proposal.topics.all()})

    countries = [
        CoverageRow(
            str(label),
            by_country["activities"][code],
            by_country["proposals"][code],
            by_country["accepted"][code],
        )
        for code, label in NETWORK_COUNTRIES
    ]
    topic_ids = set(by_topic["activities"]) | set(by_topic["proposals"])
    topics = [
        CoverageRow(
            topic.name,
            by_topic["activities"][topic.pk],
            by_topic["proposals"][topic.pk],
            by_topic["accepted"][topic.pk],
        )
        for topic in Topic.objects.filter(pk__in=topic_ids)
    ]
    return YearProgramme(
        call=call,
        quarters=quarters,
        cancelled=[a for a in activities if a.status == ActivityStatus.CANCELLED],
        countries=countries,
        topics=topics,
        activity_total=len(shown),
        proposal_total=len(proposals),
        accepted_total=sum(1 for p in proposals if p.state == ProposalState.ACCEPTED),
        proposals=every_proposal if with_proposals else [],
    )
