"""Exports of the secretariat's data as CSV and Excel, for itself or for partners.

The privacy rule: an export "for the secretariat" holds everything the secretariat sees. An export
"for partners" leaves the secretariat, so it holds only what the members chose to show to the
network:
- members: approved members listed in the directory only; the email address and the phone number
  only of those who chose "Members of the network" for them (never those set to "Only the
  secretariat"); no status, application or sign-in dates;
- registrations and attendance: every row is kept so that the counts hold, but a person who is not
  an approved member listed in the directory appears without name or contacts, and the email only
  as the member chose;
- roster: listed experts only, without contact details, notes or member account;
- library: the same for both (it holds no personal data).

Whatever the audience, staff who may not see members' email addresses (the editors) get the file
without the columns that hold them, as their pages show names only (members.permissions); an
expert's own contact address is the roster's, and stays.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a tab) get a leading
apostrophe, in CSV and in Excel alike.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from events.models import Attendance, Registration
from library.models import Document, Issue
from members.enums import ContactVisibility, MembershipStatus
from members.models import Profile, User
from members.roster.selectors import roster_export_rows
from mirpal.models import Topic
from mirpal.spreadsheets import spreadsheet_cell, xlsx_bytes
from panel.selectors.events import events_of
from panel.selectors.periods import Period

HIDDEN = "—"


class Audience:
    SECRETARIAT = "secretariat"
    PARTNERS = "partners"


AUDIENCES = [
    (Audience.SECRETARIAT, _("The secretariat (everything)")),
    (Audience.PARTNERS, _("Partners (only what members show to the network)")),
]
DATASETS = [
    ("members", _("Members")),
    ("registrations", _("Event registrations")),
    ("attendance", _("Event attendance")),
    ("roster", _("Expert roster")),
    ("library", _("Library")),
]
FORMATS = [("csv", "CSV"), ("xlsx", "Excel")]


@dataclass
class Table:
    name: str
    header: list[str]
    rows: Iterable[list]


def _visible(profile: Profile | None) -> bool:
    return (
        profile is not None
        and profile.status == MembershipStatus.APPROVED
        and profile.listed_in_directory
    )


def _person(user: User, *, audience: str) -> list:
    """first name, last name, email, country, organisation, organisation type of a participant."""
    profile = getattr(user, "profile", None)
    where = [
        profile.country if profile else "",
        profile.organisation if profile else "",
        profile.organisation_type if profile else "",
    ]
    if audience == Audience.SECRETARIAT:
        return [user.first_name, user.last_name, user.email, *where]
    if not _visible(profile):
        return [HIDDEN, HIDDEN, "", where[0], "", where[2]]
    email = user.email if profile.email_visibility == ContactVisibility.MEMBERS else ""
    return [user.first_name, user.last_name, email, *where]


PERSON_HEADER = [
    "first_name",
    "last_name",
    "email",
    "country",
    "organisation",
    "organisation_type",
]


def members_table(*, audience: str, period: Period) -> Table:
    profiles = Profile.objects.select_related("user").prefetch_related(
        Prefetch("interests", queryset=Topic.objects.order_by("position", "slug"))
    )
    common = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "country",
        "city",
        "organisation",
        "organisation_type",
        "position",
        "languages",
        "interests",
    ]
    if audience == Audience.PARTNERS:
        profiles = profiles.filter(status=MembershipStatus.APPROVED, listed_in_directory=True)
        header = common
    else:
        header = [*common, "status", "applied_utc", "last_login_utc", "listed_in_directory"]

    def rows() -> Iterator[list]:
        for profile in profiles.order_by("sort_name", "pk").iterator(chunk_size=2000):
            user = profile.user
            email, phone = user.email, profile.phone
            if audience == Audience.PARTNERS:
                if profile.email_visibility != ContactVisibility.MEMBERS:
                    email = ""
                if profile.phone_visibility != ContactVisibility.MEMBERS:
                    phone = ""
            row = [
                user.first_name,
                user.last_name,
                email,
                phone,
                profile.country,
                profile.city,
                profile.organisation,
                profile.organisation_type,
                profile.position,
                " ".join(profile.languages),
                " ".join(topic.slug for topic in profile.interests.all()),
            ]
            if audience != Audience.PARTNERS:
                row += [
                    profile.status,
                    profile.applied_at,
                    user.last_login,
                    profile.listed_in_directory,
                ]
            yield row

    return Table("members", header, rows())


def _participants(queryset: QuerySet, period: Period) -> QuerySet:
    return (
        queryset.filter(event__in=events_of(period))
        .select_related("event", "user", "user__profile")
        .order_by("event__starts_at", "event__pk", "pk")
    )


def registrations_table(*, audience: str, period: Period) -> Table:
    registrations = _participants(Registration.objects.all(), period)
    attended = set(
        Attendance.objects.filter(event__in=events_of(period)).values_list("event_id", "user_id")
    )

    def rows() -> Iterator[list]:
        for registration in registrations.iterator(chunk_size=2000):
            event = registration.event
            yield [
                event.slug,
                event.title_en,
                event.starts_at,
                registration.status,
                registration.created_at,
                *_person(registration.user, audience=audience),
                (event.pk, registration.user_id) in attended,
            ]

    header = ["event", "event_title", "event_starts_utc", "status", "registered_utc"]
    return Table("registrations", [*header, *PERSON_HEADER, "attended"], rows())


def attendance_table(*, audience: str, period: Period) -> Table:
    attendances = _participants(Attendance.objects.all(), period)

    def rows() -> Iterator[list]:
        for attendance in attendances.iterator(chunk_size=2000):
            event = attendance.event
            yield [
                event.slug,
                event.title_en,
                event.starts_at,
                *_person(attendance.user, audience=audience),
                attendance.minutes,
                attendance.source,
            ]

    header = ["event", "event_title", "event_starts_utc", *PERSON_HEADER, "minutes", "source"]
    return Table("attendance", header, rows())


def roster_table(*, audience: str, period: Period) -> Table:
    experts = roster_export_rows()
    header = [
        "name_en",
        "name_ru",
        "title_en",
        "affiliation_en",
        "topics",
        "countries",
        "languages",
        "help_kinds",
        "listed",
    ]
    secretariat = audience == Audience.SECRETARIAT
    if secretariat:
        header += ["contact_email", "contact_phone", "member_email"]
    else:
        experts = experts.filter(is_listed=True)

    def rows() -> Iterator[list]:
        for expert in experts:
            row = [
                expert.name_en,
                expert.name_ru,
                expert.title_en,
                expert.affiliation_en,
                " ".join(topic.slug for topic in expert.topics.all()),
                " ".join(country.code for country in expert.countries),
                " ".join(expert.languages),
                " ".join(expert.help_kinds),
                expert.is_listed,
            ]
            if secretariat:
                row += [
                    expert.contact_email,
                    expert.contact_phone,
                    expert.user.email if expert.user else "",
                ]
            yield row

    return Table("roster", header, rows())


def library_table(*, audience: str, period: Period) -> Table:
    header = [
        "kind",
        "title_en",
        "title_ru",
        "published_on",
        "language",
        "access",
        "authors",
        "publisher",
        "downloads",
    ]

    def rows() -> Iterator[list]:
        for issue in Issue.objects.order_by("published_on", "number"):
            yield [
                "magazine_issue",
                issue.title_en or f"Migration 21 No. {issue.number}",
                issue.title_ru,
                issue.published_on,
                "",
                "public",
                "",
                "MIRPAL",
                issue.download_count,
            ]
        documents = Document.objects.defer("text", "search_vector").order_by("published_on", "pk")
        for document in documents.iterator(chunk_size=2000):
            yield [
                document.kind,
                document.title_en,
                document.title_ru,
                document.published_on,
                document.language,
                document.access,
                document.authors_text,
                document.publisher,
                document.download_count,
            ]

    return Table("library", header, rows())


TABLES: dict[str, Callable[..., Table]] = {
    "members": members_table,
    "registrations": registrations_table,
    "attendance": attendance_table,
    "roster": roster_table,
    "library": library_table,
}


# Columns holding a member's account address.
MEMBER_EMAIL_COLUMNS = {"email", "member_email"}


def _without_member_emails(table: Table) -> Table:
    keep = [at for at, name in enumerate(table.header) if name not in MEMBER_EMAIL_COLUMNS]
    return Table(
        table.name,
        [table.header[at] for at in keep],
        ([row[at] for at in keep] for row in table.rows),
    )


def export_table(*, dataset: str, audience: str, period: Period, show_emails: bool) -> Table:
    table = TABLES[dataset](audience=audience, period=period)
    return table if show_emails else _without_member_emails(table)


def _filename(table: Table, audience: str, extension: str) -> str:
    suffix = "-partners" if audience == Audience.PARTNERS else ""
    return f"mirpal-{table.name}{suffix}.{extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens the UTF-8 file with the right letters
    yield writer.writerow(table.header)
    for row in table.rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])


def csv_response(table: Table, *, audience: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, audience, "csv")}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(table: Table, *, audience: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes([(table.name, table.header, table.rows)]), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, audience, "xlsx")}"'
    return response
