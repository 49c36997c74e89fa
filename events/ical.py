"""iCalendar (RFC 5545) output: one event's .ics file and a member's personal feed.

Times are written in UTC (DTSTART:...Z), which every client converts to its own zone without
needing a VTIMEZONE. UIDs are stable (event-<pk>@<site host>) and SEQUENCE comes from the event,
so a client that imported an earlier copy replaces it. The public .ics never holds the join link;
the personal feed holds it only for the member who may see it, and only once it is due.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.enums import EventStatus, RegistrationStatus
from events.models import Event, Registration
from events.selectors import join_link_access

PRODID = "-//MIRPAL//Events//EN"


def alarm_before() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.EVENTS_ICS_ALARM_MINUTES)


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "mirpal.example"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{site_host()}"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _location(event: Event, *, join_url: str) -> str:
    if event.venue_city:
        parts = [event.venue_address, event.venue_city, event.get_venue_country_display()]
        return ", ".join(part for part in parts if part)
    if join_url:
        return join_url
    return event.get_platform_display() or ""


def _vevent(
    event: Event,
    *,
    now: datetime.datetime,
    join_url: str = "",
    passcode: str = "",
    tentative: bool = False,
) -> icalendar.Event:
    page = settings.SITE_URL + event.get_absolute_url()
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(now))
    vevent.add("last-modified", _utc(event.updated_at or now))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", event.title)
    lines = [event.description] if event.description else []
    if event.is_cancelled:
        lines.insert(0, _("This event has been cancelled."))
        if event.cancellation_reason:
            lines.insert(1, event.cancellation_reason)
    if join_url:
        lines.append(_("Join: %(url)s") % {"url": join_url})
    if passcode:
        lines.append(_("Passcode: %(passcode)s") % {"passcode": passcode})
    lines.append(page)
    vevent.add("description", "\n\n".join(lines))
    vevent.add("url", page)
    location = _location(event, join_url=join_url)
    if location:
        vevent.add("location", location)
    if event.is_cancelled:
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "TENTATIVE" if tentative else "CONFIRMED")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", -alarm_before())
        vevent.add_component(alarm)
    return vevent


def _calendar(name: str, *, method: str | None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def event_ics(event: Event, *, language: str, now: datetime.datetime | None = None) -> bytes:
    """The public .ics of one event: no join link or passcode, whoever downloads it."""
    now = now or timezone.now()
    with translation.override(language):
        method = "CANCEL" if event.is_cancelled else "PUBLISH"
        cal = _calendar(event.title, method=method)
        vevent = _vevent(event, now=now)
        if event.is_cancelled:
            # RFC 5546: a CANCEL names its organizer, so clients accept the removal.
            vevent.add(
                "organizer", "mailto:" + settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">")
            )
        cal.add_component(vevent)
        return cal.to_ical()


def feed_ics(
    registrations: list[Registration],
    *,
    user,
    language: str,
    now: datetime.datetime | None = None,
) -> bytes:
    """A member's personal feed: the events they registered for (the wait list as tentative).
    It is secret to the member, so it carries the join link for confirmed places once due."""
    now = now or timezone.now()
    with translation.override(language):
        cal = _calendar(_("MIRPAL: my events"), method=None)
        cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
        for registration in registrations:
            event = registration.event
            access = join_link_access(event=event, viewer=user, registration=registration, now=now)
            cal.add_component(
                _vevent(
                    event,
                    now=now,
                    join_url=event.join_url if access.visible else "",
                    passcode=event.passcode if access.visible else "",
                    tentative=registration.status == RegistrationStatus.WAITING
                    and event.status != EventStatus.CANCELLED,
                )
            )
        return cal.to_ical()
