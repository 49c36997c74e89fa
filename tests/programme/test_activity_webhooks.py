"""Partners subscribed to activity.planned hear of each activity planned in a published programme:
when the programme is published, when an answer plans one, when the admin plans one or plans a
cancelled one again. Nothing while the programme is for members only."""

import pytest
from django.urls import reverse

from mirpal.models import WebhookDelivery, WebhookEndpoint
from programme.models import Activity
from tests.factories.api import PartnerFactory
from tests.factories.programme import ActivityFactory
from tests.programme.answer_world import (
    YEAR,
    admin_form_data,
    answer_on_page,
    call_of,
    proposal_with_people,
    signed_in,
    year_world,
)

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def endpoint():
    WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="http://127.0.0.1:9/events", topics=["event.published"]
    )
    return WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="http://127.0.0.1:9/hook", topics=["activity.planned"]
    )


def announced() -> list[tuple]:
    return [
        (url, topic, payload["data"]["title_en"], payload["data"]["status"])
        for url, topic, payload in WebhookDelivery.objects.order_by("created_at", "pk").values_list(
            "endpoint__url", "topic", "payload"
        )
    ]


KEYS = ("id", "year", "quarter", "kind", "status", "title_en", "title_ru", "countries", "url")


def told(delivery) -> tuple:
    """The delivery's topic and the activity's fields it carries (programme.payloads)."""
    return delivery.payload["topic"], {key: delivery.payload["data"][key] for key in KEYS}


def payload(activity) -> tuple:
    return "activity.planned", {
        "id": activity.pk,
        "year": YEAR,
        "quarter": activity.quarter,
        "kind": str(activity.kind),
        "status": "planned",
        "title_en": activity.title_en,
        "title_ru": activity.title_ru,
        "countries": activity.countries,
        "url": f"{SITE}/programme/{YEAR}/",
    }


def test_publishing_the_programme_announces_its_planned_activities(endpoint, secretariat):
    call = call_of()
    conference, _visit, _study, _cancelled = year_world(call)["activities"]
    assert announced() == []

    response = signed_in(secretariat).post(
        reverse("admin:programme_call_changelist"),
        {"action": "publish_programme", "_selected_action": [call.pk]},
    )

    assert response.status_code == 302
    hook = "http://127.0.0.1:9/hook"
    assert announced() == [
        (hook, "activity.planned", "Video conference on pre-departure orientation", "planned"),
        (hook, "activity.planned", "Study of return programmes", "planned"),
    ]
    assert told(WebhookDelivery.objects.order_by("created_at", "pk").first()) == payload(conference)

    # Published already: publishing again announces nothing more.
    signed_in(secretariat).post(
        reverse("admin:programme_call_changelist"),
        {"action": "publish_programme", "_selected_action": [call.pk]},
    )
    assert len(announced()) == 2


def test_an_answer_that_plans_an_activity_announces_it(endpoint, secretariat):
    call = call_of(programme_published=True)
    proposal = proposal_with_people(call)[0]

    response = answer_on_page(
        signed_in(secretariat),
        proposal,
        state="accepted",
        plan_kind="video_conference",
        plan_quarter="4",
        plan_title_en="Video conference on recruitment agencies",
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert told(WebhookDelivery.objects.get()) == payload(activity)
    assert activity.countries == ["KZ", "TJ"]


def test_nothing_is_announced_while_the_programme_is_for_members(endpoint, secretariat):
    call = call_of()
    proposal = proposal_with_people(call)[0]

    answer_on_page(
        signed_in(secretariat),
        proposal,
        state="accepted",
        plan_kind="study",
        plan_quarter="1",
        plan_title_ru="Исследование",
    )

    assert Activity.objects.count() == 1
    assert WebhookDelivery.objects.count() == 0


def _admin_add(client, **fields):
    url = reverse("admin:programme_activity_add")
    data = admin_form_data(client.get(url))
    data.update(fields)
    return client.post(url, data)


def test_planning_an_activity_in_the_admin_announces_it(endpoint, secretariat):
    call_of(programme_published=True)
    call_of(year=YEAR + 1)
    client = signed_in(secretariat)

    planned = _admin_add(
        client,
        year=str(YEAR),
        quarter="2",
        kind="training",
        status="planned",
        title_en="Training for labour inspectors",
        title_ru="Обучение трудовых инспекторов",
        countries=["KG", "KZ"],
    )
    unpublished = _admin_add(
        client,
        year=str(YEAR + 1),
        quarter="1",
        kind="study",
        status="planned",
        title_en="A study for the year after",
    )

    assert (planned.status_code, unpublished.status_code) == (302, 302)
    activity = Activity.objects.get(year=YEAR)
    assert activity.countries == ["KG", "KZ"]
    assert [told(delivery) for delivery in WebhookDelivery.objects.all()] == [payload(activity)]


def test_an_activity_planned_again_after_a_cancellation_is_announced(endpoint, secretariat):
    call_of(programme_published=True)
    activity = ActivityFactory(year=YEAR, status="cancelled", title_en="Postponed visit")
    client = signed_in(secretariat)
    url = reverse("admin:programme_activity_change", args=[activity.pk])

    kept = admin_form_data(client.get(url))
    assert client.post(url, {**kept, "quarter": "4"}).status_code == 302
    assert WebhookDelivery.objects.count() == 0

    again = admin_form_data(client.get(url))
    assert client.post(url, {**again, "status": "planned"}).status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.quarter) == ("planned", 4)
    assert announced() == [
        ("http://127.0.0.1:9/hook", "activity.planned", "Postponed visit", "planned")
    ]
