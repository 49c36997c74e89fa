import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from library.models import Document, DownloadDay, Issue
from panel.selectors.figures import figure, figures_all
from panel.selectors.periods import Period, period_default
from panel.selectors.report import documents_published, events_held, issues_published
from tests.factories.library import DocumentFactory, IssueFactory, pdf_upload
from tests.panel.conftest import QUARTER


def table(slug: str, period: Period = QUARTER) -> dict:
    """{row code: {series key: value}} for rows with a value, to compare with one literal."""
    result = figure(slug=slug, period=period)
    keys = [key for key, _label in result.series]
    return {
        row.code: dict(zip(keys, row.values, strict=True)) for row in result.rows if any(row.values)
    }


def test_members_by_country(known):
    assert table("members-country") == {
        "KZ": {"applied": 2, "approved": 1, "members": 1, "active": 1},
        "KG": {"applied": 0, "approved": 0, "members": 1, "active": 1},
        "RU": {"applied": 1, "approved": 0, "members": 0, "active": 0},
        "AM": {"applied": 0, "approved": 0, "members": 1, "active": 0},
    }


def test_members_by_organisation_type(known):
    assert table("members-organisation-type") == {
        "government": {"applied": 2, "approved": 1, "members": 2, "active": 1},
        "academia": {"applied": 1, "approved": 0, "members": 0, "active": 0},
        "ngo": {"applied": 0, "approved": 0, "members": 1, "active": 1},
    }


def test_members_by_month_lists_every_month_of_the_period(known):
    result = figure(slug="members-month", period=QUARTER)
    assert [row.code for row in result.rows] == ["2026-01", "2026-02", "2026-03"]
    assert [row.values for row in result.rows] == [(1, 0), (1, 1), (1, 0)]
    assert result.series == (("applied", "Applied"), ("approved", "Approved"))


def test_months_are_utc_months_whatever_the_viewers_time_zone(known):
    # An application at 23:00 UTC on 31 March is in March, also for the secretariat in Moscow
    # (02:00 on 1 April there): the period, from 1 January to 31 March, is UTC's.
    with timezone.override("Europe/Moscow"):
        result = figure(slug="members-month", period=QUARTER)
    assert [row.values for row in result.rows] == [(1, 0), (1, 1), (1, 0)]


def test_event_registrations_and_attendance(known):
    # Drafts and cancelled events are left out; "going" answers only.
    assert table("events-country") == {
        "KZ": {"registered": 2, "attended": 2},
        "KG": {"registered": 1, "attended": 1},
        "AM": {"registered": 0, "attended": 1},
    }
    assert table("events-organisation-type") == {
        "government": {"registered": 2, "attended": 3},
        "ngo": {"registered": 1, "attended": 1},
    }
    assert table("events-month") == {
        "2026-02": {"registered": 2, "attended": 2},
        "2026-03": {"registered": 1, "attended": 2},
    }


def test_invitations_sent_and_answered(known):
    assert table("invitations-country") == {
        "KZ": {"sent": 2, "answered": 2, "going": 1},
        "KG": {"sent": 1, "answered": 0, "going": 0},
    }
    assert table("invitations-month") == {
        "2026-02": {"sent": 2, "answered": 2, "going": 1},
        "2026-03": {"sent": 1, "answered": 0, "going": 0},
    }


def test_library_searches_and_downloads(known):
    assert table("searches-month") == {
        "2026-01": {"searches": 2, "found_nothing": 1},
        "2026-02": {"searches": 2, "found_nothing": 2},
    }
    empty = figure(slug="searches-found-nothing", period=QUARTER)
    assert [(row.label, row.values) for row in empty.rows] == [
        ("patent", (2,)),
        ("remittances", (1,)),
    ]
    # The download counters carry no day: the figure counts only the days recorded (none here).
    assert table("library-downloads") == {}


@pytest.fixture
def download_days(known) -> None:
    """Downloads by day around the quarter: every expected number below follows from here."""
    report, study = Document.objects.order_by("pk")[1:3]  # of 31 December and 31 March
    issue = Issue.objects.get()
    for item, day, count in [
        ({"document": report}, datetime.date(2025, 12, 31), 9),  # before the quarter
        ({"document": report}, datetime.date(2026, 1, 1), 3),
        ({"document": report}, datetime.date(2026, 1, 31), 2),
        ({"document": report}, datetime.date(2026, 3, 31), 4),
        ({"document": report}, datetime.date(2026, 4, 1), 8),  # after it
        ({"document": study}, datetime.date(2026, 1, 15), 1),
        ({"document": study}, datetime.date(2026, 2, 10), 5),
        ({"issue": issue}, datetime.date(2026, 2, 1), 6),
        ({"issue": issue}, datetime.date(2026, 2, 28), 1),
        ({"issue": issue}, datetime.date(2026, 3, 1), 2),
    ]:
        DownloadDay.objects.create(day=day, count=count, **item)


