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
  searches of the period with no result;
- exchange: questions asked and answers written in the period (published ones; by the asker's
  country), the median hours from a question to its first answer and the share of questions with
  an answer marked as the one that helped (NOTES[EXCHANGE_COUNTRY]).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Extract, Lower, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import InvitationAnswer, RegistrationStatus
from events.mail.kinds import KIND_INVITATION
from events.models import Attendance, Invitation, Registration
from exchange.enums import Moderation, ThreadKind
from exchange.models import Post, Thread
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
    # The totals row where a sum would mean nothing (a median, a share); None: the sums.
    summary: tuple | None = None
    # How many of the first series the chart draws (counts, not hours beside them); 0: all.
    charted: int = 0

    @property
    def totals(self) -> tuple:
        if self.summary is not None:
            return self.summary
        return tuple(sum(row.values[i] for row in self.rows) for i in range(len(self.series)))

    def chart_data(self) -> dict:
        return {
            "type": self.chart,
            "title": str(self.title),
            "labels": [row.label for row in self.rows],
            "datasets": [
                {"label": str(label), "data": [row.values[i] for row in self.rows]}
                for i, (_key, label) in enumerate(self.series[: self.charted or None])
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


class _UtcMonth(TruncMonth):
    """The month of a moment in UTC, whatever the viewer's time zone: the periods are UTC's, so a
    row the period counts falls in one of its months. A date (a download's day) is its own."""

    def resolve_expression(self, *args, **kwargs):
        resolved = super().resolve_expression(*args, **kwargs)
        if isinstance(resolved.lhs.output_field, DateTimeField):
            resolved.tzinfo = datetime.UTC
        return resolved


def _grouped(series: Series, period: Period, dimension: str) -> dict:
    queryset = series.queryset(period).order_by()
    if dimension == "month":
        rows = (
            queryset.annotate(group=_UtcMonth(series.date))
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


# --- The peer exchange: questions, answers, time to first answer, share answered


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median of the values, NULLs left out."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


EXCHANGE_SERIES = (
    ("questions", _("Questions")),
    ("answers", _("Answers")),
    ("median_hours", _("Median hours to first answer")),
    ("answered_share", _("Answered (%)")),
)


def _questions(period: Period) -> QuerySet:
    """Published questions asked in the period, each with the hours its first published answer
    took (NULL while it has none)."""
    first_answer = (
        Post.objects.filter(thread=OuterRef("pk"), parent__isnull=True, state=Moderation.PUBLISHED)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    waited = ExpressionWrapper(Subquery(first_answer) - F("created_at"), DurationField())
    return (
        Thread.objects.filter(
            period.moments("created_at"), kind=ThreadKind.QUESTION, state=Moderation.PUBLISHED
        )
        .order_by()
        .annotate(waited=Extract(waited, "epoch") / 3600.0)
    )


def _answers(period: Period) -> QuerySet:
    """Published answers (not replies) written in the period to published questions."""
    return Post.objects.filter(
        period.moments("created_at"),
        parent__isnull=True,
        state=Moderation.PUBLISHED,
        thread__kind=ThreadKind.QUESTION,
        thread__state=Moderation.PUBLISHED,
    ).order_by()


def _question_figures() -> dict:
    return {
        "questions": Count("pk"),
        "accepted": Count("pk", filter=Q(accepted_answer__isnull=False)),
        "median": Median("waited"),
    }


def _exchange_values(questions: int, answers: int, accepted: int, median) -> tuple:
    hours = None if median is None else round(median, 1)
    share = round(100 * accepted / questions, 1) if questions else None
    return (questions, answers, hours, share)


def exchange_figure(*, slug: str, title: str, dimension: str, period: Period) -> Figure:
    """Questions asked and answers written in the period, the median hours from a question to
    its first answer and the share of questions with an answer marked as the one that helped
    (both over the period's questions), by the asker's country or by month. Three queries."""
    if dimension == "month":
        # The period's months are UTC's, whatever the viewer's time zone.
        month = TruncMonth("created_at", tzinfo=datetime.UTC)
        asked = _questions(period).annotate(group=month).values("group")
        written = _answers(period).annotate(group=month).values("group")
    else:
        asked = _questions(period).values(group=F("author__profile__country"))
        written = _answers(period).values(group=F("thread__author__profile__country"))
    by_group = {
        row["group"]: row
        for row in asked.annotate(**_question_figures()).values(
            "group", "questions", "accepted", "median"
        )
    }
    answers = dict(written.annotate(total=Count("pk")).values_list("group", "total"))
    overall = _questions(period).aggregate(**_question_figures())
    if dimension == "month":
        by_group = {moment.date(): row for moment, row in by_group.items()}
        answers = {moment.date(): total for moment, total in answers.items()}
        keys = [(month, month.strftime("%Y-%m"), _month_label(month)) for month in period.months()]
    else:
        keys = [(code, code, str(label)) for code, label in Country.choices]
        # Questions and answers of people without a profile (staff accounts, say).
        if None in by_group or None in answers:
            keys.append((None, "", UNKNOWN))

    def values(key) -> tuple:
        row = by_group.get(key, {})
        return _exchange_values(
            row.get("questions", 0), answers.get(key, 0), row.get("accepted", 0), row.get("median")
        )

    return Figure(
        slug=slug,
        title=title,
        dimension=str(DIMENSIONS[dimension]),
        series=tuple((key, str(label)) for key, label in EXCHANGE_SERIES),
        rows=[FigureRow(code=code, label=label, values=values(key)) for key, code, label in keys],
        chart="line" if dimension == "month" else "bar",
        note=str(NOTES[EXCHANGE_COUNTRY]),
        summary=_exchange_values(
            overall["questions"], sum(answers.values()), overall["accepted"], overall["median"]
        ),
        charted=2,
    )


EXCHANGE_COUNTRY = "exchange-country"
EXCHANGE_MONTH = "exchange-month"
EXCHANGE_FIGURES = {
    EXCHANGE_COUNTRY: (_("Questions and answers in the exchange by country"), "country"),
    EXCHANGE_MONTH: (_("Questions and answers in the exchange by month"), "month"),
}

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
FIGURE_SLUGS = [*FIGURES, EMPTY_SEARCHES, *EXCHANGE_FIGURES]

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
NOTES[EXCHANGE_COUNTRY] = _(
    "Questions: published questions asked in the period (discussions are not counted), by the "
    "asker's country. Answers: published answers to questions written in the period, by the "
    "asker's country. Median hours to first answer: from a question of the period to its first "
    "published answer, over the questions answered. Answered: the share of the period's "
    "questions with an answer marked as the one that helped."
)


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
    if slug in EXCHANGE_FIGURES:
        title, dimension = EXCHANGE_FIGURES[slug]
        return exchange_figure(slug=slug, title=str(title), dimension=dimension, period=period)
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
