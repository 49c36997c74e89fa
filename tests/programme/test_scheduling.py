"""The flags and the ranking of a scheduling poll's slots (programme.scheduling), for invitees in
Chisinau, Moscow (two) and Bishkek. Each slot's local times and holidays are worked out in the
comments; the test recomputes the local times with zoneinfo, so a mistake there shows too.

Moldova is UTC+3 in summer (27 March to 30 October 2027) and UTC+2 in winter; Moscow is UTC+3
and Bishkek UTC+6 all year."""

import datetime
import zoneinfo
from typing import NamedTuple

import pytest
from django.utils import translation

from programme.scheduling import Invitee, local_flags, rank_slots, slot_flags

UTC = datetime.UTC
NINETY = datetime.timedelta(minutes=90)


class S(NamedTuple):
    id: int
    starts_at: datetime.datetime


# Thursday 4 November 2027, 07:00 UTC: Chisinau 09:00, Moscow 10:00, Bishkek 13:00; Unity Day
# is a public holiday in Russia.
UNITY_DAY = S(1, datetime.datetime(2027, 11, 4, 7, tzinfo=UTC))
# Tuesday 9 November 2027, 06:00 UTC: Chisinau 08:00 (too early), Moscow 09:00, Bishkek 12:00.
EARLY_IN_CHISINAU = S(2, datetime.datetime(2027, 11, 9, 6, tzinfo=UTC))
# Tuesday 8 June 2027, 13:00 UTC: Chisinau and Moscow 16:00–17:30, Bishkek 19:00 (too late).
LATE_IN_BISHKEK = S(3, datetime.datetime(2027, 6, 8, 13, tzinfo=UTC))
# Wednesday 9 June 2027, 06:00 UTC: Chisinau and Moscow 09:00–10:30, Bishkek 12:00: no flag.
GOOD_JUNE = S(4, datetime.datetime(2027, 6, 9, 6, tzinfo=UTC))
# Tuesday 31 August 2027, 07:00 UTC: National Language Day in Moldova and Independence Day in
# Kyrgyzstan; Chisinau and Moscow 10:00, Bishkek 13:00.
TWO_HOLIDAYS = S(5, datetime.datetime(2027, 8, 31, 7, tzinfo=UTC))
# Wednesday 10 November 2027, 07:00 UTC: Chisinau 09:00, Moscow 10:00, Bishkek 13:00: no flag.
GOOD_NOVEMBER = S(6, datetime.datetime(2027, 11, 10, 7, tzinfo=UTC))
SLOTS = [UNITY_DAY, EARLY_IN_CHISINAU, LATE_IN_BISHKEK, GOOD_JUNE, TWO_HOLIDAYS, GOOD_NOVEMBER]

CHISINAU = Invitee(user_id=10, country="MD", zone="Europe/Chisinau")
MOSCOW_1 = Invitee(user_id=20, country="RU", zone="Europe/Moscow")
MOSCOW_2 = Invitee(user_id=21, country="RU", zone="Europe/Moscow")
BISHKEK = Invitee(user_id=30, country="KG", zone="Asia/Bishkek")
INVITEES = [CHISINAU, MOSCOW_1, MOSCOW_2, BISHKEK]


def local(slot: S, zone: str) -> str:
    return f"{slot.starts_at.astimezone(zoneinfo.ZoneInfo(zone)):%a %H:%M}"


def test_the_local_times_in_the_comments_are_right():
    assert [local(slot, "Europe/Chisinau") for slot in SLOTS] == [
        "Thu 09:00",
        "Tue 08:00",
        "Tue 16:00",
        "Wed 09:00",
        "Tue 10:00",
        "Wed 09:00",
    ]
    assert [local(slot, "Europe/Moscow") for slot in SLOTS] == [
        "Thu 10:00",
        "Tue 09:00",
        "Tue 16:00",
        "Wed 09:00",
        "Tue 10:00",
        "Wed 10:00",
    ]
    assert [local(slot, "Asia/Bishkek") for slot in SLOTS] == [
        "Thu 13:00",
        "Tue 12:00",
        "Tue 19:00",
        "Wed 12:00",
        "Tue 13:00",
        "Wed 13:00",
    ]