def test_downloads_by_month_on_the_figures_page(client, secretariat, download_days):
    client.force_login(secretariat)

    response = client.get(reverse("panel:figures"), {"start": "2026-01-01", "end": "2026-03-31"})

    assert response.status_code == 200
    downloads = {item.slug: item for item in response.context["figures"]}["library-downloads"]
    assert downloads.title == "Library downloads"
    assert downloads.dimension == "Month"
    assert downloads.series == (("documents", "Documents"), ("issues", "Magazine issues"))
    assert [(row.code, row.values) for row in downloads.rows] == [
        ("2026-01", (6, 0)),
        ("2026-02", (5, 7)),
        ("2026-03", (4, 2)),
    ]
    assert downloads.totals == (15, 9)
    assert downloads.chart_data()["type"] == "line"
    page = response.content.decode()
    section = page[page.index('id="figure-library-downloads"') :]
    section = section[: section.index("</section>")]
    cells = re.findall(r'<td class="number">(\d+)</td>', section)
    assert cells == ["6", "0", "5", "7", "4", "2", "15", "9"]


def test_downloads_by_month_as_csv(client, secretariat, download_days):
    client.force_login(secretariat)

    response = client.get(
        reverse("panel:figure_csv", args=["library-downloads"]),
        {"start": "2026-02-01", "end": "2026-04-30"},
    )

    text = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["code", "Month", "Documents", "Magazine issues"],
        ["2026-02", "February 2026", "5", "7"],
        ["2026-03", "March 2026", "4", "2"],
        ["2026-04", "April 2026", "8", "0"],
    ]


def test_a_download_through_its_link_shows_in_this_months_figures(
    client, secretariat, tmp_path, settings
):
    settings.PROTECTED_MEDIA_ROOT = tmp_path
    document = DocumentFactory(file=pdf_upload("Read this month"))
    issue = IssueFactory(pdf=pdf_upload("Migration 21"))
    for url in [
        reverse("library:document_download", args=[document.pk]),
        reverse("library:document_download", args=[document.pk]),
        reverse("library:issue_pdf", args=[issue.number]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    client.force_login(secretariat)

    response = client.get(reverse("panel:figures"))  # the last twelve months, to today

    downloads = {item.slug: item for item in response.context["figures"]}["library-downloads"]
    this_month = downloads.rows[-1]
    assert this_month.code == timezone.now().strftime("%Y-%m")
    assert this_month.values == (2, 1)
    assert downloads.totals == (2, 1)


def test_a_period_with_nothing_in_it(known):
    empty = Period(start=datetime.date(2020, 1, 1), end=datetime.date(2020, 1, 31))
    assert table("events-country", empty) == {}
    assert table("members-month", empty) == {}
    # Members and active members are counted today, whatever the period.
    assert table("members-country", empty) == {
        "KZ": {"applied": 0, "approved": 0, "members": 1, "active": 1},
        "KG": {"applied": 0, "approved": 0, "members": 1, "active": 1},
        "AM": {"applied": 0, "approved": 0, "members": 1, "active": 0},
    }


def test_events_held_with_attendance_by_country(known):
    held = events_held(period=QUARTER)
    assert [(item.event.pk, item.registered, item.attended) for item in held] == [
        (known.events["e1"].pk, 2, 2),
        (known.events["e2"].pk, 1, 2),
    ]
    countries = ["AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ", "XX"]
    assert dict(zip(countries, held[0].by_country, strict=True)) == {
        **dict.fromkeys(countries, 0),
        "KZ": 1,
        "KG": 1,
    }
    assert dict(zip(countries, held[1].by_country, strict=True)) == {
        **dict.fromkeys(countries, 0),
        "KZ": 1,
        "AM": 1,
    }


def test_publications_of_the_period(known):
    assert [d.published_on for d in documents_published(period=QUARTER)] == [
        datetime.date(2026, 1, 15),
        datetime.date(2026, 3, 31),
    ]
    assert [i.published_on for i in issues_published(period=QUARTER)] == [datetime.date(2026, 2, 1)]


def test_chart_data_carries_the_translated_labels(known):
    from django.utils import translation

    with translation.override("ru"):
        data = figure(slug="members-month", period=QUARTER).chart_data()
    assert data["type"] == "line"
    assert data["labels"] == ["Январь 2026 г.", "Февраль 2026 г.", "Март 2026 г."]
    assert [dataset["data"] for dataset in data["datasets"]] == [[1, 1, 1], [0, 1, 0]]


def test_default_period_is_the_last_twelve_months():
    assert period_default(datetime.date(2026, 11, 23)) == Period(
        start=datetime.date(2025, 12, 1), end=datetime.date(2026, 11, 23)
    )
    assert len(period_default(datetime.date(2026, 1, 31)).months()) == 12


def test_all_figures_take_the_same_number_of_queries_at_two_sizes(
    download_days, django_assert_num_queries
):
    with django_assert_num_queries(36):
        figures_all(period=QUARTER)
    from tests.factories.members import ProfileFactory

    ProfileFactory.create_batch(30, country="UZ")
    for number in range(30):
        document = DocumentFactory(kind="study")
        for day in range(1, 90, 7):
            DownloadDay.objects.create(
                document=document,
                day=QUARTER.start + datetime.timedelta(days=day),
                count=number + 1,
            )
    with django_assert_num_queries(36):
        figures_all(period=QUARTER)
