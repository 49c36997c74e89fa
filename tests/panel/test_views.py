import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Attendance, Registration
from mirpal.models import OutboxMessage
from tests.factories.events import EventFactory, in_days
from tests.factories.library import DocumentFactory, IssueFactory
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertRequestFactory
from tests.panel.conftest import at

QUARTER = "start=2026-01-01&end=2026-03-31"


def _rows_of_everything(count: int) -> None:
    """`count` of each thing the home page lists or counts."""
    for number in range(count):
        ProfileFactory(status="pending")
        ExpertRequestFactory()
        OutboxMessage.objects.create(
            idempotency_key=f"failed:{number}",
            kind="account",
            to_email=f"x{number}@example.org",
            subject="Hello",
            body_text="Hello",
            status="failed",
            last_error="550 no such user",
        )
        event = EventFactory(starts_at=in_days(number + 1), capacity=5)
        Registration.objects.create(event=event, user=ProfileFactory().user, status="confirmed")
        DocumentFactory()
        IssueFactory()


@pytest.mark.parametrize("count", [1, 30])
def test_home_page_queries_do_not_grow_with_rows(
    client, secretariat, django_assert_num_queries, count
):
    _rows_of_everything(count)
    client.force_login(secretariat)
    # One of them: the staff account's second factor, looked up on its first page (members.mfa).
    with django_assert_num_queries(12):
        response = client.get(reverse("panel:home"))
    assert response.status_code == 200
    waiting = response.context["waiting"]
    assert (waiting.applications, waiting.expert_requests, waiting.failed_mails) == (
        count,
        count,
        count,
    )
    assert len(response.context["events"]) == min(count, 8)
    assert response.context["events"][0].confirmed == 1


def test_home_page_shows_capacity_and_the_queues(client, secretariat):
    event = EventFactory(starts_at=in_days(2), capacity=1, title_en="Full seminar")
    Registration.objects.create(event=event, user=ProfileFactory().user, status="confirmed")
    Registration.objects.create(
        event=event,
        user=ProfileFactory().user,
        status="waiting",
        waiting_since=in_days(-1),
    )
    ProfileFactory(status="pending", user__first_name="Aigerim", user__last_name="Nurlanova")
    client.force_login(secretariat)
    response = client.get(reverse("panel:home"))
    shown = response.context["events"][0]
    assert (shown.confirmed, shown.waiting, shown.places_left) == (1, 1, 0)
    page = response.content.decode()
    assert "Aigerim Nurlanova" in page
    assert "Full seminar" in page
    assert ">full<" in page


def test_figures_page_has_a_chart_a_table_and_a_csv_for_each_figure(client, secretariat, known):
    client.force_login(secretariat)
    response = client.get(reverse("panel:figures") + "?" + QUARTER)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<canvas data-chart-source="chart-') == 13
    assert page.count('<script id="chart-') == 13
    assert page.count('<table class="figure-table">') == 14
    csv_link = reverse("panel:figure_csv", args=["members-country"]) + "?" + QUARTER
    assert page.count(csv_link.replace("&", "&amp;")) == 1
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "<script>" not in page


def test_figures_page_in_russian(client, secretariat, known):
    client.force_login(secretariat)
    response = client.get(
        reverse("panel:figures") + "?" + QUARTER, headers={"accept-language": "ru"}
    )
    page = response.content.decode()
    assert "Участники по странам" in page
    assert "Казахстан" in page


def test_figures_page_rejects_a_backward_period(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("panel:figures") + "?start=2026-03-01&end=2026-01-01")
    assert response.status_code == 400
    assert "The end of the period must not be before its start." in response.content.decode()


def test_figure_csv(client, secretariat, known):
    client.force_login(secretariat)
    response = client.get(reverse("panel:figure_csv", args=["events-country"]) + "?" + QUARTER)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="mirpal-events-country-20260101-20260331.csv"'
    )
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["code", "Country", "Registered (going)", "Attended"]
    assert rows[1:] == [
        ["AM", "Armenia", "0", "1"],
        ["BY", "Belarus", "0", "0"],
        ["KZ", "Kazakhstan", "2", "2"],
        ["KG", "Kyrgyz Republic", "1", "1"],
        ["MD", "Moldova", "0", "0"],
        ["RU", "Russia", "0", "0"],
        ["TJ", "Tajikistan", "0", "0"],
        ["UA", "Ukraine", "0", "0"],
        ["UZ", "Uzbekistan", "0", "0"],
        ["XX", "International / other", "0", "0"],
    ]


