"""Fictional demo events: a year of monthly video conferences behind and ahead, the annual
conference with its agenda, seminars, a field visit and a monthly seminar series; generated
ones for scale (`load(events=2000)` for the benchmark, with one event of 300 registrations)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from demo import members as members_demo
from demo import roster as roster_demo
from demo.events_programme import (
    AGENDA,
    CONFERENCE_CITIES,
    CONFERENCES,
    DESCRIPTION_EN,
    DESCRIPTION_RU,
    SEMINARS,
    SERIES,
)
from events.models import Attendance, Event, Registration, Series, Session
from members.models import Expert, User
from mirpal.fragments import data_changed
from mirpal.models import Topic

COUNTRIES = ["AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ"]
# The venues' cities as Russian pages show them (Event.venue_city_ru).
CITY_RU = {
    "Almaty": "Алматы",
    "Astana": "Астана",
    "Bishkek": "Бишкек",
    "Chisinau": "Кишинёв",
    "Dushanbe": "Душанбе",
    "Kyiv": "Киев",
    "Minsk": "Минск",
    "Moscow": "Москва",
    "Tashkent": "Ташкент",
    "Yerevan": "Ереван",
}
BIG_EVENT_REGISTRATIONS = 300


@dataclass
class Planned:
    key: str
    fields: dict
    topics: tuple[str, ...]
    speakers: int = 2
    agenda: bool = False
    registrations: int = 0


def _month(anchor: datetime.date, offset: int, day: int) -> datetime.date:
    month_index = anchor.year * 12 + anchor.month - 1 + offset
    return datetime.date(month_index // 12, month_index % 12 + 1, day)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.UTC)


def _online(rng: random.Random) -> dict:
    return {
        "platform": "zoom",
        "join_url": f"https://zoom.example/j/{rng.randrange(10**9, 10**10)}",
        "passcode": f"{rng.randrange(100000, 999999)}",
    }


def plan(*, events: int, today: datetime.date, big_registrations: int) -> list[Planned]:
    """The demo programme, anchored on the current month so that it is stable within a month."""
    rng = random.Random(2026)
    anchor = today.replace(day=1)
    planned: list[Planned] = []

    def status_for(start: datetime.datetime) -> str:
        return "completed" if start.date() < today - datetime.timedelta(days=60) else "published"

    # Twelve video conferences a year: the past year and the next.
    for index, (title_en, title_ru, topics) in enumerate(CONFERENCES):
        start = _at(_month(anchor, index - 12, 12), 10)
        fields = {
            "kind": "video_conference",
            "title_en": title_en,
            "title_ru": title_ru,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "time_zone": "Europe/Moscow",
            "languages": ["ru", "en"],
            "interpretation": True,
            "countries": sorted(rng.sample(COUNTRIES, 3)),
            "capacity": 100,
            "status": status_for(start),
            **_online(rng),
        }
        if index == 14:
            fields.update(
                status="cancelled",
                cancellation_reason="The speaker cannot attend; a new date will follow.",
            )
        if index == 23:
            fields["status"] = "draft"
        if start.date() < today:
            fields["recording_url"] = f"https://video.example/mirpal/{slugify(title_en)}"
        planned.append(
            Planned(f"vc{index:02d}", fields, topics, registrations=60 if index < 14 else 25)
        )

    # The annual conference: last year's in Bishkek, this year's in Almaty with its agenda.
    for index, offset in enumerate((-7, 5)):
        city, country, zone, address = CONFERENCE_CITIES[1 - index]
        day = _month(anchor, offset, 16)
        start = _at(day, 3)
        planned.append(
            Planned(
                f"conference{index}",
                {
                    "kind": "annual_conference",
                    "title_en": f"MIRPAL annual conference {day.year}",
                    "title_ru": f"Ежегодная конференция MIRPAL {day.year}",
                    "description_en": (
                        "Two days of panels and working groups with members and experts "
                        "from the region."
                    ),
                    "description_ru": (
                        "Два дня панельных дискуссий и работы в группах с участниками "
                        "и экспертами из региона."
                    ),
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
                    "status": status_for(start),
                    "registration_closes_at": start - datetime.timedelta(days=14),
                },
                ("labour-migration", "remittances", "diaspora"),
                speakers=6,
                agenda=True,
                registrations=big_registrations if index == 1 else 120,
            )
        )

    for index, (title_en, title_ru, topics, city, country, zone) in enumerate(SEMINARS):
        start = _at(_month(anchor, index * 3 - 4, 20), 5)
        fields = {
            "kind": "seminar",
            "title_en": title_en,
            "title_ru": title_ru,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=6),
            "time_zone": zone,
            "languages": ["ru"],
            "countries": [country] if country else ["KZ", "KG", "TJ"],
            "capacity": 30,
            "status": status_for(start),
        }
        fields.update(
            {"venue_city": city, "venue_city_ru": CITY_RU.get(city, ""), "venue_country": country}
            if city
            else _online(rng)
        )
        planned.append(Planned(f"seminar{index}", fields, topics, registrations=20))

    start = _at(_month(anchor, 2, 8), 6)
    planned.append(
        Planned(
            "visit0",
            {
                "kind": "field_visit",
                "title_en": "Field visit: a migrant resource centre in Chisinau",
                "title_ru": "Выездное посещение: ресурсный центр для мигрантов в Кишинёве",
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=8),
                "time_zone": "Europe/Chisinau",
                "languages": ["ru", "ro"],
                "countries": ["MD"],
                "venue_city": "Chisinau",
                "venue_city_ru": "Кишинёв",
                "venue_country": "MD",
                "venue_address": "Str. Ștefan cel Mare 1",
                "capacity": 15,
                "status": "published",
            },
            ("return-reintegration", "diaspora"),
            registrations=18,
        )
    )

    for offset in range(-6, 6):
        start = _at(_month(anchor, offset, 25), 8)
        planned.append(
            Planned(
                f"series{offset + 6:02d}",
                {
                    "kind": "seminar",
                    "title_en": f"{SERIES[1]}: {start:%B %Y}",
                    "title_ru": f"{SERIES[2]}: {start:%m.%Y}",
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(minutes=90),
                    "time_zone": "Asia/Almaty",
                    "languages": ["ru"],
                    "countries": ["KZ", "KG", "TJ", "UZ"],
                    "capacity": 50,
                    "status": status_for(start),
                    **_online(rng),
                },
                ("remittances", "migration-data"),
                speakers=1,
                registrations=12,
            )
        )

    # Generated ones for scale, spread over three years behind and ahead.
    for index in range(max(events - len(planned), 0)):
        title_en, title_ru, topics = rng.choice(CONFERENCES)
        day = today + datetime.timedelta(days=rng.randint(-3 * 365, 3 * 365))
        start = _at(day, rng.choice([5, 7, 9, 11]))
        planned.append(
            Planned(
                f"gen{index:05d}",
                {
                    "kind": rng.choice(["video_conference", "video_conference", "seminar"]),
                    "title_en": f"{title_en} ({index + 1})",
                    "title_ru": f"{title_ru} ({index + 1})",
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(hours=2),
                    "time_zone": rng.choice(["Europe/Moscow", "Asia/Almaty", "Asia/Tashkent"]),
                    "languages": ["ru"],
                    "countries": sorted(rng.sample(COUNTRIES, 2)),
                    "capacity": 100,
                    "status": status_for(start),
                    **_online(rng),
                },
                topics,
                speakers=1,
            )
        )
    return planned[:events] if events < len(planned) else planned


def load(*, events: int = 42) -> dict[str, int]:
    """Create the demo programme (`events` events, the written ones first); idempotent: events
    are keyed by their slug, so a second run adds nothing. With 1,000 events or more (the
    benchmark) the coming annual conference gets 300 registrations, adding demo members if
    there are too few. Bulk inserts: 2,000 events take a few seconds."""
    scale = events >= 1000
    big = BIG_EVENT_REGISTRATIONS if scale else 120
    now = timezone.now()
    rng = random.Random(2027)
    if not Expert.objects.filter(contact_email__endswith="@demo.mirpal.example").exists():
        roster_demo.load(experts=25)
    approved = User.objects.filter(
        profile__status="approved", email__endswith="@demo.mirpal.example"
    )
    if scale and approved.count() < big:
        members_demo.load(members=big + 60)
    member_ids = list(approved.order_by("pk").values_list("pk", flat=True))
    expert_ids = list(
        Expert.objects.filter(contact_email__endswith="@demo.mirpal.example")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    planned = plan(events=events, today=now.date(), big_registrations=big)
    with transaction.atomic():
        series, _created = Series.objects.get_or_create(
            slug=SERIES[0],
            defaults={
                "title_en": SERIES[1],
                "title_ru": SERIES[2],
                "description_en": (
                    "Every month, one data source on remittances, presented by the people "
                    "who make it."
                ),
                "description_ru": (
                    "Каждый месяц — один источник данных о денежных переводах, "
                    "рассказанный его авторами."
                ),
            },
        )
        slugs = {
            item.key: f"{slugify(item.fields['title_en'])[:70]}-demo-{item.key}" for item in planned
        }
        existing = set(
            Event.objects.filter(slug__in=list(slugs.values())).values_list("slug", flat=True)
        )
        new = [item for item in planned if slugs[item.key] not in existing]
        created = Event.objects.bulk_create(
            [
                Event(
                    slug=slugs[item.key],
                    description_en=item.fields.pop("description_en", DESCRIPTION_EN),
                    description_ru=item.fields.pop("description_ru", DESCRIPTION_RU),
                    series=series if item.key.startswith("series") else None,
                    sequence=0 if item.fields["status"] == "draft" else 1,
                    published_at=None if item.fields["status"] == "draft" else now,
                    cancelled_at=now if item.fields["status"] == "cancelled" else None,
                    **item.fields,
                )
                for item in new
            ],
            batch_size=1000,
        )
        Event.topics.through.objects.bulk_create(
            [
                Event.topics.through(event_id=event.pk, topic_id=topic_ids[slug])
                for event, item in zip(created, new, strict=True)
                for slug in item.topics
                if slug in topic_ids
            ],
            batch_size=5000,
        )
        if expert_ids:
            Event.speakers.through.objects.bulk_create(
                [
                    Event.speakers.through(event_id=event.pk, expert_id=expert_id)
                    for event, item in zip(created, new, strict=True)
                    for expert_id in rng.sample(expert_ids, min(item.speakers, len(expert_ids)))
                ],
                batch_size=5000,
            )
        sessions, session_speakers = [], []
        for event, item in zip(created, new, strict=True):
            if not item.agenda:
                continue
            for title_en, title_ru, day, hour, length in AGENDA:
                sessions.append(
                    Session(
                        event=event,
                        title_en=title_en,
                        title_ru=title_ru,
                        starts_at=event.starts_at + datetime.timedelta(days=day, hours=hour),
                        ends_at=event.starts_at + datetime.timedelta(days=day, hours=hour + length),
                    )
                )
        Session.objects.bulk_create(sessions)
        if expert_ids:
            for session in sessions:
                for expert_id in rng.sample(expert_ids, min(2, len(expert_ids))):
                    session_speakers.append(
                        Session.speakers.through(session_id=session.pk, expert_id=expert_id)
                    )
            Session.speakers.through.objects.bulk_create(session_speakers, batch_size=5000)
        registrations, attendances = [], []
        for event, item in zip(created, new, strict=True):
            count = min(item.registrations, len(member_ids))
            if not count or event.status == "draft":
                continue
            people = rng.sample(member_ids, count)
            for position, user_id in enumerate(people):
                confirmed = event.capacity is None or position < event.capacity
                registrations.append(
                    Registration(
                        event=event,
                        user_id=user_id,
                        status="confirmed" if confirmed else "waiting",
                        waiting_since=None
                        if confirmed
                        else now + datetime.timedelta(microseconds=position),
                    )
                )
                if (
                    confirmed
                    and event.ends_at < now
                    and event.status != "cancelled"
                    and rng.random() < 0.7
                ):
                    attendances.append(
                        Attendance(
                            event=event,
                            user_id=user_id,
                            minutes=rng.randint(30, 120),
                            source="import",
                        )
                    )
        Registration.objects.bulk_create(registrations, batch_size=5000, ignore_conflicts=True)
        Attendance.objects.bulk_create(attendances, batch_size=5000, ignore_conflicts=True)
    data_changed("events")  # bulk inserts send no signal
    return {"events": len(created), "registrations": len(registrations)}


def bench_urls() -> dict[str, str]:
    """The pages the benchmark measures: the list, and the event with the most registrations."""
    biggest = (
        Event.objects.exclude(status="draft")
        .annotate(registered=Count("registrations"))
        .order_by("-registered", "pk")
        .first()
    )
    return {
        "list": reverse("events:list"),
        "event": biggest.get_absolute_url() if biggest else "",
    }
