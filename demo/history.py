"""Three years of the demo network's past, so that the secretariat's figures and charts look like
a real network's rather than a spike in the month the demo was loaded.

- Applications: the demo members' application dates spread over the last 36 months, more in
  spring and autumn than in summer and over the new year, and more each year as the network
  grows; each decided one gets the secretariat's decision a few days to three weeks later
  (MembershipDecision), suspended members a second one; those still waiting applied in the last
  few weeks.
- Events: monthly video conferences, two annual conferences and seminars in the two years before
  the demo programme of demo.events begins, with registrations of members already approved by
  then, and attendance.
- Library: searches spread over the three years (some finding nothing), and downloads by day
  (DownloadDay) of the magazine's issues and of the documents that have a file: more for newer
  items, a spike in the weeks after an item is published, fewer at weekends, in summer and over
  the new year, more as the network grows. Each item's download_count is set to the sum of its
  days, so the lists' totals and the panel's monthly figures agree.

Dates are relative to the day of the first load. Idempotent: a profile that has a decision is
left alone, events are keyed by their slug, and the searches and downloads come with the events,
so a second run adds nothing (an item that already has downloads by day is left alone too).
Bulk writes: a few hundred members load in well under a second.
"""

from __future__ import annotations

import calendar
import datetime
import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from demo import members as members_demo
from demo.events import CITY_RU, COUNTRIES
from events.models import Attendance, Event, Registration
from library.counts import counts_forget
from library.models import Document, DownloadDay, Issue, SearchLog
from members.models import MembershipDecision, Profile, User
from mirpal.fragments import data_changed
from mirpal.models import Topic

MONTHS = 36
SECRETARIAT = "secretariat@mirpal.example"
# Applications and attendance by month of the year: busy in spring and autumn, quiet in July,
# August and around the new year.
SEASON = {
    1: 0.6,
    2: 1.0,
    3: 1.3,
    4: 1.3,
    5: 1.1,
    6: 0.9,
    7: 0.5,
    8: 0.4,
    9: 1.3,
    10: 1.4,
    11: 1.2,
    12: 0.6,
}
# The demo programme of demo.events covers the last twelve months; the history ends before it.
FIRST_PROGRAMME_MONTH = -12

SEMINARS = [
    (
        -33,
        "Seminar: recognising migrants' qualifications",
        "Семинар: признание квалификаций мигрантов",
        "Dushanbe",
        "TJ",
        "Asia/Dushanbe",
    ),
    (
        -28,
        "Workshop: consular support for workers abroad",
        "Практикум: консульская поддержка работников за рубежом",
        "Minsk",
        "BY",
        "Europe/Minsk",
    ),
    (
        -22,
        "Seminar: remittances and financial inclusion",
        "Семинар: денежные переводы и финансовая доступность",
        "Chisinau",
        "MD",
        "Europe/Chisinau",
    ),
    (
        -16,
        "Workshop: return and reintegration programmes",
        "Практикум: программы возвращения и реинтеграции",
        "Bishkek",
        "KG",
        "Asia/Bishkek",
    ),
]
CONFERENCES = [
    (-31, "Tashkent", "UZ", "Asia/Tashkent", "Amir Temur St 15"),
    (-19, "Yerevan", "AM", "Asia/Yerevan", "Abovyan St 10"),
]
SEARCHES_FOUND = [
    ("денежные переводы", "ru"),
    ("оргнабор", "ru"),
    ("реинтеграция", "ru"),
    ("диаспора", "ru"),
    ("статистика миграции", "ru"),
    ("трудовая миграция Казахстан", "ru"),
    ("патент на работу", "ru"),
    ("предвыездная подготовка", "ru"),
    ("обследование домохозяйств", "ru"),
    ("Migration 21", "ru"),
    ("remittances", "en"),
    ("labour migration", "en"),
    ("return migration", "en"),
    ("diaspora bonds", "en"),
    ("pre-departure orientation", "en"),
]
SEARCHES_EMPTY = [
    ("цифровые кочевники", "ru"),
    ("пенсии мигрантов", "ru"),
    ("климатическая миграция", "ru"),
    ("blockchain remittances", "en"),
    ("climate mobility", "en"),
]


