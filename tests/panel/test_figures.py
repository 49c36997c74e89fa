import datetime

from panel.selectors.figures import figure, figures_all
from panel.selectors.periods import Period, period_default
from panel.selectors.report import documents_published, events_held, issues_published
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
    # Download counters have no date: the whole library counts, whatever the period.
    assert table("library-downloads") == {
        "report": {"items": 2, "downloads": 12},
        "study": {"items": 1, "downloads": 0},
        "issue": {"items": 1, "downloads": 4},
    }


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


def test_all_figures_take_the_same_number_of_queries_at_two_sizes(known, django_assert_num_queries):
    with django_assert_num_queries(30):
        figures_all(period=QUARTER)
    from tests.factories.members import ProfileFactory

    ProfileFactory.create_batch(30, country="UZ")
    with django_assert_num_queries(30):
        figures_all(period=QUARTER)
