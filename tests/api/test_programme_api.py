"""/api/v1/programme/activities/: the activities of published programme years only; the payload
partners get for "activity.planned"; partners subscribing to the new webhook topics."""

import pytest
from django.conf import settings
from django.urls import reverse

from events.enums import EventStatus
from mirpal.models import Topic, WebhookEndpoint
from practices.enums import Visibility
from programme.enums import ActivityKind, ActivityStatus
from programme.models import Activity
from programme.payloads import activity_webhook_payload
from tests.api.test_outbound import partner_form
from tests.factories.api import key_header, partner_key
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory
from tests.factories.practices import CaseFactory
from tests.factories.programme import ActivityFactory, CallFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def years():
    CallFactory(year=2031, programme_published=True)
    CallFactory(year=2032, programme_published=False)


def test_a_known_activity_with_its_public_links(client, years):
    remittances = Topic.objects.get(slug="remittances")
    event = EventFactory(slug="2031-04-10-orientation", title_en="Orientation talk")
    document = DocumentFactory(title_en="Orientation study")
    case = CaseFactory(slug="orientation-tj", title_en="Orientation courses")
    activity = ActivityFactory(
        year=2031,
        quarter=2,
        kind=ActivityKind.VIDEO_CONFERENCE,
        status=ActivityStatus.HELD,
        title_en="Video conference on pre-departure orientation",
        title_ru="Видеоконференция о подготовке к выезду",
        description_en="Ministries compare their courses.",
        description_ru="Министерства сравнивают свои курсы.",
        countries=["TJ", "UZ"],
        event=event,
        document=document,
        case=case,
    )
    activity.topics.set([remittances])
    response = client.get(f"/api/v1/programme/activities/{activity.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": activity.pk,
        "year": 2031,
        "quarter": 2,
        "kind": "video_conference",
        "kind_label": "Video conference",
        "status": "held",
        "status_label": "Held",
        "title_en": "Video conference on pre-departure orientation",
        "title_ru": "Видеоконференция о подготовке к выезду",
        "description_en": "Ministries compare their courses.",
        "description_ru": "Министерства сравнивают свои курсы.",
        "countries": ["TJ", "UZ"],
        "topics": [{"slug": "remittances", "name": remittances.name_en}],
        "event": {
            "slug": "2031-04-10-orientation",
            "title": "Orientation talk",
            "url": f"{SITE}{event.get_absolute_url()}",
        },
        "document": {
            "id": document.pk,
            "title": "Orientation study",
            "url": f"{SITE}/library/documents/{document.pk}/",
        },
        "case": {
            "slug": "orientation-tj",
            "title": "Orientation courses",
            "url": f"{SITE}/practices/orientation-tj/",
        },
        "url": f"{SITE}/programme/2031/",
    }
    assert client.get("/api/v1/programme/activities/?year=2031").json()["results"] == [
        response.json()
    ]


def test_links_to_what_is_not_public_are_null(client, years):
    activity = ActivityFactory(
        year=2031,
        event=EventFactory(status=EventStatus.DRAFT),
        document=DocumentFactory(access="members"),
        case=CaseFactory(visibility=Visibility.MEMBERS),
    )
    body = client.get(f"/api/v1/programme/activities/{activity.pk}/").json()
    assert (body["event"], body["document"], body["case"]) == (None, None, None)


def test_only_activities_of_published_programmes(client, member, partner_headers, years):
    shown = ActivityFactory(year=2031, quarter=3)
    first = ActivityFactory(year=2031, quarter=1)
    unpublished = ActivityFactory(year=2032)
    no_call = ActivityFactory(year=2033)
    assert ids(client.get("/api/v1/programme/activities/")) == [first.pk, shown.pk]
    assert ids(client.get("/api/v1/programme/activities/", **partner_headers)) == [
        first.pk,
        shown.pk,
    ]
    for hidden in (unpublished, no_call):
        assert client.get(f"/api/v1/programme/activities/{hidden.pk}/").status_code == 404
    assert client.get("/api/v1/programme/activities/?year=2032").json()["results"] == []
    # A member reads the unpublished programme on the site, not through the API.
    client.force_login(member)
    assert ids(client.get("/api/v1/programme/activities/")) == [first.pk, shown.pk]
    for bad in ("0", "abc", "99999999999999999999"):
        assert client.get(f"/api/v1/programme/activities/{bad}/").status_code == 404