def _month_start(today: datetime.date, offset: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.UTC)


def _weights(today: datetime.date) -> list[tuple[datetime.date, float]]:
    """The 36 months ending with the current one, each with its share of applications."""
    months = []
    for position in range(MONTHS):
        month = _month_start(today, position - MONTHS + 1)
        growth = 1 + position / MONTHS  # twice as many in the last year as in the first
        months.append((month, SEASON[month.month] * growth))
    return months


def _day_at(target: float, months: list[tuple[datetime.date, float]]) -> datetime.date:
    """The day at which the running sum of the months' weights reaches `target`."""
    for month, weight in months:
        if target <= weight or month == months[-1][0]:
            days = calendar.monthrange(month.year, month.month)[1]
            return month + datetime.timedelta(days=min(int(target / weight * days), days - 1))
        target -= weight
    raise ValueError("no months")


def application_dates(count: int, *, now: datetime.datetime, rng: random.Random) -> list:
    """`count` application moments over the last three years in date order, placed by the
    seasonal weights (the i-th at the (i + ½)/count quantile), at least five days before now so
    that the decision on each falls before today."""
    months = _weights(now.date())
    total = sum(weight for _month, weight in months)
    latest = now - datetime.timedelta(days=5)
    moments = []
    for index in range(count):
        day = _day_at((index + 0.5) / count * total, months)
        moment = _moment(day, rng.randint(5, 15), rng.randint(0, 59))
        moments.append(min(moment, latest - datetime.timedelta(hours=rng.randint(0, 96))))
    return sorted(moments)


def _applications(*, now: datetime.datetime, rng: random.Random) -> int:
    """Dates and decisions for the demo profiles that have no decision yet."""
    fixed = [email for email, *_rest in members_demo.ACCOUNTS]
    undecided = list(
        Profile.objects.filter(
            Q(user__email__endswith="@demo.mirpal.example") | Q(user__email__in=fixed),
            decisions__isnull=True,
        )
        .select_related("user")
        .order_by("user__email")
        .only("id", "status", "applied_at", "status_changed_at", "user__id", "user__email")
    )
    # A pending profile whose date the members' loader has just set is dated here once; one
    # dated before (by an earlier run, or by a person) is left alone.
    fresh = now - datetime.timedelta(hours=1)
    decided = [profile for profile in undecided if profile.status != "pending"]
    waiting = [p for p in undecided if p.status == "pending" and p.applied_at >= fresh]
    if not decided and not waiting:
        return 0
    secretariat = User.objects.filter(email=SECRETARIAT).first()
    # The secretariat's own account is the network's first; the others come in a random order,
    # so that every status spreads over the years.
    ordered = [profile for profile in decided if profile.user.email == SECRETARIAT]
    others = [profile for profile in decided if profile.user.email != SECRETARIAT]
    rng.shuffle(others)
    ordered += others
    decisions, decided_on = [], []
    for profile, applied in zip(
        ordered, application_dates(len(ordered), now=now, rng=rng), strict=True
    ):
        profile.applied_at = applied
        decided_by = None if profile.user == secretariat else secretariat
        decided_at = min(
            applied + datetime.timedelta(days=rng.randint(2, 21), hours=rng.randint(0, 6)),
            now - datetime.timedelta(hours=2),
        )
        first = "rejected" if profile.status == "rejected" else "approved"
        decisions.append(
            MembershipDecision(
                profile=profile, from_status="pending", to_status=first, decided_by=decided_by
            )
        )
        decided_on.append(decided_at)
        if profile.status == "suspended":
            decided_at += (now - decided_at) * rng.uniform(0.3, 0.9)
            decisions.append(
                MembershipDecision(
                    profile=profile,
                    from_status="approved",
                    to_status="suspended",
                    decided_by=secretariat,
                )
            )
            decided_on.append(decided_at)
        profile.status_changed_at = decided_at
    for profile in waiting:
        profile.applied_at = now - datetime.timedelta(
            days=rng.randint(1, 25), hours=rng.randint(0, 9)
        )
    changed = ordered + waiting
    # decided_at and applied_at are auto_now_add, which an insert sets to now; bulk_update
    # writes the past dates afterwards.
    created = MembershipDecision.objects.bulk_create(decisions, batch_size=2000)
    for decision, moment in zip(created, decided_on, strict=True):
        decision.decided_at = moment
    MembershipDecision.objects.bulk_update(created, ["decided_at"], batch_size=1000)
    Profile.objects.bulk_update(changed, ["applied_at", "status_changed_at"], batch_size=1000)
    users = [profile.user for profile in changed]
    for profile in changed:
        profile.user.date_joined = profile.applied_at
    User.objects.bulk_update(users, ["date_joined"], batch_size=1000)
    return len(changed)


