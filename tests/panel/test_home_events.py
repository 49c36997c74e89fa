"""The secretariat's home lists the next published events with their registrations: the events
are picked first and only theirs counted, so the page costs the same with 3 or 30 coming events."""

import datetime
import re

import pytest
from django.urls import reverse

from events.models import Registration
from tests.factories.events import EventFactory, in_days
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:
    """The coming events' table as the secretariat reads it: event, registered, places, wait."""
    body = re.search(
        r'<section aria-labelledby="coming">.*?</section>', response.content.decode(), re.S
    )[0]
    table = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]:
        cells = [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        table.append([cells[0], cells[2], cells[3], cells[4]])
    return table


def _coming(count: int) -> None:
    people = [ProfileFactory().user for _ in range(3)]
    for number in range(count):
        event = EventFactory(
            title_en=f"Event {number:02d}", starts_at=in_days(number + 1), capacity=2
        )
        for person in people[: number % 3]:
            Registration.objects.create(event=event, user=person, status="confirmed")
        if number % 3 == 2:
            Registration.objects.create(
                event=event,
                user=ProfileFactory().user,
                status="waiting",
                waiting_since=in_days(-1),
            )
    # Neither a draft, a cancelled event nor one that has ended is "coming".
    EventFactory(title_en="Draft", starts_at=in_days(0.5), status="draft")
    EventFactory(title_en="Cancelled", starts_at=in_days(0.5), status="cancelled")
    ended = in_days(-3)
    EventFactory(title_en="Over", starts_at=ended, ends_at=ended + datetime.timedelta(hours=2))


@pytest.mark.parametrize("count", [3, 30])
def test_the_next_eight_events_with_their_own_counts_in_the_same_queries(
    client, secretariat, django_assert_num_queries, count
):
    _coming(count)
    client.force_login(secretariat)
    client.get(reverse("panel:home"))
    # The session's user, the queues (six), the events (one), the lately published (two).
    with django_assert_num_queries(10):
        response = client.get(reverse("panel:home"))
    expected = [
        [
            f"Event {number:02d}",
            str(number % 3),
            "2 full" if number % 3 == 2 else "2",
            "1" if number % 3 == 2 else "0",
        ]
        for number in range(min(count, 8))
    ]
    assert rows(response) == expected