def test_donor_report_page(client, secretariat, known):
    client.force_login(secretariat)
    response = client.get(reverse("panel:report") + "?" + QUARTER)
    assert response.status_code == 200
    report = response.context["report"]
    assert [held.event for held in report.events] == [known.events["e1"], known.events["e2"]]
    assert report.attended_by_country == (1, 0, 2, 1, 0, 0, 0, 0, 0, 0)
    page = response.content.decode()
    assert known.events["e1"].title_en in page
    assert known.events["e3"].title_en not in page  # cancelled
    assert "Migration 21 № " in page


def test_donor_report_spreadsheet(client, secretariat, known):
    client.force_login(secretariat)
    response = client.get(reverse("panel:report_xlsx") + "?" + QUARTER)
    assert response["Content-Disposition"] == (
        'attachment; filename="mirpal-report-20260101-20260331.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "1. Members by country",
        "2. Members by type of organisat",
        "3. Event registrations and atte",
        "4. Event registrations and atte",
        "5. Invitations by country",
        "6. Library searches by month",
        "7. Library downloads",
        "Events held",
        "Publications",
    ]
    members = [list(row) for row in workbook["1. Members by country"].iter_rows(values_only=True)]
    assert members[0] == ["Country", "Applied", "Approved", "Members now", "Active members"]
    assert members[3] == ["Kazakhstan", 2, 1, 1, 1]
    # The signed-in secretariat user is an approved, active member from Russia too.
    assert members[-1] == ["Total", 3, 1, 4, 3]
    events = [list(row) for row in workbook["Events held"].iter_rows(values_only=True)]
    assert events[0][:5] == ["Event", "Starts (UTC)", "Registered", "Attended", "Armenia"]
    assert events[1][:4] == [known.events["e1"].title_en, "2026-02-10 12:00", 2, 2]
    assert events[2][2:6] == [1, 2, 1, 0]
    publications = list(workbook["Publications"].iter_rows(values_only=True))
    assert len(publications) == 1 + 1 + 2
    assert publications[2][2] == datetime.date(2026, 1, 15).isoformat()


@pytest.mark.parametrize("count", [1, 30])
def test_figures_and_report_queries_do_not_grow_with_rows(
    client, secretariat, django_assert_num_queries, count
):
    for _number in range(count):
        profile = ProfileFactory(country="TJ")
        event = EventFactory(starts_at=at(2026, 2, 10), ends_at=at(2026, 2, 10, 14))
        Registration.objects.create(event=event, user=profile.user, status="confirmed")
        Attendance.objects.create(event=event, user=profile.user)
        DocumentFactory(published_on=datetime.date(2026, 3, 1))
    client.force_login(secretariat)
    # One of them: the staff account's second factor, looked up on its first page (members.mfa).
    with django_assert_num_queries(39):
        response = client.get(reverse("panel:figures") + "?" + QUARTER)
    assert response.status_code == 200
    with django_assert_num_queries(24):
        response = client.get(reverse("panel:report") + "?" + QUARTER)
    assert len(response.context["report"].events) == count
    assert response.context["report"].attended_by_country[6] == count  # Tajikistan


def _dated_home_page_rows() -> None:
    """An application, a failed mail and a coming event, each at 02:44 UTC on 30 November:
    05:44 on the secretariat member's clock (Moscow, UTC+3)."""
    moment = datetime.datetime(2026, 11, 30, 2, 44, tzinfo=datetime.UTC)
    applicant = ProfileFactory(status="pending", user__first_name="Dated", user__last_name="One")
    type(applicant).objects.filter(pk=applicant.pk).update(applied_at=moment)
    mail = OutboxMessage.objects.create(
        idempotency_key="failed:dated",
        kind="account",
        to_email="dated@example.org",
        subject="Hello",
        body_text="Hello",
        status="failed",
    )
    OutboxMessage.objects.filter(pk=mail.pk).update(created_at=moment)
    EventFactory(
        title_en="Dated seminar",
        starts_at=datetime.datetime(2031, 11, 30, 2, 44, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 11, 30, 4, 44, tzinfo=datetime.UTC),
    )


