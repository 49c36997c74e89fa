"""Reads for the events pages, with the prefetching that keeps their query counts constant."""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from events.enums import EventStatus, RegistrationStatus
from events.models import Attendance, Event, EventFeedToken, Registration, Series, Session
from library.search import visible_documents
from members.enums import OrganisationType
from members.models import Expert, User
from members.permissions import is_member, is_secretariat
from mirpal.countries import Country
from mirpal.models import Topic


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    topic: str = ""
    country: str = ""
    language: str = ""


def join_link_lead() -> datetime.timedelta:
    """How long before the start the join link appears to those who may see it."""
    return datetime.timedelta(minutes=settings.EVENTS_JOIN_LINK_LEAD_MINUTES)


def _topics_prefetch() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.order_by("position", "slug"))


def _viewer_status(viewer) -> Subquery | Value:
    if viewer is None or not viewer.is_authenticated:
        return Value("")
    return Coalesce(
        Subquery(
            Registration.objects.filter(event=OuterRef("pk"), user=viewer).values("status")[:1]
        ),
        Value(""),
    )


def _count_of(status: str) -> Coalesce:
    counted = (
        Registration.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _filtered(events: QuerySet[Event], filters: EventFilters) -> QuerySet[Event]:
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.topic:
        events = events.filter(topics__slug=filters.topic)
    if filters.country:
        events = events.filter(countries__contains=[filters.country])
    if filters.language:
        events = events.filter(languages__contains=[filters.language])
    return events


def _listed(viewer) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(viewer)
        .select_related("series")
        .prefetch_related(_topics_prefetch())
        .annotate(viewer_status=_viewer_status(viewer))
    )


# What an event card shows (templates/events/_event_card.html), and nothing more.
CARD_FIELDS = (
    "slug",
    "kind",
    "status",
    "title_en",
    "title_ru",
    "starts_at",
    "venue_city",
    "venue_city_ru",
    "languages",
    "interpretation",
    "series__slug",
    "series__title_en",
    "series__title_ru",
)


def _cards(viewer) -> QuerySet[Event]:
    """The events as the list pages show them. Nothing here depends on the viewer but whether
    drafts are listed (for the secretariat): the pages cache the cards for every viewer alike
    and add each viewer's own answer afterwards (viewer_registration_statuses)."""
    return (
        Event.objects.visible_to(viewer)
        .select_related("series")
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "topics",
                queryset=Topic.objects.only("name_en", "name_ru").order_by("position", "slug"),
            )
        )
    )


def event_list_upcoming(*, viewer, filters: EventFilters, now=None) -> QuerySet[Event]:
    """Events not yet over, soonest first (event_start_idx gives the order; once the past
    outgrows the future, PostgreSQL takes event_ends_idx for the few that are not over)."""
    now = now or timezone.now()
    events = _cards(viewer).filter(ends_at__gt=now).exclude(status=EventStatus.COMPLETED)
    return _filtered(events, filters).order_by("starts_at", "pk")


def event_list_past(*, viewer, filters: EventFilters, now=None) -> QuerySet[Event]:
    """Events that are over (cancelled ones left out), latest first (index event_start_idx,
    read backwards)."""
    now = now or timezone.now()
    events = (
        _cards(viewer)
        .filter(Q(ends_at__lte=now) | Q(status=EventStatus.COMPLETED))
        .exclude(status=EventStatus.CANCELLED)
    )
    return _filtered(events, filters).order_by("-starts_at", "-pk")


def event_next_end(*, now=None) -> datetime.datetime | None:
    """When the next event ends: the moment the lists of coming and past events change by the
    clock alone (index event_ends_idx)."""
    now = now or timezone.now()
    return Event.objects.filter(ends_at__gt=now).aggregate(next_end=Min("ends_at"))["next_end"]


# Each viewer's answers (confirmed or on the wait list), by event id, for the badges of the cached
# lists: one round trip to the cache instead of a query on every list page. Forgotten at every
# save or delete of one of their registrations (events/apps.py), now and at commit.
VIEWER_REGISTRATIONS_SECONDS = 600


def _viewer_registrations_key(user_id) -> str:
    return f"events:viewer-registrations:{user_id}"


def viewer_registrations_forget(user_id) -> None:
    cache.delete(_viewer_registrations_key(user_id))
    transaction.on_commit(lambda: cache.delete(_viewer_registrations_key(user_id)))


