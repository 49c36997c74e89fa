"""How an event's times read: in the viewer's zone and in the event's own, side by side."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils.dateformat import format as date_format

DAY_AND_TIME = "j E Y, H:i"
TIME = "H:i"


def offset_label(moment: datetime.datetime) -> str:
    """UTC+05:00, UTC−03:30 or UTC."""
    offset = moment.utcoffset() or datetime.timedelta()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


# Names under which tzdata knows UTC itself; its offset label already says "UTC".
UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
    | {"GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "GMT+0", "GMT-0"}
    | {"Etc/Greenwich", "Greenwich"}
)


def zone_label(zone: str, offset: str) -> str:
    """“Asia/Tashkent, UTC+05:00”; UTC is named once: “UTC”, not “UTC, UTC”."""
    return offset if zone in UTC_NAMES else f"{zone}, {offset}"


def time_range(start: datetime.datetime, end: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """“12 March 2026, 13:00–15:00”, or both dates in full when the end falls on another day."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() == end.date():
        return f"{date_format(start, DAY_AND_TIME)}–{date_format(end, TIME)}"
    return f"{date_format(start, DAY_AND_TIME)} – {date_format(end, DAY_AND_TIME)}"


@dataclass(frozen=True)
class EventTimes:
    viewer: str
    viewer_zone: str
    viewer_offset: str
    event: str
    event_zone: str
    event_offset: str
    differ: bool

    @property
    def viewer_label(self) -> str:
        return zone_label(self.viewer_zone, self.viewer_offset)

    @property
    def event_label(self) -> str:
        return zone_label(self.event_zone, self.event_offset)


def event_times(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    event_zone: str,
    viewer_zone: zoneinfo.ZoneInfo,
) -> EventTimes:
    """The times in both zones; `differ` when the clocks of the two zones disagree at the start."""
    own = zoneinfo.ZoneInfo(event_zone)
    viewer_start, own_start = start.astimezone(viewer_zone), start.astimezone(own)
    return EventTimes(
        viewer=time_range(start, end, viewer_zone),
        viewer_zone=str(viewer_zone),
        viewer_offset=offset_label(viewer_start),
        event=time_range(start, end, own),
        event_zone=event_zone,
        event_offset=offset_label(own_start),
        differ=viewer_start.utcoffset() != own_start.utcoffset(),
    )
