"""The roster as CSV for the secretariat, contact details included; the member account's email
address only for staff who may see members' addresses (members.permissions)."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

from members.roster.models import Expert
from mirpal.spreadsheets import spreadsheet_cell

HEADER = [
    "id",
    "name_en",
    "name_ru",
    "title_en",
    "affiliation_en",
    "topics",
    "countries",
    "languages",
    "help_kinds",
    "contact_email",
    "contact_phone",
    "member_email",
    "links",
    "listed",
]


def roster_csv_rows(experts: Iterable[Expert], *, show_member_emails: bool) -> Iterable[list]:
    yield [name for name in HEADER if show_member_emails or name != "member_email"]
    for expert in experts:
        row = [
            spreadsheet_cell(value)
            for value in (
                expert.pk,
                expert.name_en,
                expert.name_ru,
                expert.title_en,
                expert.affiliation_en,
                " ".join(topic.slug for topic in expert.topics.all()),
                " ".join(country.code for country in expert.countries),
                " ".join(expert.languages),
                " ".join(expert.help_kinds),
                expert.contact_email,
                expert.contact_phone,
                expert.user.email if expert.user else "",
                " ".join(link.url for link in expert.links.all()),
                "yes" if expert.is_listed else "no",
            )
        ]
        if not show_member_emails:
            del row[HEADER.index("member_email")]
        yield row


def roster_csv_response(experts: Iterable[Expert], *, show_member_emails: bool) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="mirpal-experts-{stamp}.csv"'
    # A byte-order mark lets Excel open the Cyrillic names as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(roster_csv_rows(experts, show_member_emails=show_member_emails))
    return response