def viewer_registration_statuses(*, viewer, event_ids: list[int]) -> dict[int, str]:
    """The viewer's answer for those of these events they are going to (confirmed or on the
    wait list), by event id; from the cache, else one query; none for an anonymous viewer."""
    if viewer is None or not viewer.is_authenticated or not event_ids:
        return {}
    key = _viewer_registrations_key(viewer.pk)
    statuses = cache.get(key)
    if statuses is None:
        statuses = dict(
            Registration.objects.filter(
                user=viewer,
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
            ).values_list("event_id", "status")
        )
        cache.set(key, statuses, VIEWER_REGISTRATIONS_SECONDS)
    return {pk: statuses[pk] for pk in event_ids if pk in statuses}


def filter_topics() -> list[Topic]:
    return list(Topic.objects.order_by("position", "slug"))


def event_detail(*, slug: str, viewer) -> Event:
    """The event with all its page shows, in a fixed number of queries; 404 if not visible."""
    speakers = Expert.objects.order_by("name_en", "pk")
    events = (
        Event.objects.visible_to(viewer)
        .select_related("series")
        .prefetch_related(
            _topics_prefetch(),
            Prefetch("speakers", queryset=speakers),
            Prefetch(
                "sessions",
                queryset=Session.objects.order_by("starts_at", "pk").prefetch_related(
                    Prefetch("speakers", queryset=speakers)
                ),
            ),
        )
        .annotate(
            confirmed_count=_count_of(RegistrationStatus.CONFIRMED),
            waiting_count=_count_of(RegistrationStatus.WAITING),
        )
    )
    try:
        return events.get(slug=slug)
    except Event.DoesNotExist as error:
        raise Http404 from error


def viewer_registration(*, event: Event, viewer) -> Registration | None:
    if viewer is None or not viewer.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=viewer).first()


def is_speaker(*, event: Event, viewer) -> bool:
    """Whether the viewer speaks at the event (uses the prefetched speakers when present)."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if any(expert.user_id == viewer.pk for expert in event.speakers.all()):
        return True
    return any(
        expert.user_id == viewer.pk
        for session in event.sessions.all()
        for expert in session.speakers.all()
    )


@dataclass(frozen=True)
class JoinLinkAccess:
    entitled: bool  # the viewer may see the link once it is due
    visible: bool  # and it is due now
    opens_at: datetime.datetime | None
    lead_minutes: int


def join_link_access(
    *, event: Event, viewer, registration: Registration | None, now=None
) -> JoinLinkAccess:
    """Who sees the join link and passcode: confirmed registrants who are still approved members,
    the event's speakers who have an account, and the secretariat; from
    EVENTS_JOIN_LINK_LEAD_MINUTES before the start until the end. Everyone else never gets it,
    not even hidden in the page: a member suspended after registering keeps the registration
    row, not the link."""
    now = now or timezone.now()
    lead = join_link_lead()
    lead_minutes = int(lead.total_seconds() // 60)
    usable = (
        bool(event.join_url or event.passcode)
        and event.status == EventStatus.PUBLISHED
        and not event.has_ended(now)
    )
    entitled = (
        usable
        and viewer is not None
        and viewer.is_authenticated
        and (
            (
                registration is not None
                and registration.status == RegistrationStatus.CONFIRMED
                and is_member(viewer)
            )
            or is_speaker(event=event, viewer=viewer)
            or is_secretariat(viewer)
        )
    )
    if not entitled:
        return JoinLinkAccess(False, False, None, lead_minutes)
    opens_at = event.starts_at - lead
    return JoinLinkAccess(True, now >= opens_at, opens_at, lead_minutes)


def event_materials(*, event: Event, viewer) -> list:
    """The library documents presented at the event that this viewer may see."""
    documents = visible_documents(member=is_member(viewer)).filter(event=event)
    return list(documents.order_by("-published_on", "pk"))


# --- Month calendar


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list[Event]


def event_calendar_month(
    *, viewer, year: int, month: int, zone: zoneinfo.ZoneInfo, filters: EventFilters | None = None
) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days, each with the events starting that day in the
    viewer's time zone. One query whatever the number of events."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = datetime.datetime.combine(weeks[0][0], datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(
        weeks[-1][-1] + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
    )
    events = _filtered(
        Event.objects.visible_to(viewer).filter(starts_at__gte=start, starts_at__lt=end),
        filters or EventFilters(),
    ).order_by("starts_at", "pk")
    by_day: dict[datetime.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.starts_at.astimezone(zone).date(), []).append(event)
    today = timezone.now().astimezone(zone).date()
    return [
        [CalendarDay(day, day.month == month, day == today, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


# --- Series


def series_detail(*, slug: str) -> Series:
    try:
        return Series.objects.get(slug=slug)
    except Series.DoesNotExist as error:
        raise Http404 from error


def series_events(*, series: Series, viewer, now=None) -> tuple[list[Event], list[Event]]:
    """The series' coming events (soonest first) and past ones (latest first)."""
    now = now or timezone.now()
    events = list(_listed(viewer).filter(series=series).order_by("starts_at", "pk"))
    coming = [event for event in events if event.ends_at > now]
    past = [event for event in reversed(events) if event.ends_at <= now]
    return coming, past


