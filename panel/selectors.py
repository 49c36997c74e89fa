"""Reads for the secretariat's panel: what waits, what is coming, and the network's figures.

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
- library downloads: the documents' and issues' download counters, which carry no date, so they
  are totals since the start and not limited to the period; searches that found nothing: library
  searches of the period with no result.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import EventStatus, RegistrationStatus
from events.mailings import KIND_INVITATION
from events.models import Attendance, Event, Invitation, InvitationAnswer, Registration
from library.enums import DocumentKind
from library.models import Document, Issue, SearchLog
from members.enums import MembershipStatus, OrganisationType
from members.models import ExpertRequest, Profile
from members.roster_enums import ExpertRequestStatus
from members.selectors import applications_pending
from mirpal.countries import Country
from mirpal.models import Message, OutboxMessage, OutboxStatus

ACTIVE_WINDOW_DAYS = 365
UNKNOWN = "—"


# --- The period of the figures


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in UTC (the site's time zone)."""

    start: datetime.date
    end: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=datetime.UTC)

    @property
    def end_at(self) -> datetime.datetime:
        """The first moment after the period."""
        return datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
        )

    def months(self) -> list[datetime.date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def moments(self, path: str) -> Q:
        return Q(**{f"{path}__gte": self.start_at, f"{path}__lt": self.end_at})

    def days(self, path: str) -> Q:
        return Q(**{f"{path}__gte": self.start, f"{path}__lte": self.end})


def period_default(today: datetime.date | None = None) -> Period:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    today = today or timezone.now().date()
    month = today.replace(day=1)
    for _step in range(11):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return Period(start=month, end=today)


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
        return {moment.date() if moment else None: total for moment, total in rows}
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


def events_of(period: Period) -> QuerySet[Event]:
    """Events that start in the period and were neither drafts nor cancelled."""
    return Event.objects.filter(period.moments("starts_at")).exclude(
        status__in=[EventStatus.DRAFT, EventStatus.CANCELLED]
    )


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
}
LIBRARY_DOWNLOADS = "library-downloads"
EMPTY_SEARCHES = "searches-found-nothing"
FIGURE_SLUGS = [*FIGURES, LIBRARY_DOWNLOADS, EMPTY_SEARCHES]

NOTES = {
    "members-country": _(
        "Applied and approved count the period; members and active members count today. Active: "
        "approved, and signed in or registered for an event in the last twelve months."
    ),
    LIBRARY_DOWNLOADS: _(
        "Downloads are counted without a date: these are totals since the library opened, "
        "whatever the period."
    ),
}
NOTES["members-organisation-type"] = NOTES["members-country"]


