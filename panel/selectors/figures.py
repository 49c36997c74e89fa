"""The network's figures for the secretariat's panel: one table, one chart and one CSV each.

Every figure is a handful of grouped (aggregate) queries, whatever the number of members, events
or mails: one query per series and dimension, never one per row.

Definitions, shown on the figures page too:
- applied: profiles whose application date falls in the period;
- approved: profiles approved now whose approval (their last change of status) falls in the period;
- members: profiles approved now, whatever the period;
- active: members approved now who signed in, or registered for an event, in the twelve months
  before today (not before the end of the period: the site keeps only the last sign-in);
- registrations: "going" answers for events that start in the period, neither drafts nor
  cancelled; attendance: members marked or imported as present at those events;
- invitations sent: invitation mails of the outbox actually sent in the period; answered by click:
  invitations answered (going or not) through the links of the mail in the period;
- library downloads: downloads of documents and of the magazine's issues on the days of the
  period (library.DownloadDay, days of the site's time zone); downloads made before the library
  counted them by day are in the items' totals only; searches that found nothing: library
  searches of the period with no result.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Lower, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import InvitationAnswer, RegistrationStatus
from events.mail.kinds import KIND_INVITATION
from events.models import Attendance, Invitation, Registration
from library.models import DownloadDay, SearchLog
from members.enums import MembershipStatus, OrganisationType
from members.models import Profile
from mirpal.countries import Country
from mirpal.enums import OutboxStatus
from mirpal.models import OutboxMessage
from panel.selectors.events import events_of
from panel.selectors.periods import Period

ACTIVE_WINDOW_DAYS = 365
UNKNOWN = "—"


# --- Figures: one table, one chart and one CSV each


@dataclass(frozen=True)
class FigureRow:
    code: str
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    dimension: str
    series: tuple[tuple[str, str], ...]
    rows: list[FigureRow]
    chart: str = "bar"
    note: str = ""

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(row.values[i] for row in self.rows) for i in range(len(self.series)))

    def chart_data(self) -> dict:
        return {
            "type": self.chart,
            "title": str(self.title),
            "labels": [row.label for row in self.rows],
            "datasets": [
                {"label": str(label), "data": [row.values[i] for row in self.rows]}
                for i, (_key, label) in enumerate(self.series)
            ],
        }


@dataclass(frozen=True)
class Series:
    """One counted thing: a queryset, where its rows' profile is and which date places them."""

    key: str
    label: str
    queryset: Callable[[Period], QuerySet]
    profile: str  # path from the row to the member's profile ("" for a Profile itself)
    date: str | None  # the date that places a row in a month; None: not a time series
    total: object = field(default_factory=lambda: Count("pk"))


DIMENSIONS = {
    "country": pgettext_lazy("figure dimension", "Country"),
    "organisation_type": pgettext_lazy("figure dimension", "Type of organisation"),
    "month": pgettext_lazy("figure dimension", "Month"),
}


def _grouped(series: Series, period: Period, dimension: str) -> dict:
    queryset = series.queryset(period).order_by()
    if dimension == "month":
        rows = (
            queryset.annotate(group=TruncMonth(series.date))
            .values("group")
            .annotate(total=series.total)
            .values_list("group", "total")
        )
        # A DateTimeField truncates to a moment, a DateField (a download's day) to a date.
        return {
            moment.date() if isinstance(moment, datetime.datetime) else moment: total
            for moment, total in rows
        }
    path = f"{series.profile}__{dimension}" if series.profile else dimension
    return dict(queryset.values(path).annotate(total=series.total).values_list(path, "total"))


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _figure(
    *,
    slug: str,
    title: str,
    dimension: str,
    series: list[Series],
    period: Period,
    note: str = "",
) -> Figure:
    if dimension == "month":
        series = [one for one in series if one.date]
    counts = [_grouped(one, period, dimension) for one in series]
    if dimension == "month":
        keys = [(month, month.strftime("%Y-%m"), _month_label(month)) for month in period.months()]
    else:
        choices = Country.choices if dimension == "country" else OrganisationType.choices
        keys = [(code, code, str(label)) for code, label in choices]
    rows = [
        FigureRow(code=code, label=label, values=tuple(count.get(key, 0) for count in counts))
        for key, code, label in keys
    ]
    # Rows of people without a profile (accounts of staff, say) are counted, not lost.
    unknown = tuple(count.get(None, 0) for count in counts)
    if any(unknown):
        rows.append(FigureRow(code="", label=UNKNOWN, values=unknown))
    return Figure(
        slug=slug,
        title=title,
        dimension=str(DIMENSIONS[dimension]),
        series=tuple((one.key, str(one.label)) for one in series),
        rows=rows,
        chart="line" if dimension == "month" else "bar",
        note=note,
    )


def _member_series() -> list[Series]:
    def active_since() -> datetime.datetime:
        return timezone.now() - datetime.timedelta(days=ACTIVE_WINDOW_DAYS)

    def active(period: Period) -> QuerySet:
        since = active_since()
        registered = Registration.objects.filter(user=OuterRef("user"), created_at__gte=since)
        return Profile.objects.filter(status=MembershipStatus.APPROVED).filter(
            Q(user__last_login__gte=since) | Q(Exists(registered))
        )

    return [
        Series(
            "applied",
            _("Applied"),
            lambda period: Profile.objects.filter(period.moments("applied_at")),
            "",
            "applied_at",
        ),
        Series(
            "approved",
            _("Approved"),
            lambda period: Profile.objects.filter(
                period.moments("status_changed_at"), status=MembershipStatus.APPROVED
            ),
            "",
            "status_changed_at",
        ),
        Series(
            "members",
            _("Members now"),
            lambda period: Profile.objects.filter(status=MembershipStatus.APPROVED),
            "",
            None,
        ),
        Series("active", _("Active members"), active, "", None),
    ]