def test_filters(client, years):
    CallFactory(year=2030, programme_published=True)
    older = ActivityFactory(
        year=2030, quarter=4, kind=ActivityKind.STUDY, countries=["KZ"], status="cancelled"
    )
    planned = ActivityFactory(year=2031, quarter=1, countries=["TJ"])
    field = ActivityFactory(year=2031, quarter=3, kind=ActivityKind.FIELD_VISIT, countries=["UZ"])
    url = "/api/v1/programme/activities/"
    assert ids(client.get(url)) == [older.pk, planned.pk, field.pk]
    assert ids(client.get(f"{url}?year=2031")) == [planned.pk, field.pk]
    assert ids(client.get(f"{url}?quarter=3")) == [field.pk]
    assert ids(client.get(f"{url}?status=cancelled")) == [older.pk]
    assert ids(client.get(f"{url}?kind=field_visit")) == [field.pk]
    assert ids(client.get(f"{url}?country=TJ")) == [planned.pk]
    bad = client.get(f"{url}?quarter=5&kind=party&country=XX&year=1800")
    assert (bad.status_code, sorted(bad.json())) == (400, ["country", "kind", "quarter", "year"])


@pytest.mark.parametrize("count", [3, 15])
def test_list_query_count_is_constant(client, count, django_assert_num_queries, years):
    topic = Topic.objects.first()
    for _ in range(count):
        activity = ActivityFactory(
            year=2031, event=EventFactory(), document=DocumentFactory(), case=CaseFactory()
        )
        activity.topics.set([topic])
    # count, page (with its event, document and case), topics
    with django_assert_num_queries(3):
        response = client.get("/api/v1/programme/activities/")
    assert len(response.json()["results"]) == count
    assert all(
        row["event"] and row["document"] and row["case"] for row in response.json()["results"]
    )


def test_publishing_a_programme_in_the_admin_shows_its_activities(client, editor):
    call = CallFactory(year=2034)
    activity = ActivityFactory(year=2034, status=ActivityStatus.PLANNED)
    url = "/api/v1/programme/activities/?lang=en"
    assert client.get(url).json()["results"] == []
    admin = type(client)()
    admin.force_login(editor)
    response = admin.post(
        reverse("admin:programme_call_changelist"),
        {"action": "publish_programme", "_selected_action": [call.pk]},
    )
    assert response.status_code == 302
    assert ids(client.get(url)) == [activity.pk]


def test_the_activity_planned_payload_has_public_fields_only(django_assert_num_queries):
    event = EventFactory(slug="2031-05-01-orientation")
    activity = ActivityFactory(
        year=2031,
        quarter=2,
        title_en="Orientation conference",
        title_ru="Конференция о подготовке к выезду",
        countries=["TJ"],
        event=event,
    )
    activity.topics.set(Topic.objects.filter(slug="remittances"))
    activity = Activity.objects.select_related("event").get(pk=activity.pk)
    with django_assert_num_queries(1):  # the topics
        payload = activity_webhook_payload(activity)
    assert payload == {
        "id": activity.pk,
        "year": 2031,
        "quarter": 2,
        "kind": "video_conference",
        "status": "planned",
        "title_en": "Orientation conference",
        "title_ru": "Конференция о подготовке к выезду",
        "countries": ["TJ"],
        "topics": ["remittances"],
        "url": f"{SITE}/programme/2031/",
        "event": {"slug": "2031-05-01-orientation", "url": f"{SITE}{event.get_absolute_url()}"},
    }
    activity.event.status = EventStatus.DRAFT
    assert activity_webhook_payload(activity)["event"] is None
    activity.event = None
    assert activity_webhook_payload(activity)["event"] is None


def test_partners_subscribe_to_cases_and_activities_through_the_api(client):
    _key, raw = partner_key(scopes=[])
    created = client.post(
        "/api/v1/webhooks/",
        {"url": "https://93.184.215.14/hook", "topics": ["activity.planned", "case.published"]},
        content_type="application/json",
        **key_header(raw),
    )
    assert created.status_code == 201, created.content
    assert created.json()["topics"] == ["activity.planned", "case.published"]
    [endpoint] = WebhookEndpoint.objects.all()
    assert endpoint.topics == ["activity.planned", "case.published"]
    assert client.get("/api/v1/webhooks/", **key_header(raw)).json() == [created.json()]


def test_the_secretariat_subscribes_a_partner_to_the_new_topics_in_the_admin(client_for):
    client = client_for("secretariat")
    form = partner_form("https://93.184.215.14/hook") | {
        "webhooks-0-topics": ["case.published", "activity.planned"]
    }
    response = client.post(reverse("admin:mirpal_partner_add"), form)
    assert response.status_code == 302
    [endpoint] = WebhookEndpoint.objects.all()
    assert sorted(endpoint.topics) == ["activity.planned", "case.published"]
    page = client.get(reverse("admin:mirpal_partner_change", args=[endpoint.partner_id]))
    body = page.content.decode()
    assert "Good-practice case published" in body
    assert "Programme activity planned" in body
