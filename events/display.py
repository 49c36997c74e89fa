"""How an event's times read: in the viewer's zone and in the event's own, side by side."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils.dateformat import format as date_format

from mirpal.timezones import offset_label as zone_offset_label
from mirpal.timezones import zone_label

DAY_AND_TIME = "j E Y, H:i"
TIME = "H:i"


def offset_label(moment: datetime.datetime) -> str:
    """UTC+5, UTC+5:30, UTC−3 (the offset in force at that moment)."""
    return zone_offset_label(moment.utcoffset())


def time_range(start: datetime.datetime, end: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """“12 March 2026, 13:00–15:00”, or both dates in full when the end falls on another day."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() == end.date():
        return f"{date_format(start, DAY_AND_TIME)}–{date_format(end, TIME)}"
    return f"{date_format(start, DAY_AND_TIME)} – {date_format(end, DAY_AND_TIME)}"


@dataclass(frozen=True)
class EventTimes:
    """`viewer_zone` and `event_zone` are the zones as people name them, in the language active
    when the times were made, with the offset in force when the event starts: “Bishkek time,
    UTC+6”."""

    viewer: str
    viewer_zone: str
    viewer_offset: str
    event: str
    event_zone: str
    event_offset: str
    differ: bool

    @property
    def viewer_label(self) -> str:
        return self.viewer_zone

    @property
    def event_label(self) -> str:
        return self.event_zone


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
        viewer_zone=zone_label(viewer_zone, at=start),
        viewer_offset=offset_label(viewer_start),
        event=time_range(start, end, own),
        event_zone=zone_label(own, at=start),
        event_offset=offset_label(own_start),
        differ=viewer_start.utcoffset() != own_start.utcoffset(),
    )