# --- A member's own events and calendar feed


def member_registrations(*, user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(
            user=user, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
        )
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("event__starts_at", "event__pk")
    )


def _waitlist_position() -> Case:
    """1 for the next person on the wait list to get a place; NULL for a confirmed place. The
    wait list is served by waiting_since, then pk (services._promote_waiting)."""
    ahead = (
        Registration.objects.filter(event=OuterRef("event_id"), status=RegistrationStatus.WAITING)
        .filter(
            Q(waiting_since__lt=OuterRef("waiting_since"))
            | Q(waiting_since=OuterRef("waiting_since"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Case(
        When(
            status=RegistrationStatus.WAITING,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def member_registrations_coming(*, user: User, now=None) -> QuerySet[Registration]:
    """The member's places (confirmed or on the wait list) at events not yet over, soonest
    first, each with waitlist_position; one query whatever their number."""
    now = now or timezone.now()
    return (
        member_registrations(user=user)
        .filter(event__ends_at__gt=now)
        .annotate(waitlist_position=_waitlist_position())
    )


def member_attended(*, user: User, limit: int) -> list[Attendance]:
    """The latest events the member took part in, latest first, with their event; one query."""
    attended = (
        Attendance.objects.filter(user=user)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )
    return list(attended[:limit])


def feed_registrations(*, user: User) -> QuerySet[Registration]:
    """What the member's feed lists, with the speakers the join-link rule looks at."""
    speakers = Expert.objects.only("pk", "user_id")
    return member_registrations(user=user).prefetch_related(
        Prefetch("event__speakers", queryset=speakers),
        Prefetch(
            "event__sessions",
            queryset=Session.objects.prefetch_related(Prefetch("speakers", queryset=speakers)),
        ),
    )


def feed_owner(*, token: str) -> User:
    try:
        return EventFeedToken.objects.select_related("user").get(token=token).user
    except EventFeedToken.DoesNotExist as error:
        raise Http404 from error


def feed_token_of(*, user: User) -> EventFeedToken | None:
    return EventFeedToken.objects.filter(user=user).first()


# --- The secretariat's figures and exports


@dataclass(frozen=True)
class FigureRow:
    code: str
    label: str
    registered: int
    attended: int


@dataclass(frozen=True)
class AttendanceFigures:
    by_country: list[FigureRow]
    by_organisation_type: list[FigureRow]
    registered: int
    attended: int


def _rows(choices, registered: dict, attended: dict) -> list[FigureRow]:
    rows = [
        FigureRow(code, str(label), registered.get(code, 0), attended.get(code, 0))
        for code, label in choices
    ]
    unknown = FigureRow("", "—", registered.get(None, 0), attended.get(None, 0))
    return [row for row in [*rows, unknown] if row.registered or row.attended]


def attendance_figures(*, events: QuerySet[Event]) -> AttendanceFigures:
    """Confirmed registrations and attendance of these events, by the members' country and
    organisation type. Four grouped queries whatever the number of events or people."""
    registrations = Registration.objects.filter(
        event__in=events, status=RegistrationStatus.CONFIRMED
    )
    attendances = Attendance.objects.filter(event__in=events)

    def grouped(queryset, field: str) -> dict:
        return dict(
            queryset.order_by().values_list(f"user__profile__{field}").annotate(total=Count("pk"))
        )

    registered_country = grouped(registrations, "country")
    attended_country = grouped(attendances, "country")
    registered_type = grouped(registrations, "organisation_type")
    attended_type = grouped(attendances, "organisation_type")
    return AttendanceFigures(
        by_country=_rows(Country.choices, registered_country, attended_country),
        by_organisation_type=_rows(OrganisationType.choices, registered_type, attended_type),
        registered=sum(registered_country.values()),
        attended=sum(attended_country.values()),
    )


def registration_export_rows(*, events: QuerySet[Event]) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event__in=events)
        .select_related("event", "user", "user__profile")
        .order_by("event__starts_at", "event__pk", "status", "waiting_since", "created_at", "pk")
    )


def events_for_figures() -> QuerySet[Event]:
    return Event.objects.exclude(status__in=[EventStatus.DRAFT, EventStatus.CANCELLED]).order_by(
        "-starts_at", "-pk"
    )