def flags_of(slot: S) -> list[tuple[str, str, bool, bool]]:
    return [
        (flag.country, flag.holiday, flag.weekend, flag.outside_hours)
        for flag in slot_flags(slot.starts_at, NINETY, INVITEES)
    ]


def test_each_slot_is_flagged_by_country():
    assert flags_of(UNITY_DAY) == [
        ("KG", "", False, False),
        ("MD", "", False, False),
        ("RU", "Unity Day", False, False),
    ]
    assert flags_of(EARLY_IN_CHISINAU) == [
        ("KG", "", False, False),
        ("MD", "", False, True),
        ("RU", "", False, False),
    ]
    assert flags_of(LATE_IN_BISHKEK) == [
        ("KG", "", False, True),
        ("MD", "", False, False),
        ("RU", "", False, False),
    ]
    assert flags_of(GOOD_JUNE) == [
        ("KG", "", False, False),
        ("MD", "", False, False),
        ("RU", "", False, False),
    ]
    assert flags_of(TWO_HOLIDAYS) == [
        ("KG", "Independence Day", False, False),
        ("MD", "National Language Day", False, False),
        ("RU", "", False, False),
    ]


def test_holiday_names_follow_the_page_language_where_the_package_has_russian():
    with translation.override("ru"):
        flags = slot_flags(TWO_HOLIDAYS.starts_at, NINETY, INVITEES)
        unity = slot_flags(UNITY_DAY.starts_at, NINETY, INVITEES)
    assert [flag.holiday for flag in flags] == [
        "День независимости Кыргызской Республики",
        # The package has no Russian names for Moldova's holidays: English, then.
        "National Language Day",
        "",
    ]
    assert unity[2].holiday == "День народного единства"


@pytest.mark.parametrize(
    ("starts", "minutes", "outside"),
    [
        # Moscow: 09:00–10:30 is inside; 16:30–18:00 ends at the closing hour, still inside.
        (datetime.datetime(2027, 6, 9, 6, tzinfo=UTC), 90, False),
        (datetime.datetime(2027, 6, 9, 13, 30, tzinfo=UTC), 90, False),
        # 16:31–18:01 ends after 18:00; 08:59 starts before 9:00.
        (datetime.datetime(2027, 6, 9, 13, 31, tzinfo=UTC), 90, True),
        (datetime.datetime(2027, 6, 9, 5, 59, tzinfo=UTC), 90, True),
        # 23:00 to 00:30 the next day runs past midnight.
        (datetime.datetime(2027, 6, 9, 20, tzinfo=UTC), 90, True),
    ],
)
def test_working_hours_are_9_to_18_local(starts, minutes, outside):
    _, _, _, flagged = local_flags(
        starts, datetime.timedelta(minutes=minutes), country="RU", zone="Europe/Moscow"
    )
    assert flagged is outside


def test_a_slot_ending_on_a_holiday_is_flagged_and_weekends_are_marked():
    # Wednesday 3 November 2027, 23:00 Moscow (20:00 UTC) to 00:30 on Unity Day.
    when, holiday, weekend, outside = local_flags(
        datetime.datetime(2027, 11, 3, 20, tzinfo=UTC), NINETY, country="RU", zone="Europe/Moscow"
    )
    assert (holiday, weekend, outside) == ("Unity Day", False, True)
    assert when.ends_at.date() == datetime.date(2027, 11, 4)
    # Saturday 5 June 2027, 10:00 in Bishkek.
    _, holiday, weekend, outside = local_flags(
        datetime.datetime(2027, 6, 5, 4, tzinfo=UTC), NINETY, country="KG", zone="Asia/Bishkek"
    )
    assert (holiday, weekend, outside) == ("", True, False)


def test_ukraine_lists_no_holidays_while_martial_law_suspends_them():
    # 24 August, Independence Day, would otherwise be one (a Tuesday in 2027).
    _, holiday, _, _ = local_flags(
        datetime.datetime(2027, 8, 24, 7, tzinfo=UTC), NINETY, country="UA", zone="Europe/Kyiv"
    )
    assert holiday == ""


