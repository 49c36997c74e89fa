"""When a proposed slot suits the invited countries, and which slot to choose: pure functions,
no database.

Flags. For each invited country, a slot is looked at in the local time of each of its invitees'
zones (a large country may have several):
- a public holiday: the slot's local start or end falls on a day the `holidays` package lists
  for that country (its name is shown);
- a weekend: the local start or end falls on a Saturday or Sunday;
- outside working hours: it starts before 9:00 or ends after 18:00 local time (or runs past
  midnight).
The `holidays` package lists no holidays for Ukraine while martial law suspends them, so a slot is
never flagged as a Ukrainian holiday.

Ranking ("no country is left out"). Each invitee counts as: yes 1, if need be 0.5, no 0; not
answered yet 0 if the slot is flagged in their zone (holiday, weekend, outside hours), else 0.5.
A country's share is the mean of its invitees' counts, so a country with one invitee weighs as
much as one with ten. A country is left out of a slot when its share is 0. Slots are ordered by:
1. fewest countries left out;
2. highest share of the worst-off country;
3. highest sum of the countries' shares (the weighted attendance);
4. fewest countries with a flag;
5. earliest start (then the slot's id), so the order is always the same.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import holidays
from django.utils import translation

from programme.enums import SlotAnswer

WORKDAY_START = datetime.time(9, 0)
WORKDAY_END = datetime.time(18, 0)
# Counts of each answer; an invitee who has not answered counts by the slot's flags.
ANSWER_WEIGHT = {SlotAnswer.YES: 1.0, SlotAnswer.IF_NEED_BE: 0.5, SlotAnswer.NO: 0.0}
UNANSWERED_FREE = 0.5
UNANSWERED_FLAGGED = 0.0
# Countries whose holidays the package does not list: Ukraine while martial law suspends them.
HOLIDAYS_SUSPENDED = frozenset({"UA"})


@dataclass(frozen=True)
class Invitee:
    user_id: int
    country: str  # ISO code as stored on the profile ("XX" for none of the nine)
    zone: str  # IANA name


@dataclass(frozen=True)
class LocalTime:
    zone: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True)
class CountryFlags:
    """How a slot falls in one invited country, over its invitees' zones."""

    country: str
    holiday: str  # the holiday's name(s), "" when none
    weekend: bool
    outside_hours: bool
    local_times: tuple[LocalTime, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.holiday) or self.weekend or self.outside_hours


@dataclass(frozen=True)
class CountryAttendance:
    country: str
    invited: int
    yes: int
    if_need_be: int
    no: int
    unanswered: int
    share: float  # 0..1


@dataclass(frozen=True)
class SlotRank:
    slot: object
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    flags: tuple[CountryFlags, ...]  # by country code
    attendance: tuple[CountryAttendance, ...]  # by country code
    left_out: tuple[str, ...]  # countries whose share is 0
    worst_share: float
    total: float  # the sum of the countries' shares
    rank: int = 0

    @property
    def flagged(self) -> tuple[CountryFlags, ...]:
        return tuple(flag for flag in self.flags if flag.flagged)

    @property
    def sort_key(self) -> tuple:
        return (
            len(self.left_out),
            -self.worst_share,
            -self.total,
            len(self.flagged),
            self.starts_at,
            getattr(self.slot, "id", 0) or 0,
        )


def _holiday_language(country: str, language: str) -> str | None:
    """The holiday names' language: Russian where the package has it, else English."""
    cls = holidays.country_holidays(country).__class__
    supported = getattr(cls, "supported_languages", ()) or ()
    if language.startswith("ru"):
        for candidate in ("ru", f"ru_{country}"):
            if candidate in supported:
                return candidate
    return "en_US" if "en_US" in supported else None


@lru_cache(maxsize=256)
def _holidays(country: str, year: int, language: str) -> Mapping[datetime.date, str]:
    try:
        found = holidays.country_holidays(
            country, years=year, language=_holiday_language(country, language)
        )
    except NotImplementedError:  # "XX": none of the nine countries
        return {}
    return dict(found)


def holiday_name(country: str, day: datetime.date, *, language: str | None = None) -> str:
    """The public holiday on that local day in that country, "" when none; named in Russian on
    Russian pages where the package has Russian names, else in English."""
    language = language or translation.get_language() or "en"
    return _holidays(country, day.year, "ru" if language.startswith("ru") else "en").get(day, "")


