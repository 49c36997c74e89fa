"""The year's programme page (also the printable report): activities by quarter with the proposals
they answer and what they became, coverage by country and by topic; for members until the
secretariat publishes it; a fixed number of queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from programme.models import Call
from tests.factories.members import ProfileFactory
from tests.factories.programme import ActivityFactory, ProposalFactory, SupportFactory
from tests.programme.answer_world import YEAR, admin_form_data, call_of, page_text, signed_in
from tests.programme.answer_world import year_world as make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return call_of()


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def quarters(response) -> list[tuple[str, list[str]]]:
    """Each quarter's (and the cancelled activities') heading and its activities as text."""
    html = response.content.decode()
    found = []
    for section in re.findall(
        r'<section class="card programme-quarter".*?</section>', html, flags=re.S
    ):
        heading = page_text_of(re.search(r"<h2[^>]*>(.*?)</h2>", section).group(1))
        items = section.split('<li class="programme-activity"')[1:]
        found.append((heading, [page_text_of(f"<li{item}") for item in items]))
    return found


def links(response, css_class: str) -> list[tuple[str, str]]:
    html = response.content.decode()
    found = []
    for block in re.findall(rf'<ul class="{css_class}">(.*?)</ul>', html, flags=re.S):
        found.extend(re.findall(r'<a href="([^"]+)">([^<]+)</a>', block))
    return found


def coverage(response, heading_id: str) -> list[list[str]]:
    html = _between(response.content.decode(), f'aria-labelledby="{heading_id}"', "</section>")
    return [
        [page_text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    ]


def page_text_of(fragment: str) -> str:
    class _Response:
        content = fragment.encode()

    return page_text(_Response())


CONFERENCE = (
    "Video conference on pre-departure orientation Planned Video conference · Kazakhstan, "
    "Tajikistan In answer to the proposals: Orientation before departure (2 supports) "
    "Courses for families staying behind (0 supports)"
)
VISIT = (
    "Visit to the Tashkent migrant centre Held Field visit · Uzbekistan What it became: "
    "Event: Field visit to Tashkent Document: Visit report"
)
STUDY_FOR_MEMBERS = (
    "Study of return programmes Planned Study · Armenia, Moldova What it became: "
    "Good-practice case: Reintegration grants"
)
CANCELLED = "Training of consular staff Cancelled Training · Belarus"
HEADER = ["Activities", "Proposals", "Accepted proposals"]
COUNTRIES = [
    ["Country", *HEADER],
    ["Armenia", "1", "0", "0"],
    ["Belarus", "0", "0", "0"],
    ["Kazakhstan", "1", "2", "2"],
    ["Kyrgyz Republic", "0", "0", "0"],
    ["Moldova", "1", "1", "0"],
    ["Russia", "0", "0", "0"],
    ["Tajikistan", "1", "1", "1"],
    ["Ukraine", "0", "0", "0"],
    ["Uzbekistan", "1", "1", "0"],
    ["In all", "3", "4", "2"],
]


def test_the_programme_shows_each_quarter_its_proposals_and_what_it_became(call, member):
    world = make_year(call)
    supported, also = world["proposals"][:2]
    visit, study = world["activities"][1:3]
    first, second = world["topics"]

    response = signed_in(member).get(reverse("programme:year", args=[YEAR]))

    assert response.status_code == 200
    text = page_text(response)
    assert "MIRPAL work programme 2031" in text
    assert "For members only: not yet published" in text
    assert "3 activities planned or held · 4 proposals from members · 2 accepted" in text
    assert quarters(response) == [
        ("Quarter 1", [CONFERENCE, VISIT]),
        ("Quarter 2", []),
        ("Quarter 3", [STUDY_FOR_MEMBERS]),
        ("Quarter 4", []),
        ("Cancelled", [CANCELLED]),
    ]
    assert "Next year's conference" not in text
    assert links(response, "programme-proposals") == [
        (supported.get_absolute_url(), "Orientation before departure"),
        (also.get_absolute_url(), "Courses for families staying behind"),
    ]
    assert links(response, "programme-became") == [
        (visit.event.get_absolute_url(), "Field visit to Tashkent"),
        (visit.document.get_absolute_url(), "Visit report"),
        (study.case.get_absolute_url(), "Reintegration grants"),
    ]
    assert coverage(response, "coverage-countries") == COUNTRIES
    assert coverage(response, "coverage-topics") == [
        ["Topic", *HEADER],
        [first.name_en, "1", "1", "1"],
        [second.name_en, "1", "1", "0"],
        ["In all", "3", "4", "2"],
    ]
    assert f'href="{reverse("programme:year_xlsx", args=[YEAR])}"' in response.content.decode()


def test_the_page_in_russian(call, member):
    make_year(call)
    client = signed_in(member)
    client.cookies["mirpal_language"] = "ru"

    response = client.get(reverse("programme:year", args=[YEAR]))

    text = page_text(response)
    assert "Программа работы MIRPAL на 2031 год" in text
    assert "Видеоконференция о подготовке к выезду" in text
    assert coverage(response, "coverage-countries")[0] == [
        "Страна",
        "Мероприятия",
        "Предложения",
        "Принятые предложения",
    ]


def test_members_only_until_published_then_public(call, member, applicant, secretariat):
    make_year(call)
    url = reverse("programme:year", args=[YEAR])

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('account_login')}?next={url}"
    assert signed_in(applicant).get(url)["Location"] == reverse("members:account")
    assert Client().get(reverse("programme:current")).status_code == 302
    assert signed_in(member).get(reverse("programme:current"))["Location"] == url

    # The secretariat publishes the programme from the admin's list of calls.
    changelist = reverse("admin:programme_call_changelist")
    published = signed_in(secretariat).post(
        changelist, {"action": "publish_programme", "_selected_action": [call.pk]}
    )
    assert published.status_code == 302
    call.refresh_from_db()
    assert call.programme_published is True

    response = Client().get(url)
    assert response.status_code == 200
    assert "For members only" not in page_text(response)
    # The members-only case stays members'; the rest is the same for everyone.
    assert quarters(response) == [
        ("Quarter 1", [CONFERENCE, VISIT]),
        ("Quarter 2", []),
        ("Quarter 3", ["Study of return programmes Planned Study · Armenia, Moldova"]),
        ("Quarter 4", []),
        ("Cancelled", [CANCELLED]),
    ]
    assert coverage(response, "coverage-countries") == COUNTRIES
    assert Client().get(reverse("programme:current"))["Location"] == url


def test_publishing_by_ticking_the_box_in_the_calls_form(call, secretariat):
    url = reverse("admin:programme_call_change", args=[call.pk])
    client = signed_in(secretariat)
    data = admin_form_data(client.get(url))
    data["programme_published"] = "on"
    for name in ("opens_at", "closes_at"):
        moment = getattr(call, name)
        data.pop(name, None)
        data[f"{name}_0"] = moment.strftime("%Y-%m-%d")
        data[f"{name}_1"] = moment.strftime("%H:%M:%S")

    response = client.post(url, data)

    assert response.status_code == 302
    assert Call.objects.get().programme_published is True
    assert Client().get(reverse("programme:year", args=[YEAR])).status_code == 200


def test_an_unknown_year_does_not_exist(call, member):
    assert signed_in(member).get(reverse("programme:year", args=[2040])).status_code == 404


def _programme_of(call, size: int) -> None:
    for number in range(size):
        activity = ActivityFactory(year=call.year, quarter=number % 4 + 1)
        proposal = ProposalFactory(
            call=call, state="accepted", activity=activity, author=ProfileFactory().user
        )
        SupportFactory(proposal=proposal)


@pytest.mark.parametrize("size", [3, 15])
def test_the_page_takes_the_same_queries_at_any_size(call, member, size, django_assert_num_queries):
    _programme_of(call, size)
    client = signed_in(member)
    url = reverse("programme:year", args=[YEAR])
    client.get(url)  # the session and the member's profile, once

    with django_assert_num_queries(7):
        response = client.get(url)

    assert len(quarters(response)[0][1]) == len(range(0, size, 4))
