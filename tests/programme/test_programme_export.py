"""The year's programme as an Excel workbook for the donor report, opened with openpyxl."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.programme import ProposalFactory
from tests.programme.answer_world import YEAR, call_of, signed_in, year_world

pytestmark = pytest.mark.django_db


def workbook(response) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_workbook_holds_activities_coverage_and_proposals(member):
    call = call_of()
    world = year_world(call)
    first, second = world["topics"]
    ProposalFactory(call=call, title='=HYPERLINK("http://evil.example")', countries=["UA"])

    response = signed_in(member).get(reverse("programme:year_xlsx", args=[YEAR]))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="mirpal-programme-2031.xlsx"'
    sheets = workbook(response)
    assert list(sheets) == ["Activities", "Coverage by country", "Coverage by topic", "Proposals"]
    assert sheets["Activities"] == [
        (
            "Quarter", "Kind", "Title in English", "Title in Russian", "Status", "Countries",
            "Topics", "Proposals answered", "Supports of these proposals", "Event", "Document",
            "Good-practice case",
        ),
        (
            "Q1", "Video conference", "Video conference on pre-departure orientation",
            "Видеоконференция о подготовке к выезду", "Planned", "Kazakhstan, Tajikistan",
            first.name_en, "Orientation before departure; Courses for families staying behind",
            2, None, None, None,
        ),
        (
            "Q1", "Field visit", "Visit to the Tashkent migrant centre",
            "Визит в ташкентский центр для мигрантов", "Held", "Uzbekistan", None, None, 0,
            "Field visit to Tashkent", "Visit report", None,
        ),
        (
            "Q2", "Training", "Training of consular staff", "Обучение консульских работников",
            "Cancelled", "Belarus", None, None, 0, None, None, None,
        ),
        (
            "Q3", "Study", "Study of return programmes", "Исследование программ возвращения",
            "Planned", "Armenia, Moldova", second.name_en, None, 0, None, None,
            "Reintegration grants",
        ),
    ]  # fmt: skip
    assert sheets["Coverage by country"] == [
        ("Country", "Activities", "Proposals", "Accepted proposals"),
        ("Armenia", 1, 0, 0),
        ("Belarus", 0, 0, 0),
        ("Kazakhstan", 1, 2, 2),
        ("Kyrgyz Republic", 0, 0, 0),
        ("Moldova", 1, 1, 0),
        ("Russia", 0, 0, 0),
        ("Tajikistan", 1, 1, 1),
        ("Ukraine", 0, 1, 0),
        ("Uzbekistan", 1, 1, 0),
        ("In all", 3, 5, 2),
    ]
    assert sheets["Coverage by topic"] == [
        ("Topic", "Activities", "Proposals", "Accepted proposals"),
        (first.name_en, 1, 1, 1),
        (second.name_en, 1, 1, 0),
        ("In all", 3, 5, 2),
    ]
    assert sheets["Proposals"] == [
        (
            "Title", "State", "Supports", "Comments", "Countries", "Topics",
            "Kind of activity wanted", "Planned activity", "Answered",
        ),
        (
            "Orientation before departure", "Accepted", 2, 0, "Kazakhstan", first.name_en,
            "Video conference", "Video conference on pre-departure orientation", None,
        ),
        (
            "Courses for families staying behind", "Accepted", 0, 0, "Tajikistan, Kazakhstan",
            None, "Video conference", "Video conference on pre-departure orientation", None,
        ),
        (
            "Return and reintegration", "Submitted", 0, 0, "Moldova", second.name_en,
            "Video conference", None, None,
        ),
        (
            "Statistics of seasonal work", "Not this year", 0, 0, "Uzbekistan", None,
            "Video conference", None, None,
        ),
        (
            "Reintegration (duplicate)", "Merged", 0, 0, "Russia", None, "Video conference",
            None, None,
        ),
        # A title that a spreadsheet would run as a formula stays text.
        (
            "'=HYPERLINK(\"http://evil.example\")", "Submitted", 0, 0, "Ukraine", None,
            "Video conference", None, None,
        ),
    ]  # fmt: skip


def test_the_workbook_follows_the_page_s_access(member):
    call = call_of()
    url = reverse("programme:year_xlsx", args=[YEAR])

    assert Client().get(url).status_code == 302
    assert signed_in(member).get(url).status_code == 200
    call.programme_published = True
    call.save(update_fields=["programme_published"])
    assert Client().get(url).status_code == 200
    assert Client().get(reverse("programme:year_xlsx", args=[2040])).status_code == 404