@dataclass
class PastEvent:
    key: str
    fields: dict
    registrations: int


def _past_events(*, today: datetime.date, rng: random.Random) -> list[PastEvent]:
    topics = list(Topic.objects.order_by("position", "slug"))
    planned = []
    # From the network's second month, when it has members to invite.
    for offset in range(-MONTHS + 2, FIRST_PROGRAMME_MONTH):
        month = _month_start(today, offset)
        start = _moment(month + datetime.timedelta(days=rng.randint(9, 16)), 10)
        topic = topics[offset % len(topics)] if topics else None
        name_en = topic.name_en if topic else "Migration policy"
        name_ru = topic.name_ru if topic else "Миграционная политика"
        growth = 1 + (offset + MONTHS) / MONTHS
        planned.append(
            PastEvent(
                f"hist-vc{offset + MONTHS:02d}",
                {
                    "kind": "video_conference",
                    "title_en": f"{name_en}: video conference, {start:%B %Y}",
                    "title_ru": f"{name_ru}: видеоконференция, {start:%m.%Y}",
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(hours=2),
                    "time_zone": "Europe/Moscow",
                    "languages": ["ru", "en"],
                    "interpretation": True,
                    "countries": sorted(rng.sample(COUNTRIES, 3)),
                    "capacity": 100,
                    "platform": "zoom",
                    "recording_url": f"https://video.example/mirpal/archive-{start:%Y-%m}",
                },
                int(28 * growth * SEASON[month.month]),
            )
        )
    for offset, city, country, zone, address in CONFERENCES:
        day = _month_start(today, offset) + datetime.timedelta(days=15)
        start = _moment(day, 4)
        planned.append(
            PastEvent(
                f"hist-conference{day.year}",
                {
                    "kind": "annual_conference",
                    "title_en": f"MIRPAL annual conference {day.year}",
                    "title_ru": f"Ежегодная конференция MIRPAL {day.year}",
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(days=1, hours=9),
                    "time_zone": zone,
                    "languages": ["ru", "en"],
                    "interpretation": True,
                    "countries": COUNTRIES,
                    "venue_city": city,
                    "venue_city_ru": CITY_RU.get(city, ""),
                    "venue_country": country,
                    "venue_address": address,
                    "capacity": 250,
                },
                110 if offset < -24 else 140,
            )
        )
    for offset, title_en, title_ru, city, country, zone in SEMINARS:
        start = _moment(_month_start(today, offset) + datetime.timedelta(days=19), 5)
        planned.append(
            PastEvent(
                f"hist-seminar{offset + MONTHS:02d}",
                {
                    "kind": "seminar",
                    "title_en": title_en,
                    "title_ru": title_ru,
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(hours=6),
                    "time_zone": zone,
                    "languages": ["ru"],
                    "countries": [country],
                    "venue_city": city,
                    "venue_city_ru": CITY_RU.get(city, ""),
                    "venue_country": country,
                    "capacity": 30,
                },
                24,
            )
        )
    return planned


