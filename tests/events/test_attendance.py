import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from events import attendance, selectors
from events.models import Attendance, Event
from tests.factories.events import EventFactory, RegistrationFactory, in_days
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"


@pytest.fixture
def past_event():
    return EventFactory(starts_at=in_days(-1), ends_at=in_days(-1) + datetime.timedelta(hours=2))


def person(email: str, **profile):
    return ProfileFactory(status="approved", user__email=email, **profile).user


def test_zoom_report_is_imported_and_rejoins_add_up(past_event, secretariat):
    aigul = person("aigul@example.org")
    ion = person("ion@example.org")
    report = (
        ZOOM_HEADER
        + "Айгуль,AIGUL@example.org,03/12/2030 10:00,03/12/2030 10:40,40,No\n"
        + "Айгуль,aigul@example.org,03/12/2030 10:45,03/12/2030 11:30,45,No\n"
        + "Ion,ion@example.org,03/12/2030 10:05,03/12/2030 12:00,115,No\n"
    )
    count = attendance.attendance_import_csv(
        event=past_event, content=report.encode(), by=secretariat
    )
    assert count == 2
    assert sorted(
        Attendance.objects.values_list("user", "minutes", "source", "marked_by")
    ) == sorted([(aigul.pk, 85, "import", secretariat.pk), (ion.pk, 115, "import", secretariat.pk)])


def test_a_bad_row_saves_nothing_and_each_bad_row_is_named(past_event, secretariat):
    person("ok@example.org")
    report = (
        "Email;Duration\n"
        "ok@example.org;30\n"
        "not-an-address;10\n"
        "stranger@example.org;12\n"
        "ok@example.org;ten\n"
    )
    with pytest.raises(attendance.AttendanceImportError) as caught:
        attendance.attendance_import_csv(event=past_event, content=report.encode(), by=secretariat)
    assert [(error.line, error.message) for error in caught.value.errors] == [
        (3, "“not-an-address” is not an email address."),
        (4, "No member has the address stranger@example.org."),
        (5, "“ten” is not a number of minutes."),
    ]
    assert Attendance.objects.count() == 0


def test_a_file_without_an_email_column_is_refused(past_event):
    with pytest.raises(attendance.AttendanceImportError) as caught:
        attendance.attendance_import_csv(event=past_event, content=b"Name,Minutes\nA,3\n", by=None)
    assert [error.message for error in caught.value.errors] == [
        "No email column: the first row must name a column “Email”."
    ]


def test_upload_page_lists_errors_and_then_imports(past_event, secretariat):
    person("ok@example.org")
    client = Client()
    client.force_login(secretariat)
    url = reverse("events:attendance_import", args=[past_event.slug])
    bad = SimpleUploadedFile(
        "report.csv", b"Email\nok@example.org\nghost@example.org\n", "text/csv"
    )
    html = client.post(url, {"file": bad}).content.decode()
    assert "Line 3: No member has the address ghost@example.org." in html
    assert "Nothing was imported" in html
    assert Attendance.objects.count() == 0
    good = SimpleUploadedFile("report.csv", b"Email\nok@example.org\n", "text/csv")
    response = client.post(url, {"file": good}, follow=True)
    assert "Attendance imported: 1 participant marked present." in response.content.decode()
    assert Attendance.objects.count() == 1


def test_durations_no_meeting_lasts_are_row_errors_and_save_nothing(past_event, secretariat):
    person("ok@example.org")
    person("rejoined@example.org")
    client = Client()
    client.force_login(secretariat)
    report = (
        "Email,Duration (Minutes)\n"
        "ok@example.org,99999999999999999999\n"
        "ok@example.org,inf\n"
        "ok@example.org,1e400\n"
        "rejoined@example.org,6000\n"
        "rejoined@example.org,6000\n"
        "ok@example.org,-99999999999999999999\n"
    )
    response = client.post(
        reverse("events:attendance_import", args=[past_event.slug]),
        {"file": SimpleUploadedFile("report.csv", report.encode(), "text/csv")},
    )
    assert response.status_code == 200
    errors = re.findall(r"<li>(Line \d+:[^<]*)</li>", response.content.decode())
    week = (
        "minutes would make this participant present for more than a week: "
        "check the duration column."
    )
    assert errors == [
        f"Line 2: “99999999999999999999” {week}",
        "Line 3: “inf” is not a number of minutes.",
        "Line 4: “1e400” is not a number of minutes.",
        f"Line 6: “6000” {week}",
        "Line 7: “-99999999999999999999” is not a number of minutes.",
    ]
    assert Attendance.objects.count() == 0


def test_figures_by_country_and_organisation_type(past_event):
    other = EventFactory(starts_at=in_days(-9), ends_at=in_days(-9) + datetime.timedelta(hours=1))
    kz_gov = person("kz@example.org", country="KZ", organisation_type="government")
    md_ngo = person("md@example.org", country="MD", organisation_type="ngo")
    md_gov = person("md2@example.org", country="MD", organisation_type="government")
    for user in (kz_gov, md_ngo, md_gov):
        RegistrationFactory(event=past_event, user=user)
    RegistrationFactory(event=other, user=kz_gov)
    attendance.attendance_mark(event=past_event, users=[kz_gov, md_ngo], by=None)
    attendance.attendance_mark(event=other, users=[kz_gov], by=None)

    one = selectors.attendance_figures(events=Event.objects.filter(pk=past_event.pk))
    assert [(row.code, row.registered, row.attended) for row in one.by_country] == [
        ("KZ", 1, 1),
        ("MD", 2, 1),
    ]
    assert [(row.code, row.registered, row.attended) for row in one.by_organisation_type] == [
        ("government", 2, 1),
        ("ngo", 1, 1),
    ]
    both = selectors.attendance_figures(events=selectors.events_for_figures())
    assert (both.registered, both.attended) == (4, 3)
    assert [(row.label, row.registered, row.attended) for row in both.by_country] == [
        ("Kazakhstan", 2, 2),
        ("Moldova", 2, 1),
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_figures_page_query_count_does_not_grow(count, secretariat, django_assert_num_queries):
    for index in range(count):
        event = EventFactory(
            starts_at=in_days(-index - 1), ends_at=in_days(-index - 1) + datetime.timedelta(hours=1)
        )
        registration = RegistrationFactory(event=event)
        attendance.attendance_mark(event=event, users=[registration.user], by=None)
    client = Client()
    client.force_login(secretariat)
    # One of them: the staff account's second factor, looked up on its first page (members.mfa).
    with django_assert_num_queries(8):
        response = client.get(reverse("events:attendance_report"))
    assert response.context["figures"].attended == count
    html = client.get(reverse("events:attendance_report"), {"event": event.pk}).content.decode()
    assert "1 registered, 1 took part." in html
