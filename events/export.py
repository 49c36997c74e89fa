"""Registrations and the wait list as CSV for the secretariat; the email column only for staff who
may see members' addresses (members.permissions), the others get the same file without it."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

from events.models import Registration
from mirpal.spreadsheets import spreadsheet_cell

HEADER = [
    "event",
    "event_starts_utc",
    "status",
    "waiting_since_utc",
    "registered_utc",
    "first_name",
    "last_name",
    "email",
    "country",
    "organisation",
    "organisation_type",
    "attended",
]


def _utc(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


def registration_csv_rows(
    registrations: Iterable[Registration], attended: set[tuple[int, int]], *, show_emails: bool
) -> Iterable[list[str]]:
    email_at = HEADER.index("email")
    yield [name for name in HEADER if show_emails or name != "email"]
    for registration in registrations:
        user, event = registration.user, registration.event
        profile = getattr(user, "profile", None)
        row = [
            spreadsheet_cell(value)
            for value in (
                event.title_en,
                _utc(event.starts_at),
                registration.status,
                _utc(registration.waiting_since),
                _utc(registration.created_at),
                user.first_name,
                user.last_name,
                user.email,
                profile.country if profile else "",
                profile.organisation if profile else "",
                profile.organisation_type if profile else "",
                "yes" if (event.pk, user.pk) in attended else "no",
            )
        ]
        if not show_emails:
            del row[email_at]
        yield row


def registrations_csv_response(
    registrations: Iterable[Registration], attended: set[tuple[int, int]], *, show_emails: bool
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="registrations-{timezone.now():%Y%m%d-%H%M}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 (Cyrillic names) only with the BOM
    writer = csv.writer(response)
    for row in registration_csv_rows(registrations, attended, show_emails=show_emails):
        writer.writerow(row)
    return response
