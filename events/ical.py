"""iCalendar (RFC 5545) output: one event's .ics file, the .ics of each mail, a member's feed.

Times are written in UTC (DTSTART:...Z), which every client converts to its own zone without
needing a VTIMEZONE. UIDs are stable (event-<pk>@<site host>) and SEQUENCE comes from the event,
so a client that imported an earlier copy replaces it; at an equal SEQUENCE the later DTSTAMP wins.

What Outlook, Google Calendar and Apple Calendar act on, per RFC 5546 (iTIP) and RFC 6047 (iMIP):
- The file in a mail is a scheduling message to that member: METHOD:REQUEST to add or update the
  event, METHOD:CANCEL to remove it, with the secretariat as ORGANIZER and the member as ATTENDEE
  (RSVP=FALSE: answers go through the signed links, nobody reads replies to the calendar). The
  mail part says the same method (text/calendar; method=REQUEST). A CANCEL carries STATUS:CANCELLED
  when the event is cancelled, and no STATUS when only this member's place is (3.2.5).
- The file on the event page and the partners' feed are METHOD:PUBLISH: an ORGANIZER and no
  ATTENDEE (3.2.1); a cancelled event stays PUBLISH with STATUS:CANCELLED, as a CANCEL must name
  the attendees it removes. The personal feed is a plain calendar without METHOD.
The public .ics and the files in mails never hold the join link; the personal feed holds it only
for the member who may see it, and only once it is due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar.parser import Contentline

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


def organizer() -> icalendar.vCalAddress:
    """The secretariat, who organises every event: the address the platform's mail comes from."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    value = icalendar.vCalAddress(f"mailto:{address}")
    value.params["CN"] = name or "MIRPAL"
    return value


@dataclass(frozen=True)
class Attendee:
    """The member a mailed .ics is addressed to. PARTSTAT: NEEDS-ACTION (invited, no answer),
    ACCEPTED (a confirmed place), TENTATIVE (on the wait list), or None in a CANCEL."""

    email: str
    name: str
    partstat: str | None = "NEEDS-ACTION"

    def content_line(self) -> bytes:
        value = icalendar.vCalAddress(f"mailto:{self.email}")
        value.params["CN"] = self.name or self.email
        if self.partstat:
            value.params["PARTSTAT"] = self.partstat
            value.params["RSVP"] = "FALSE"
        return Contentline.from_parts("ATTENDEE", value.params, value).to_ical() + b"\r\n"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _location(event: Event, *, join_url: str) -> str:
    if event.venue_city:
        parts = [event.venue_address, event.venue_city_name, event.get_venue_country_display()]
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
    removal: bool = False,
) -> icalendar.Event:
    """The event as a VEVENT; `removal` leaves out STATUS and the alarm (a CANCEL that takes one
    member's place away from an event that still takes place)."""
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
    vevent.add("organizer", organizer())
    if event.is_cancelled:
        vevent.add("status", "CANCELLED")
    elif not removal:
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
    """The public .ics of one event (METHOD:PUBLISH): no join link or passcode, whoever downloads
    it; a cancelled event as STATUS:CANCELLED."""
    now = now or timezone.now()
    with translation.override(language):
        cal = _calendar(event.title, method="PUBLISH")
        cal.add_component(_vevent(event, now=now))
        return cal.to_ical()


def mail_method(event: Event, *, removal: bool = False) -> str:
    return "CANCEL" if event.is_cancelled or removal else "REQUEST"


class MailCalendars:
    """The .ics of each mail about events, addressed to its member. The file is built once per
    event revision, language and method; only the ATTENDEE line differs between members, so a
    fan-out to thousands builds a handful of files."""

    def __init__(self, now: datetime.datetime | None = None):
        self.now = now or timezone.now()
        self._built: dict[tuple, tuple[bytes, bytes]] = {}

    def _halves(self, event: Event, language: str, removal: bool) -> tuple[bytes, bytes]:
        key = (event.pk, event.sequence, event.status, language, removal)
        if key not in self._built:
            with translation.override(language):
                cal = _calendar(event.title, method=mail_method(event, removal=removal))
                cal.add_component(_vevent(event, now=self.now, removal=removal))
                content = cal.to_ical()
            # RFC 5545 puts every property of a VEVENT before its VALARM.
            marker = b"BEGIN:VALARM\r\n" if b"BEGIN:VALARM\r\n" in content else b"END:VEVENT\r\n"
            before, after = content.split(marker, 1)
            self._built[key] = (before, marker + after)
        return self._built[key]

    def ics(
        self, event: Event, *, language: str, attendee: Attendee, removal: bool = False
    ) -> bytes:
        before, after = self._halves(event, language, removal)
        return before + attendee.content_line() + after


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
