"""Reading event mail as it arrived in the SMTP sink: the text, and the .ics read by two parsers."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import icalendar

from events import audiences, services
from events.mail import invitations
from tests.events import rfc5545
from tests.smtp import SmtpSink


@dataclass
class Ics:
    raw: bytes
    content_type: str
    method_param: str | None
    lib: icalendar.Calendar  # as the icalendar package reads it
    strict: rfc5545.Component  # as the strict line parser reads it

    @property
    def vevent(self) -> icalendar.Event:
        (vevent,) = self.lib.walk("VEVENT")
        return vevent

    @property
    def strict_vevent(self) -> rfc5545.Component:
        (vevent,) = self.strict.walk("VEVENT")
        return vevent


def read_ics(raw: bytes) -> tuple[icalendar.Calendar, rfc5545.Component]:
    return icalendar.Calendar.from_ical(raw), rfc5545.parse(raw)


def ics_of(message: EmailMessage) -> Ics:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    raw = part.get_payload(decode=True)
    lib, strict = read_ics(raw)
    return Ics(raw, part.get_content_type(), part.get_param("method"), lib, strict)


def text_of(message: EmailMessage) -> str:
    return SmtpSink.text(message)


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


def invite_everyone(event) -> invitations.InviteResult:
    """Invite every approved member as the secretariat's click does, and write the invitations
    as the worker would after the commit."""
    result = services.event_invite(event=event, audience=audiences.Audience(kind="all"), by=None)
    if result.run is not None:
        invitations.invitation_run_write(run_id=result.run.pk)
    return result