ANSWERS = {
    # The good June slot: Chisinau yes, Moscow yes and if need be, Bishkek if need be.
    (GOOD_JUNE.id, CHISINAU.user_id): "yes",
    (GOOD_JUNE.id, MOSCOW_1.user_id): "yes",
    (GOOD_JUNE.id, MOSCOW_2.user_id): "maybe",
    (GOOD_JUNE.id, BISHKEK.user_id): "maybe",
    # The good November slot: everyone yes but Bishkek, who cannot.
    (GOOD_NOVEMBER.id, CHISINAU.user_id): "yes",
    (GOOD_NOVEMBER.id, MOSCOW_1.user_id): "yes",
    (GOOD_NOVEMBER.id, MOSCOW_2.user_id): "yes",
    (GOOD_NOVEMBER.id, BISHKEK.user_id): "no",
    # Unity Day: Chisinau and Bishkek yes; the Muscovites have not answered (a holiday for them).
    (UNITY_DAY.id, CHISINAU.user_id): "yes",
    (UNITY_DAY.id, BISHKEK.user_id): "yes",
    # Early in Chisinau: one Muscovite yes; the others have not answered.
    (EARLY_IN_CHISINAU.id, MOSCOW_1.user_id): "yes",
    # Late in Bishkek: everyone if need be, Bishkek too (an answer outweighs the flag).
    (LATE_IN_BISHKEK.id, CHISINAU.user_id): "maybe",
    (LATE_IN_BISHKEK.id, MOSCOW_1.user_id): "maybe",
    (LATE_IN_BISHKEK.id, MOSCOW_2.user_id): "maybe",
    (LATE_IN_BISHKEK.id, BISHKEK.user_id): "maybe",
    # The two holidays: nobody has answered.
}


def test_the_ranking_leaves_no_country_out_first():
    ranked = rank_slots(SLOTS, INVITEES, ANSWERS, duration_minutes=90)
    assert [(row.rank, row.slot.id) for row in ranked] == [
        # No country left out; the worst-off country (Bishkek) at 0.5, total 1 + 0.75 + 0.5.
        (1, GOOD_JUNE.id),
        # No country left out; every country at 0.5, total 1.5.
        (2, LATE_IN_BISHKEK.id),
        # One country left out each (Bishkek said no; Russia on its holiday; Chisinau too
        # early); the November slot and Unity Day both total 2, the unflagged one first.
        (3, GOOD_NOVEMBER.id),
        (4, UNITY_DAY.id),
        # Russia 0.75 (yes, and one unanswered at 0.5), Kyrgyzstan 0.5: total 1.25.
        (5, EARLY_IN_CHISINAU.id),
        # Two countries left out (each on a holiday, nobody answered).
        (6, TWO_HOLIDAYS.id),
    ]
    summary = {
        row.slot.id: (
            row.left_out,
            row.worst_share,
            row.total,
            {line.country: line.share for line in row.attendance},
        )
        for row in ranked
    }
    assert summary == {
        GOOD_JUNE.id: ((), 0.5, 2.25, {"KG": 0.5, "MD": 1.0, "RU": 0.75}),
        LATE_IN_BISHKEK.id: ((), 0.5, 1.5, {"KG": 0.5, "MD": 0.5, "RU": 0.5}),
        GOOD_NOVEMBER.id: (("KG",), 0.0, 2.0, {"KG": 0.0, "MD": 1.0, "RU": 1.0}),
        UNITY_DAY.id: (("RU",), 0.0, 2.0, {"KG": 1.0, "MD": 1.0, "RU": 0.0}),
        EARLY_IN_CHISINAU.id: (("MD",), 0.0, 1.25, {"KG": 0.5, "MD": 0.0, "RU": 0.75}),
        TWO_HOLIDAYS.id: (("KG", "MD"), 0.0, 0.5, {"KG": 0.0, "MD": 0.0, "RU": 0.5}),
    }


def test_a_tie_is_broken_by_the_start_then_the_id():
    later = S(7, GOOD_JUNE.starts_at + datetime.timedelta(hours=1))
    twin = S(3, GOOD_JUNE.starts_at)
    ranked = rank_slots([later, GOOD_JUNE, twin], INVITEES, {}, duration_minutes=90)
    assert [row.slot.id for row in ranked] == [twin.id, GOOD_JUNE.id, later.id]
