"""The donor report: the figures of a period, the events held with attendance by country, and the
magazine issues and documents published; one HTML page and one Excel workbook."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from library.models import Document, Issue
from mirpal.countries import Country
from mirpal.spreadsheets import xlsx_bytes
from panel.selectors import figures as figure_selectors
from panel.selectors.figures import LIBRARY_DOWNLOADS, Figure
from panel.selectors.periods import Period
from panel.selectors.report import (
    HeldEvent,
    documents_published,
    events_held,
    issues_published,
)

REPORT_FIGURES = [
    "members-country",
    "members-organisation-type",
    "events-country",
    "events-organisation-type",
    "invitations-country",
    "searches-month",
    LIBRARY_DOWNLOADS,
]


@dataclass(frozen=True)
class DonorReport:
    period: Period
    figures: list[Figure]
    events: list[HeldEvent]
    issues: list[Issue]
    documents: list[Document]

    @property
    def countries(self) -> list[tuple[str, str]]:
        return [(code, str(label)) for code, label in Country.choices]

    @property
    def attended_by_country(self) -> tuple[int, ...]:
        return tuple(
            sum(held.by_country[i] for held in self.events) for i in range(len(Country.values))
        )


def donor_report(*, period: Period) -> DonorReport:
    """Everything the report shows, in a constant number of grouped queries."""
    return DonorReport(
        period=period,
        figures=[figure_selectors.figure(slug=slug, period=period) for slug in REPORT_FIGURES],
        events=events_held(period=period),
        issues=issues_published(period=period),
        documents=documents_published(period=period),
    )


def donor_report_xlsx(report: DonorReport) -> bytes:
    """The report as a workbook: a sheet per figure, the events, the publications."""
    sheets = []
    for number, figure in enumerate(report.figures, start=1):
        header = [figure.dimension, *(label for _key, label in figure.series)]
        rows = [[row.label, *row.values] for row in figure.rows]
        rows.append([_("Total"), *figure.totals])
        # Sheet names are cut at 31 characters; the number keeps them apart.
        sheets.append((f"{number}. {figure.title}", header, rows))
    countries = [label for _code, label in report.countries]
    sheets.append(
        (
            _("Events held"),
            [_("Event"), _("Starts (UTC)"), _("Registered"), _("Attended"), *countries],
            [
                [
                    held.event.title,
                    held.event.starts_at,
                    held.registered,
                    held.attended,
                    *held.by_country,
                ]
                for held in report.events
            ],
        )
    )
    sheets.append(
        (
            _("Publications"),
            [_("Kind"), _("Title"), _("Date"), _("Downloads")],
            [
                *[
                    [
                        _("Magazine issue"),
                        f"Migration 21 № {issue.number} {issue.title}".strip(),
                        issue.published_on,
                        issue.download_count,
                    ]
                    for issue in report.issues
                ],
                *[
                    [
                        document.get_kind_display(),
                        document.title,
                        document.published_on,
                        document.download_count,
                    ]
                    for document in report.documents
                ],
            ],
        )
    )
    return xlsx_bytes(sheets)