def _events(*, now: datetime.datetime, rng: random.Random) -> tuple[int, int]:
    planned = _past_events(today=now.date(), rng=rng)
    slugs = {item.key: f"{item.key}-{item.fields['starts_at']:%Y-%m}-demo" for item in planned}
    existing = set(Event.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
    new = [item for item in planned if slugs[item.key] not in existing]
    if not new:
        return 0, 0
    created = Event.objects.bulk_create(
        [
            Event(
                slug=slugs[item.key],
                status="completed",
                sequence=1,
                description_en="An event of the network's past programme.",
                description_ru="Мероприятие прошлых лет программы сети.",
                published_at=item.fields["starts_at"] - datetime.timedelta(days=30),
                **item.fields,
            )
            for item in new
        ],
        batch_size=500,
    )
    topics = dict(Topic.objects.values_list("slug", "pk"))
    if topics:
        ids = list(topics.values())
        Event.topics.through.objects.bulk_create(
            [
                Event.topics.through(event_id=event.pk, topic_id=topic_id)
                for event in created
                for topic_id in rng.sample(ids, min(2, len(ids)))
            ]
        )
    # Who could register: demo members (suspended ones were members then) who had applied a
    # week before the event.
    members = list(
        Profile.objects.filter(
            status__in=["approved", "suspended"], user__email__endswith="@demo.mirpal.example"
        )
        .order_by("user_id")
        .values_list("user_id", "applied_at")
    )
    registrations, registered_on, attendances = [], [], []
    for event, item in zip(created, new, strict=True):
        since = event.starts_at - datetime.timedelta(days=7)
        eligible = [user_id for user_id, applied in members if applied < since]
        for user_id in rng.sample(eligible, min(item.registrations, len(eligible))):
            registrations.append(Registration(event=event, user_id=user_id, status="confirmed"))
            registered_on.append(
                event.starts_at
                - datetime.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 12))
            )
            if rng.random() < 0.68:
                attendances.append(
                    Attendance(
                        event=event, user_id=user_id, minutes=rng.randint(30, 120), source="import"
                    )
                )
    # created_at, updated_at and marked_at are set to now on insert (auto_now, auto_now_add);
    # bulk_update writes the past dates afterwards.
    made = Registration.objects.bulk_create(registrations, batch_size=5000)
    for registration, moment in zip(made, registered_on, strict=True):
        registration.created_at = registration.updated_at = moment
    Registration.objects.bulk_update(made, ["created_at", "updated_at"], batch_size=2000)
    marked = Attendance.objects.bulk_create(attendances, batch_size=5000)
    for attendance in marked:
        attendance.marked_at = attendance.event.ends_at + datetime.timedelta(days=1)
    Attendance.objects.bulk_update(marked, ["marked_at"], batch_size=2000)
    return len(created), len(made)


def _searches(*, now: datetime.datetime, rng: random.Random) -> int:
    """Library searches over the three years, busier as the library grew; about one in nine
    found nothing."""
    rows = []
    for month, weight in _weights(now.date()):
        days = calendar.monthrange(month.year, month.month)[1]
        for _index in range(int(45 * weight)):
            moment = _moment(
                month + datetime.timedelta(days=rng.randrange(days)),
                rng.randint(4, 17),
                rng.randint(0, 59),
            )
            if moment >= now:
                continue
            if rng.random() < 0.11:
                query, language = rng.choice(SEARCHES_EMPTY)
                found = 0
            else:
                query, language = rng.choice(SEARCHES_FOUND)
                found = rng.randint(1, 40)
            rows.append(
                SearchLog(query=query, results_count=found, language=language, created_at=moment)
            )
    SearchLog.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _poisson(mean: float, rng: random.Random) -> int:
    """A count of downloads with this mean (inversion: quick for the small means of a day)."""
    count, term = 0, math.exp(-mean)
    total, draw = term, rng.random()
    while draw > total and term > 0:
        count += 1
        term *= mean / count
        total += term
    return count


