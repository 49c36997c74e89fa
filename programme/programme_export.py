"""A year's programme as an Excel workbook for the donor report: the activities, the coverage by
country and by topic, the proposals with their answers and supports. Texts in the language of
the request; every cell through mirpal.spreadsheets.spreadsheet_cell (no formulas run)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mirpal.countries import Country
from programme.programme_page import CoverageRow, YearProgramme

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _countries(codes) -> str:
    labels = dict(Country.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def _topics(item) -> str:
    return ", ".join(topic.name for topic in item.topics.all())


def _became(activity, label: str) -> str:
    return "; ".join(became.title for became in activity.became if became.label == label)


def _coverage(rows: list[CoverageRow], first: str, totals: list[int]):
    header = [first, _("Activities"), _("Proposals"), _("Accepted proposals")]
    body = [[row.label, row.activities, row.proposals, row.accepted] for row in rows]
    body.append([_("In all"), *totals])
    return header, body


def programme_sheets(programme: YearProgramme) -> list[tuple[str, list[str], list[list]]]:
    activities = [
        activity for _quarter, listed in programme.quarters for activity in listed
    ] + programme.cancelled
    activities.sort(key=lambda activity: (activity.quarter, activity.pk))
    totals = [programme.activity_total, programme.proposal_total, programme.accepted_total]
    return [
        (
            _("Activities"),
            [
                pgettext("programme", "Quarter"),
                _("Kind"),
                _("Title in English"),
                _("Title in Russian"),
                _("Status"),
                _("Countries"),
                _("Topics"),
                _("Proposals answered"),
                _("Supports of these proposals"),
                _("Event"),
                _("Document"),
                _("Good-practice case"),
            ],
            [
                [
                    f"Q{activity.quarter}",
                    activity.get_kind_display(),
                    activity.title_en,
                    activity.title_ru,
                    activity.get_status_display(),
                    _countries(activity.countries),
                    _topics(activity),
                    "; ".join(proposal.title for proposal in activity.answered),
                    sum(proposal.support_count for proposal in activity.answered),
                    _became(activity, _("Event")),
                    _became(activity, _("Document")),
                    _became(activity, _("Good-practice case")),
                ]
                for activity in activities
            ],
        ),
        (_("Coverage by country"), *_coverage(programme.countries, _("Country"), totals)),
        (_("Coverage by topic"), *_coverage(programme.topics, _("Topic"), totals)),
        (
            _("Proposals"),
            [
                _("Title"),
                _("State"),
                _("Supports"),
                _("Comments"),
                _("Countries"),
                _("Topics"),
                _("Kind of activity wanted"),
                _("Planned activity"),
                _("Answered"),
            ],
            [
                [
                    proposal.title,
                    proposal.get_state_display(),
                    proposal.support_count,
                    proposal.comment_count,
                    _countries(proposal.countries),
                    _topics(proposal),
                    proposal.get_activity_kind_display(),
                    proposal.activity.title if proposal.activity_id else "",
                    proposal.answered_at,
                ]
                for proposal in programme.proposals
            ],
        ),
    ]
