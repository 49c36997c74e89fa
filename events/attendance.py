"""Attendance: the secretariat marks who was there, or imports a video platform's participant
report (Zoom, Teams, Webex...), checked row by row before anything is saved."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events.enums import AttendanceSource
from events.errors import EventError
from events.models import Attendance, Event
from members.models import User


@transaction.atomic
def attendance_mark(
    *,
    event: Event,
    users: list[User],
    by: User | None,
    source: str = AttendanceSource.MANUAL,
    minutes: dict[int, int | None] | None = None,
) -> int:
    """Mark these people as present; marking someone twice updates their row. Returns the count."""
    minutes = minutes or {}
    for user in users:
        Attendance.objects.update_or_create(
            event=event,
            user=user,
            defaults={"source": source, "marked_by": by, "minutes": minutes.get(user.pk)},
        )
    return len(users)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class AttendanceImportError(EventError):
    def __init__(self, errors: list[RowError]):
        super().__init__(_("Nothing was imported: fix the rows listed and upload the file again."))
        self.errors = errors


EMAIL_HEADERS = ("email", "user email", "e-mail", "attendee email", "participant email")
MINUTES_HEADERS = ("duration (minutes)", "duration (mins)", "duration", "minutes", "time in call")
# No video meeting lasts a week; the cap also keeps each person's sum inside the integer column.
ATTENDANCE_MINUTES_MAX = 7 * 24 * 60


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [name.strip().lower().lstrip("\ufeff") for name in header]
    for name in names:
        if name in cleaned:
            return cleaned.index(name)
    return None


def attendance_import_csv(*, event: Event, content: bytes, by: User | None) -> int:
    """Import attendance from a video platform's participant report (Zoom, Teams, Webex...).

    The file needs an email column and may have a duration in minutes; rows of the same person
    (people who rejoined) add up. Every row is checked first: if any row is wrong, nothing is
    saved and AttendanceImportError lists each bad row by its line number.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AttendanceImportError([RowError(0, _("The file is not UTF-8 text."))]) from error
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise AttendanceImportError([RowError(0, _("The file is empty."))])
    email_at = _column(rows[0], EMAIL_HEADERS)
    minutes_at = _column(rows[0], MINUTES_HEADERS)
    if email_at is None:
        raise AttendanceImportError(
            [RowError(1, _("No email column: the first row must name a column “Email”."))]
        )
    errors: list[RowError] = []
    found: dict[str, int | None] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        email = row[email_at].strip().lower() if email_at < len(row) else ""
        if not email or "@" not in email:
            errors.append(
                RowError(line, _("“%(value)s” is not an email address.") % {"value": email})
            )
            continue
        duration = None
        if minutes_at is not None and minutes_at < len(row) and row[minutes_at].strip():
            value = row[minutes_at].strip()
            try:
                duration = int(float(value.replace(",", ".")))
                if duration < 0:
                    raise ValueError
            except (ValueError, OverflowError):  # OverflowError: "inf", "1e400"
                errors.append(
                    RowError(line, _("“%(value)s” is not a number of minutes.") % {"value": value})
                )
                continue
            if (found.get(email) or 0) + duration > ATTENDANCE_MINUTES_MAX:
                errors.append(
                    RowError(
                        line,
                        _(
                            "“%(value)s” minutes would make this participant present for more "
                            "than a week: check the duration column."
                        )
                        % {"value": value},
                    )
                )
                continue
        if email in found and duration is not None:
            found[email] = (found[email] or 0) + duration
        else:
            found.setdefault(email, duration)
    users = {user.email.lower(): user for user in User.objects.filter(email__in=list(found))}
    for line, row in enumerate(rows[1:], start=2):
        if email_at < len(row):
            email = row[email_at].strip().lower()
            if email in found and email not in users:
                errors.append(
                    RowError(line, _("No member has the address %(email)s.") % {"email": email})
                )
    if errors:
        raise AttendanceImportError(sorted(errors, key=lambda error: error.line))
    if not found:
        raise AttendanceImportError([RowError(2, _("The file has no participants."))])
    with transaction.atomic():
        try:
            return attendance_mark(
                event=event,
                users=[users[email] for email in found],
                by=by,
                source=AttendanceSource.IMPORT,
                minutes={users[email].pk: value for email, value in found.items()},
            )
        except IntegrityError as error:  # pragma: no cover - the checks above prevent it
            raise AttendanceImportError([RowError(0, str(error))]) from error
