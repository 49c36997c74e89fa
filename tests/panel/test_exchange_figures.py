"""The exchange's figures on the secretariat's figures page: questions, answers, the median time
to a first answer and the share answered, by the asker's country and by month, for known data.

The period is the first quarter of 2026 (tests.panel.conftest.QUARTER). Every expected number
follows from the `exchange` fixture:

question (asker)       asked           first answer     marked   answers in the quarter
q1 (KZ)                10 Jan 12:00    +3 h             yes      2 (Jan)
q2 (KZ)                1 Feb 12:00     +24 h            no       1 (Feb); a held answer and a reply
                                                                 are not answers
q3 (KG)                15 Feb 12:00    —                no       0
q4 (UZ)                5 Mar 12:00     +6 h             yes      1 (Mar)
q6 (KZ)                31 Mar 23:00    +2 h (1 Apr)     no       0 (its answer is in April)
q5 (KZ)                20 Dec 2025     (before)                  1 (Jan)
a discussion (KG) and a hidden question (UZ), with answers: not counted.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from panel.selectors.figures import figure
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import ProfileFactory
from tests.panel.conftest import QUARTER, at

pytestmark = pytest.mark.django_db
HALF_HOUR = datetime.timedelta(minutes=30)


def _question(asker, asked, answers=(), *, accept=None, **fields):
    thread = ThreadFactory(author=asker, created_at=asked, **fields)
    posts = [PostFactory(thread=thread, created_at=moment) for moment in answers]
    if accept is not None:
        thread.accepted_answer = posts[accept]
        thread.save(update_fields=["accepted_answer"])
    return thread, posts


@pytest.fixture
def exchange(db):
    kz, kg, uz = (ProfileFactory(country=code).user for code in ("KZ", "KG", "UZ"))
    _question(kz, at(2026, 1, 10, 12), [at(2026, 1, 10, 15), at(2026, 1, 12, 12)], accept=0)
    q2, (answer,) = _question(kz, at(2026, 2, 1, 12), [at(2026, 2, 2, 12)])
    PostFactory(thread=q2, created_at=at(2026, 2, 1, 13), state="held")
    PostFactory(thread=q2, parent=answer, created_at=at(2026, 2, 1, 12) + HALF_HOUR)
    _question(kg, at(2026, 2, 15, 12))
    _question(uz, at(2026, 3, 5, 12), [at(2026, 3, 5, 18)], accept=0)
    _question(kz, at(2026, 3, 31, 23), [at(2026, 4, 1, 1)])
    _question(kz, at(2025, 12, 20, 12), [at(2026, 1, 5, 12)])
    _question(kg, at(2026, 1, 20, 12), [at(2026, 1, 21, 12)], kind="discussion")
    _question(uz, at(2026, 2, 10, 12), [at(2026, 2, 10, 13)], state="hidden")


def table(slug: str) -> dict:
    result = figure(slug=slug, period=QUARTER)
    keys = [key for key, _label in result.series]
    return {
        row.code: dict(zip(keys, row.values, strict=True)) for row in result.rows if row.values[0]
    }


def test_by_the_askers_country(exchange):
    result = figure(slug="exchange-country", period=QUARTER)

    assert table("exchange-country") == {
        "KZ": {"questions": 3, "answers": 4, "median_hours": 3.0, "answered_share": 33.3},
        "KG": {"questions": 1, "answers": 0, "median_hours": None, "answered_share": 0.0},
        "UZ": {"questions": 1, "answers": 1, "median_hours": 6.0, "answered_share": 100.0},
    }
    # The median of all the quarter's questions, not a sum of the countries'.
    assert result.totals == (5, 5, 4.5, 40.0)
    assert len(result.rows) == 10  # every country, "other" too, even without questions


def test_by_month(exchange):
    result = figure(slug="exchange-month", period=QUARTER)

    assert [(row.code, row.values) for row in result.rows] == [
        ("2026-01", (1, 3, 3.0, 100.0)),
        ("2026-02", (2, 1, 24.0, 0.0)),
        ("2026-03", (2, 1, 4.0, 50.0)),
    ]
    assert result.totals == (5, 5, 4.5, 40.0)
    # The chart draws the counts only: hours and percentages have their own scale.
    assert [dataset["label"] for dataset in result.chart_data()["datasets"]] == [
        "Questions",
        "Answers",
    ]


def test_a_period_without_questions_shows_no_median_or_share(exchange):
    result = figure(
        slug="exchange-month",
        period=type(QUARTER)(start=datetime.date(2026, 5, 1), end=datetime.date(2026, 5, 31)),
    )

    assert [(row.code, row.values) for row in result.rows] == [("2026-05", (0, 0, None, None))]
    assert result.totals == (0, 0, None, None)


def test_on_the_figures_page_and_as_csv(client, secretariat, exchange):
    client.force_login(secretariat)
    period = {"start": "2026-01-01", "end": "2026-03-31"}

    page = client.get(reverse("panel:figures"), period)
    exported = client.get(reverse("panel:figure_csv", args=["exchange-month"]), period)

    assert page.status_code == 200
    text = page.content.decode()
    section = text[text.index('id="figure-exchange-month"') :]
    section = section[: section.index("</section>")]
    assert re.findall(r'<td class="number">([^<]*)</td>', section) == [
        *("1", "3", "3.0", "100.0"),
        *("2", "1", "24.0", "0.0"),
        *("2", "1", "4.0", "50.0"),
        *("5", "5", "4.5", "40.0"),
    ]
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["code", "Month", "Questions", "Answers", "Median hours to first answer", "Answered (%)"],
        ["2026-01", "January 2026", "1", "3", "3.0", "100.0"],
        ["2026-02", "February 2026", "2", "1", "24.0", "0.0"],
        ["2026-03", "March 2026", "2", "1", "4.0", "50.0"],
    ]


def test_in_russian_the_numbers_use_a_decimal_comma(client, secretariat, exchange):
    client.force_login(secretariat)
    client.cookies["mirpal_language"] = "ru"

    page = client.get(reverse("panel:figures"), {"start": "2026-01-01", "end": "2026-03-31"})

    text = page.content.decode()
    section = text[text.index('id="figure-exchange-country"') :]
    section = section[: section.index("</section>")]
    # KZ, KG, UZ and the totals; an empty median is a dash.
    assert re.findall(r'<td class="number">([^<]*)</td>', section)[-4:] == [
        "5",
        "5",
        "4,5",
        "40,0",
    ]
    assert "—" in section


def test_only_staff_who_read_the_exchange_see_its_figures(client_for):
    slugs = {
        role: [
            item.slug
            for item in client_for(role)
            .get(reverse("panel:figures"), {"start": "2026-01-01", "end": "2026-03-31"})
            .context["figures"]
        ]
        for role in ("secretariat", "editor")
    }

    assert slugs["secretariat"][-2:] == ["exchange-country", "exchange-month"]
    assert "exchange-country" not in slugs["editor"]
    assert (
        client_for("editor").get(reverse("panel:figure_csv", args=["exchange-country"])).status_code
        == 403
    )


@pytest.mark.parametrize("size", [1, 20])
def test_query_count_is_constant(exchange, django_assert_num_queries, size):
    askers = [ProfileFactory(country="TJ").user for _index in range(size)]
    for index, asker in enumerate(askers):
        _question(asker, at(2026, 2, 1 + index % 28), [at(2026, 2, 1 + index % 28, 14)])

    # Per figure: the questions grouped, the answers grouped, the questions overall.
    with django_assert_num_queries(6):
        by_country = figure(slug="exchange-country", period=QUARTER)
        figure(slug="exchange-month", period=QUARTER)

    assert table("exchange-country")["TJ"] == {
        "questions": size,
        "answers": size,
        "median_hours": 2.0,
        "answered_share": 0.0,
    }
    assert by_country.totals[0] == 5 + size