def library_downloads() -> Figure:
    """Downloads by kind of document, and of the magazine's issues; two queries."""
    documents = {
        kind: (count, downloads)
        for kind, count, downloads in Document.objects.order_by()
        .values("kind")
        .annotate(count=Count("pk"), downloads=Coalesce(Sum("download_count"), 0))
        .values_list("kind", "count", "downloads")
    }
    issues = Issue.objects.aggregate(
        count=Count("pk"), downloads=Coalesce(Sum("download_count"), 0)
    )
    rows = [
        FigureRow(code, str(label), documents.get(code, (0, 0)))
        for code, label in DocumentKind.choices
    ]
    rows.append(
        FigureRow("issue", str(_("Magazine issue")), (issues["count"], issues["downloads"]))
    )
    return Figure(
        slug=LIBRARY_DOWNLOADS,
        title=str(_("Library downloads")),
        dimension=str(pgettext_lazy("figure dimension", "Kind")),
        series=(("items", str(_("Items"))), ("downloads", str(_("Downloads")))),
        rows=rows,
        note=str(NOTES[LIBRARY_DOWNLOADS]),
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
    if slug == LIBRARY_DOWNLOADS:
        return library_downloads()
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


# --- The home page


@dataclass(frozen=True)
class Waiting:
    applications: int
    applications_oldest: list
    expert_requests: int
    expert_requests_oldest: list
    failed_mails: int
    failed_mails_latest: list


def panel_waiting(*, limit: int = 5) -> Waiting:
    """What waits for a decision; six queries however long the queues are."""
    pending = applications_pending()
    new_requests = ExpertRequest.objects.filter(status=ExpertRequestStatus.NEW)
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    return Waiting(
        applications=pending.count(),
        applications_oldest=list(pending.prefetch_related(None)[:limit]),
        expert_requests=new_requests.count(),
        expert_requests_oldest=list(
            new_requests.select_related("topic", "requester").order_by("created_at", "pk")[:limit]
        ),
        failed_mails=failed.count(),
        failed_mails_latest=list(
            failed.only("pk", "kind", "to_email", "subject", "last_error", "created_at").order_by(
                "-created_at", "-pk"
            )[:limit]
        ),
    )


def _count(status: str) -> Coalesce:
    return Coalesce(
        Count("registrations", filter=Q(registrations__status=status)),
        Value(0),
        output_field=IntegerField(),
    )


def panel_events_coming(*, now: datetime.datetime | None = None, limit: int = 8) -> list[Event]:
    """The next published events with their confirmed and waiting registrations; one query."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
        .annotate(
            confirmed=_count(RegistrationStatus.CONFIRMED),
            waiting=_count(RegistrationStatus.WAITING),
            places_left=F("capacity") - _count(RegistrationStatus.CONFIRMED),
        )
        .order_by("starts_at", "pk")[:limit]
    )


def panel_published_lately(*, limit: int = 5) -> tuple[list[Issue], list[Document]]:
    issues = list(Issue.objects.order_by("-published_on", "-number")[:limit])
    documents = list(
        Document.objects.only(
            "pk", "kind", "title_en", "title_ru", "published_on", "access", "download_count"
        ).order_by("-published_on", "-pk")[:limit]
    )
    return issues, documents


# --- The donor report


@dataclass(frozen=True)
class HeldEvent:
    event: Event
    registered: int
    attended: int
    by_country: tuple[int, ...]  # attendance, in the order of Country.choices


def events_held(*, period: Period, now: datetime.datetime | None = None) -> list[HeldEvent]:
    """Events of the period that have ended, with attendance by country; two queries."""
    now = now or timezone.now()
    events = list(
        events_of(period)
        .filter(ends_at__lte=now)
        .annotate(registered=_count(RegistrationStatus.CONFIRMED))
        .order_by("starts_at", "pk")
    )
    cells: dict[tuple[int, str | None], int] = {
        (event_id, country): total
        for event_id, country, total in Attendance.objects.filter(event__in=[e.pk for e in events])
        .order_by()
        .values("event_id", "user__profile__country")
        .annotate(total=Count("pk"))
        .values_list("event_id", "user__profile__country", "total")
    }
    held = []
    for event in events:
        by_country = tuple(cells.get((event.pk, code), 0) for code in Country.values)
        attended = sum(total for (event_id, _c), total in cells.items() if event_id == event.pk)
        held.append(HeldEvent(event, event.registered, attended, by_country))
    return held


def issues_published(*, period: Period) -> list[Issue]:
    return list(
        Issue.objects.filter(period.days("published_on")).order_by("published_on", "number")
    )


def documents_published(*, period: Period) -> list[Document]:
    return list(
        Document.objects.filter(period.days("published_on"))
        .only(
            "pk",
            "kind",
            "title_en",
            "title_ru",
            "published_on",
            "access",
            "download_count",
            "publisher",
            "language",
        )
        .order_by("published_on", "pk")
    )


# --- Messages to members


def messages_sent():
    # Whom each message goes to can be tens of thousands of ids; the pages show only the count.
    return (
        Message.objects.select_related("sent_by").defer("recipient_ids").order_by("-sent_at", "-pk")
    )
