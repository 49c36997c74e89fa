import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Attendance
from mirpal.spreadsheets import spreadsheet_cell as cell_safe
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory
from tests.panel.conftest import at

PERIOD = "start=2026-01-01&end=2026-03-31"


def download(client, **query) -> list[list[str]]:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    response = client.get(f"{reverse('panel:exports')}?{params}&{PERIOD}")
    assert response.status_code == 200
    if query.get("format") == "xlsx":
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return [list(row) for row in workbook.active.iter_rows(values_only=True)]
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def people(db):
    shown = ProfileFactory(
        user__first_name="Shown",
        user__last_name="Open",
        user__email="open@example.org",
        phone="+7 700 000 00 01",
        email_visibility="members",
        phone_visibility="members",
        country="KZ",
        organisation='=HYPERLINK("http://evil.example")',
    )
    guarded = ProfileFactory(
        user__first_name="Guarded",
        user__last_name="Closed",
        user__email="closed@example.org",
        phone="+7 700 000 00 02",
        country="KG",
    )
    unlisted = ProfileFactory(
        user__first_name="Hidden",
        user__last_name="Unlisted",
        user__email="hidden@example.org",
        listed_in_directory=False,
        country="UZ",
        email_visibility="members",
    )
    pending = ProfileFactory(
        user__first_name="Waiting", user__last_name="Applicant", status="pending"
    )
    return {"shown": shown, "guarded": guarded, "unlisted": unlisted, "pending": pending}


def by_name(rows: list[list]) -> dict[str, dict]:
    header = rows[0]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_members_export_for_the_secretariat_has_everyone_and_everything(
    client, secretariat, people
):
    client.force_login(secretariat)
    rows = by_name(download(client, dataset="members", audience="secretariat", format="csv"))
    assert set(rows) == {"Open", "Closed", "Unlisted", "Applicant", secretariat.last_name}
    assert rows["Closed"]["email"] == "closed@example.org"
    # "+7…" would be read as a formula too, so phone numbers keep their apostrophe.
    assert rows["Closed"]["phone"] == "'+7 700 000 00 02"
    assert rows["Applicant"]["status"] == "pending"
    # A formula in a cell is neutralised.
    assert rows["Open"]["organisation"] == '\'=HYPERLINK("http://evil.example")'


def test_members_export_for_partners_respects_privacy_choices(client, secretariat, people):
    client.force_login(secretariat)
    rows = download(client, dataset="members", audience="partners", format="csv")
    assert rows[0] == [
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
    members = by_name(rows)
    # Approved and listed only; contacts only where the member shows them to members.
    assert set(members) == {"Open", "Closed", secretariat.last_name}
    assert (members["Open"]["email"], members["Open"]["phone"]) == (
        "open@example.org",
        "'+7 700 000 00 01",
    )
    assert (members["Closed"]["email"], members["Closed"]["phone"]) == ("", "")


def test_members_export_as_excel(client, secretariat, people):
    client.force_login(secretariat)
    rows = download(client, dataset="members", audience="partners", format="xlsx")
    members = by_name(rows)
    assert members["Open"]["organisation"] == '\'=HYPERLINK("http://evil.example")'
    assert members["Closed"]["email"] is None  # an empty cell
    assert len(rows) == 4


def test_registrations_and_attendance_for_partners_hide_who_hides(client, secretariat, people):
    event = EventFactory(starts_at=at(2026, 2, 10), ends_at=at(2026, 2, 10, 14))
    outside = EventFactory(starts_at=at(2026, 5, 10), ends_at=at(2026, 5, 10, 14))
    for key in ("shown", "guarded", "unlisted"):
        RegistrationFactory(event=event, user=people[key].user)
    RegistrationFactory(event=outside, user=people["shown"].user)
    Attendance.objects.create(event=event, user=people["shown"].user, minutes=50)
    Attendance.objects.create(event=event, user=people["unlisted"].user, minutes=70)
    client.force_login(secretariat)

    rows = download(client, dataset="registrations", audience="partners", format="csv")
    assert rows[0][-7:] == [
        "first_name",
        "last_name",
        "email",
        "country",
        "organisation",
        "organisation_type",
        "attended",
    ]
    assert [row[-7:] for row in rows[1:]] == [
        [
            "Shown",
            "Open",
            "open@example.org",
            "KZ",
            '\'=HYPERLINK("http://evil.example")',
            "government",
            "yes",
        ],
        ["Guarded", "Closed", "", "KG", people["guarded"].organisation, "government", "no"],
        ["—", "—", "", "UZ", "", "government", "yes"],
    ]
    full = download(client, dataset="registrations", audience="secretariat", format="csv")
    assert [row[-5] for row in full[1:]] == [
        "open@example.org",
        "closed@example.org",
        "hidden@example.org",
    ]

    attendance = download(client, dataset="attendance", audience="partners", format="csv")
    assert [row[3:] for row in attendance[1:]] == [
        [
            "Shown",
            "Open",
            "open@example.org",
            "KZ",
            '\'=HYPERLINK("http://evil.example")',
            "government",
            "50",
            "manual",
        ],
        ["—", "—", "", "UZ", "", "government", "70", "manual"],
    ]


def test_roster_export_for_partners_has_no_contacts(client, secretariat):
    ExpertFactory(name_en="Listed Expert", contact_email="listed@example.org", is_listed=True)
    ExpertFactory(name_en="Quiet Expert", contact_email="quiet@example.org", is_listed=False)
    client.force_login(secretariat)
    partners = download(client, dataset="roster", audience="partners", format="csv")
    assert "contact_email" not in partners[0]
    assert [row[0] for row in partners[1:]] == ["Listed Expert"]
    full = download(client, dataset="roster", audience="secretariat", format="csv")
    emails = {row[0]: row[full[0].index("contact_email")] for row in full[1:]}
    assert emails == {"Listed Expert": "listed@example.org", "Quiet Expert": "quiet@example.org"}


def test_library_export(client, secretariat, known):
    client.force_login(secretariat)
    rows = download(client, dataset="library", audience="partners", format="xlsx")
    assert rows[0] == [
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
    assert [(row[0], row[3], row[8]) for row in rows[1:]] == [
        ("magazine_issue", "2026-02-01", 4),
        ("report", "2025-12-31", 5),
        ("report", "2026-01-15", 7),
        ("study", "2026-03-31", 0),
    ]


def test_a_bad_export_request_shows_the_form_with_its_error(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("panel:exports") + "?dataset=passwords&format=csv")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7 700", "'+7 700"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (-2, -2),
        (True, "yes"),
        (None, ""),
    ],
)
def test_cells_that_would_be_formulas_are_neutralised(value, expected):
    assert cell_safe(value) == expected