def local_flags(
    starts_at: datetime.datetime, duration: datetime.timedelta, *, country: str, zone: str
) -> tuple[LocalTime, str, bool, bool]:
    """(local times, holiday name, weekend, outside working hours) of a slot in one zone."""
    tz = zoneinfo.ZoneInfo(zone)
    start = starts_at.astimezone(tz)
    end = (starts_at + duration).astimezone(tz)
    days = [start.date()] if end.date() == start.date() else [start.date(), end.date()]
    names = [holiday_name(country, day) for day in days]
    holiday = "; ".join(dict.fromkeys(name for name in names if name))
    weekend = any(day.weekday() >= 5 for day in days)
    closing = datetime.datetime.combine(start.date(), WORKDAY_END, tzinfo=tz)
    outside = start.time() < WORKDAY_START or end > closing
    return LocalTime(zone=zone, starts_at=start, ends_at=end), holiday, weekend, outside


def slot_flags(
    starts_at: datetime.datetime, duration: datetime.timedelta, invitees: Iterable[Invitee]
) -> tuple[CountryFlags, ...]:
    """Per invited country (by code): the holiday, weekend and working-hours flags of a slot,
    over the zones of that country's invitees."""
    zones: dict[str, list[str]] = defaultdict(list)
    for invitee in invitees:
        if invitee.zone not in zones[invitee.country]:
            zones[invitee.country].append(invitee.zone)
    result = []
    for country in sorted(zones):
        local, holiday_names, weekend, outside = [], [], False, False
        for zone in sorted(zones[country]):
            when, holiday, is_weekend, is_outside = local_flags(
                starts_at, duration, country=country, zone=zone
            )
            local.append(when)
            if holiday and holiday not in holiday_names:
                holiday_names.append(holiday)
            weekend, outside = weekend or is_weekend, outside or is_outside
        result.append(
            CountryFlags(
                country=country,
                holiday="; ".join(holiday_names),
                weekend=weekend,
                outside_hours=outside,
                local_times=tuple(local),
            )
        )
    return tuple(result)


def _zone_flagged(starts_at, duration, invitee: Invitee) -> bool:
    _, holiday, weekend, outside = local_flags(
        starts_at, duration, country=invitee.country, zone=invitee.zone
    )
    return bool(holiday) or weekend or outside


def slot_rank(
    slot, *, duration: datetime.timedelta, invitees: list[Invitee], answers: Mapping
) -> SlotRank:
    """One slot's flags and attendance; `answers` maps (slot id, user id) to a SlotAnswer."""
    starts_at = slot.starts_at
    by_country: dict[str, list[Invitee]] = defaultdict(list)
    for invitee in invitees:
        by_country[invitee.country].append(invitee)
    attendance = []
    for country in sorted(by_country):
        counts = dict.fromkeys(("yes", "maybe", "no", "none"), 0)
        total = 0.0
        for invitee in by_country[country]:
            answer = answers.get((slot.id, invitee.user_id))
            if answer in ANSWER_WEIGHT:
                counts[answer] += 1
                total += ANSWER_WEIGHT[answer]
            else:
                counts["none"] += 1
                flagged = _zone_flagged(starts_at, duration, invitee)
                total += UNANSWERED_FLAGGED if flagged else UNANSWERED_FREE
        attendance.append(
            CountryAttendance(
                country=country,
                invited=len(by_country[country]),
                yes=counts["yes"],
                if_need_be=counts["maybe"],
                no=counts["no"],
                unanswered=counts["none"],
                share=total / len(by_country[country]),
            )
        )
    shares = [row.share for row in attendance]
    return SlotRank(
        slot=slot,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        flags=slot_flags(starts_at, duration, invitees),
        attendance=tuple(attendance),
        left_out=tuple(row.country for row in attendance if row.share == 0),
        worst_share=min(shares, default=0.0),
        total=sum(shares),
    )


def rank_slots(
    slots: Iterable, invitees: Iterable[Invitee], answers: Mapping, *, duration_minutes: int
) -> list[SlotRank]:
    """The slots (objects with `id` and an aware `starts_at`), best first, numbered from 1,
    by the rule in this module's docstring."""
    duration = datetime.timedelta(minutes=duration_minutes)
    people = list(invitees)
    ranked = sorted(
        (slot_rank(slot, duration=duration, invitees=people, answers=answers) for slot in slots),
        key=lambda row: row.sort_key,
    )
    return [replace(row, rank=number) for number, row in enumerate(ranked, start=1)]