@pytest.mark.parametrize(
    ("language", "applied", "failed", "starts"),
    [
        ("en", "30 Nov 2026", "30 Nov 2026, 05:44", "30 Nov 2031, 05:44"),
        ("ru", "30.11.2026", "30.11.2026 05:44", "30.11.2031 05:44"),
    ],
)
def test_home_page_dates_follow_the_page_language_and_the_viewer_clock(
    client, secretariat, language, applied, failed, starts
):
    _dated_home_page_rows()
    client.force_login(secretariat)
    html = client.get(reverse("panel:home"), headers={"accept-language": language})
    html = html.content.decode()
    assert f'Dated One <span class="muted">· {_country(language)} · {applied}</span>' in html
    assert re.findall(
        r"dated@example.org</a> <span class=\"muted\">· account · ([^<]+)</span>", html
    ) == [failed]
    assert re.findall(r'<td data-label="[^"]+">([^<]+)</td>', html) == [starts]


def _country(language: str) -> str:
    return {"en": "Kazakhstan", "ru": "Казахстан"}[language]


@pytest.mark.parametrize(
    ("language", "applied"),
    [("en", "30 Nov 2026, 05:44"), ("ru", "30.11.2026 05:44")],
)
def test_applications_queue_dates_follow_the_page_language(client, secretariat, language, applied):
    _dated_home_page_rows()
    client.force_login(secretariat)
    html = client.get(reverse("members:applications"), headers={"accept-language": language})
    assert re.findall(r'<td data-label="[^"]+">(\d[^<]+)</td>', html.content.decode()) == [applied]


@pytest.mark.parametrize(
    ("language", "title", "held", "prepared"),
    [
        (
            "en",
            "MIRPAL: report for 1 January 2026 – 31 March 2026",
            ["10 Feb 2026", "5 Mar 2026"],
            "Prepared on {moment:%-d %B %Y, %H:%M} (Moscow time, UTC+3).",
        ),
        (
            "ru",
            "MIRPAL: отчёт за период 1 января 2026 г. – 31 марта 2026 г.",
            ["10.02.2026", "05.03.2026"],
            "Подготовлен {moment_ru} (время Москвы, UTC+3).",
        ),
    ],
)
def test_donor_report_dates_and_the_moment_it_was_prepared_in_the_viewer_zone(
    client, secretariat, known, language, title, held, prepared
):
    from django.utils import formats, translation

    client.force_login(secretariat)
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    before = datetime.datetime.now(tz=moscow).replace(second=0, microsecond=0)
    response = client.get(
        reverse("panel:report") + "?" + QUARTER, headers={"accept-language": language}
    )
    after = datetime.datetime.now(tz=moscow).replace(second=0, microsecond=0)
    html = response.content.decode()
    assert re.search(r"<h1>([^<]+)</h1>", html).group(1) == title
    report_events = html[html.index('id="report-events"') :]
    assert re.findall(r"<td>([^<]+)</td>", report_events) == held

    def expected(moment):
        with translation.override("ru"):
            moment_ru = formats.date_format(moment, "DATETIME_FORMAT")
        return prepared.format(moment=moment, moment_ru=moment_ru)

    shown = re.search(r'<p class="muted">(Prepared on [^<]+|Подготовлен [^<]+)</p>', html).group(1)
    assert shown in {expected(before), expected(after)}


@pytest.mark.parametrize(
    ("language", "period"),
    [
        ("en", "From 1 Jan 2026 to 31 Mar 2026, both days included (UTC)."),
        ("ru", "С 01.01.2026 по 31.03.2026 включительно (UTC)."),
    ],
)
def test_figures_page_period_follows_the_page_language(client, secretariat, language, period):
    client.force_login(secretariat)
    response = client.get(
        reverse("panel:figures") + "?" + QUARTER, headers={"accept-language": language}
    )
    assert re.findall(r'<p class="muted">(\D[^<]+\(UTC\)\.)</p>', response.content.decode()) == [
        period
    ]


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("editor", ['<a href="/secretariat/">Secretariat</a>']),
        ("manager", ['<a href="/secretariat/">Secretariat</a>']),
        ("member", []),
    ],
)
def test_header_leads_every_staff_role_to_the_panel(client_for, role, links):
    client = client_for(role)
    html = client.get(reverse("home")).content.decode()
    assert re.findall(r'<a href="/secretariat/">[^<]+</a>', html) == links
    if links:
        assert client.get(reverse("panel:home")).status_code == 200