def _event_series() -> list[Series]:
    return [
        Series(
            "registered",
            _("Registered (going)"),
            lambda period: Registration.objects.filter(
                event__in=events_of(period), status=RegistrationStatus.CONFIRMED
            ),
            "user__profile",
            "event__starts_at",
        ),
        Series(
            "attended",
            _("Attended"),
            lambda period: Attendance.objects.filter(event__in=events_of(period)),
            "user__profile",
            "event__starts_at",
        ),
    ]


def _invitation_series() -> list[Series]:
    return [
        Series(
            "sent",
            _("Invitations sent"),
            lambda period: OutboxMessage.objects.filter(
                period.moments("sent_at"), kind=KIND_INVITATION, status=OutboxStatus.SENT
            ),
            "recipient__profile",
            "sent_at",
        ),
        Series(
            "answered",
            _("Answered by click"),
            lambda period: Invitation.objects.filter(period.moments("answered_at")).exclude(
                answer=""
            ),
            "user__profile",
            "answered_at",
        ),
        Series(
            "going",
            _("Of which going"),
            lambda period: Invitation.objects.filter(
                period.moments("answered_at"), answer=InvitationAnswer.GOING
            ),
            "user__profile",
            "answered_at",
        ),
    ]


def _search_series() -> list[Series]:
    return [
        Series(
            "searches",
            _("Searches"),
            lambda period: SearchLog.objects.filter(period.moments("created_at")),
            "",
            "created_at",
        ),
        Series(
            "found_nothing",
            _("Found nothing"),
            lambda period: SearchLog.objects.filter(period.moments("created_at"), results_count=0),
            "",
            "created_at",
        ),
    ]


def _download_series() -> list[Series]:
    return [
        Series(
            "documents",
            _("Documents"),
            lambda period: DownloadDay.objects.filter(period.days("day"), document__isnull=False),
            "",
            "day",
            Sum("count"),
        ),
        Series(
            "issues",
            _("Magazine issues"),
            lambda period: DownloadDay.objects.filter(period.days("day"), issue__isnull=False),
            "",
            "day",
            Sum("count"),
        ),
    ]


# Named apart from the others, whose first word gives their permission (panel.access): these two
# take the library's own.
LIBRARY_DOWNLOADS = "library-downloads"
EMPTY_SEARCHES = "searches-found-nothing"
FIGURES = {
    "members-country": (_("Members by country"), _member_series, "country"),
    "members-organisation-type": (
        _("Members by type of organisation"),
        _member_series,
        "organisation_type",
    ),
    "members-month": (_("Applications and approvals by month"), _member_series, "month"),
    "events-country": (
        _("Event registrations and attendance by country"),
        _event_series,
        "country",
    ),
    "events-organisation-type": (
        _("Event registrations and attendance by type of organisation"),
        _event_series,
        "organisation_type",
    ),
    "events-month": (_("Event registrations and attendance by month"), _event_series, "month"),
    "invitations-country": (_("Invitations by country"), _invitation_series, "country"),
    "invitations-organisation-type": (
        _("Invitations by type of organisation"),
        _invitation_series,
        "organisation_type",
    ),
    "invitations-month": (_("Invitations by month"), _invitation_series, "month"),
    "searches-month": (_("Library searches by month"), _search_series, "month"),
    LIBRARY_DOWNLOADS: (_("Library downloads"), _download_series, "month"),
}
FIGURE_SLUGS = [*FIGURES, EMPTY_SEARCHES]

NOTES = {
    "members-country": _(
        "Applied and approved count the period; members and active members count today. Active: "
        "approved, and signed in or registered for an event in the last twelve months."
    ),
    LIBRARY_DOWNLOADS: _(
        "Documents and magazine issues downloaded on the days of the period. Downloads made "
        "before the library counted them by day are in each item's total only."
    ),
}
NOTES["members-organisation-type"] = NOTES["members-country"]


def searches_found_nothing(*, period: Period, limit: int = 20) -> Figure:
    """The searches that found nothing most often in the period, by their words in lower case."""
    rows = (
        SearchLog.objects.filter(period.moments("created_at"), results_count=0)
        .annotate(words=Lower("query"))
        .values("words")
        .annotate(total=Count("pk"))
        .order_by("-total", "words")
        .values_list("words", "total")[:limit]
    )
    return Figure(
        slug=EMPTY_SEARCHES,
        title=str(_("Searches that found nothing, most frequent first")),
        dimension=str(_("Search")),
        series=(("searches", str(_("Searches"))),),
        rows=[FigureRow(words, words, (total,)) for words, total in rows],
        chart="",
    )


def figure(*, slug: str, period: Period) -> Figure:
    if slug == EMPTY_SEARCHES:
        return searches_found_nothing(period=period)
    title, series, dimension = FIGURES[slug]
    return _figure(
        slug=slug,
        title=str(title),
        dimension=dimension,
        series=series(),
        period=period,
        note=str(NOTES.get(slug, "")),
    )


def figures_all(*, period: Period) -> list[Figure]:
    return [figure(slug=slug, period=period) for slug in FIGURE_SLUGS]