def _day_factors(today: datetime.date) -> list[tuple[datetime.date, float]]:
    """Each day of the last three years up to yesterday, with how busy the library was that day:
    the season, fewer at weekends and in the first week of January, more as the network grew."""
    first = _month_start(today, -MONTHS + 1)
    span = (today - first).days
    days = []
    for offset in range(span):
        day = first + datetime.timedelta(days=offset)
        factor = SEASON[day.month] * (1 + offset / span)
        if day.weekday() >= 5:
            factor *= 0.45
        if day.month == 1 and day.day <= 8:
            factor *= 0.3
        days.append((day, factor))
    return days


def _item_days(
    published: datetime.date,
    per_day: float,
    days: list[tuple[datetime.date, float]],
    rng: random.Random,
) -> list[tuple[datetime.date, int]]:
    """One item's downloads by day from its publication: `per_day` on an average day, six times
    that in the days after publication, fading over about three weeks."""
    counted = []
    for day, factor in days:
        age = (day - published).days
        if age < 0:
            continue
        count = _poisson(per_day * factor * (1 + 5 * math.exp(-age / 8)), rng)
        if count:
            counted.append((day, count))
    return counted


def _downloads(*, now: datetime.datetime, rng: random.Random) -> int:
    """Three years of downloads by day for the issues and the documents with a file that have
    none yet, and their totals set to the sum of their days; returns the downloads added.

    Documents that only link out (the benchmark's thousands) get none, so their total stays 0."""
    days = _day_factors(now.date())
    issues = list(
        Issue.objects.filter(download_days__isnull=True)
        .order_by("number")
        .values_list("pk", "number", "published_on")
    )
    documents = list(
        Document.objects.filter(download_days__isnull=True)
        .exclude(file="")
        .order_by("pk")
        .values_list("pk", "published_on")
    )
    newest = max((number for _pk, number, _published in issues), default=1)
    rows = []
    for pk, number, published in issues:
        # The newest issue about two downloads on an average day, the oldest a third of one.
        per_day = 0.35 + 1.6 * (number / newest) ** 2
        rows += [
            DownloadDay(issue_id=pk, day=day, count=count)
            for day, count in _item_days(published, per_day, days, rng)
        ]
    for pk, published in documents:
        # Recent documents are read more; most days an old one is not opened at all.
        recency = max(0, min(1, (published.year - 2008) / 16))
        per_day = (0.03 + 0.22 * recency) * rng.uniform(0.5, 1.5)
        rows += [
            DownloadDay(document_id=pk, day=day, count=count)
            for day, count in _item_days(published, per_day, days, rng)
        ]
    DownloadDay.objects.bulk_create(rows, batch_size=5000)

    def total(path: str) -> Coalesce:
        days_of = DownloadDay.objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
        return Coalesce(Subquery(days_of.annotate(total=Sum("count")).values("total")), 0)

    # The totals from the days just written, one statement each.
    Issue.objects.filter(pk__in=[pk for pk, *_rest in issues]).update(download_count=total("issue"))
    Document.objects.filter(pk__in=[pk for pk, _published in documents]).update(
        download_count=total("document")
    )
    return sum(row.count for row in rows)


def load() -> dict[str, int]:
    """Give the demo network its past; see the module's docstring. Idempotent."""
    now = timezone.now()
    rng = random.Random(2023)
    with transaction.atomic():
        applications = _applications(now=now, rng=rng)
        events, registrations = _events(now=now, rng=rng)
        searches = downloads = 0
        if events:  # the history's events are new: its searches and downloads are too
            searches = _searches(now=now, rng=rng)
            downloads = _downloads(now=now, rng=rng)
            transaction.on_commit(counts_forget)
    # Bulk writes send no signal: the cached lists and the home page's fragments are renewed.
    data_changed("members", "events", "library")
    return {
        "applications": applications,
        "events": events,
        "registrations": registrations,
        "searches": searches,
        "downloads": downloads,
    }
