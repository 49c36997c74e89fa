"""Nothing members-only in any answer to anonymous callers or partner keys: join links,
passcodes, recordings, members' and experts' contact details, members-only documents."""

import datetime

import pytest
from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Registration, Session
from tests.factories.api import key_header, partner_key
from tests.factories.events import EventFactory
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(member):
    expert = ExpertFactory(user=member)
    soon = timezone.now() + datetime.timedelta(minutes=5)
    event = EventFactory(
        starts_at=soon, speakers=[expert], recording_url="https://video.example/RECORDING-SECRET"
    )
    Session.objects.create(
        event=event,
        title_en="Talk",
        title_ru="Доклад",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(minutes=20),
    ).speakers.set([expert])
    past = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=3),
        recording_url="https://video.example/PAST-RECORDING",
    )
    Registration.objects.create(event=event, user=member, status=RegistrationStatus.CONFIRMED)
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, title="Migration article", abstract="migration")
    article.author_members.set([member])
    closed = DocumentFactory(title_en="CLOSED-DOCUMENT migration", access="members")
    public = DocumentFactory(title_en="Open migration study")
    public.author_members.set([member])
    secrets = [
        event.join_url,
        event.passcode,
        past.join_url,
        past.passcode,
        event.recording_url,
        past.recording_url,
        expert.contact_email,
        expert.contact_phone,
        member.email,
        member.profile.phone or "+0 NO PHONE",
        "CLOSED-DOCUMENT",
        str(closed.pk) + "/download",
    ]
    urls = [
        "/api/v1/events/",
        "/api/v1/events/?when=all",
        f"/api/v1/events/{event.slug}/",
        f"/api/v1/events/{past.slug}/",
        "/api/v1/experts/",
        f"/api/v1/experts/{expert.pk}/",
        "/api/v1/topics/",
        "/api/v1/countries/",
        "/api/v1/issues/",
        f"/api/v1/issues/{issue.number}/",
        "/api/v1/articles/",
        f"/api/v1/articles/{article.pk}/",
        "/api/v1/documents/",
        f"/api/v1/documents/{public.pk}/",
        f"/api/v1/documents/{closed.pk}/",
        "/api/v1/search/?q=migration",
        "/api/v1/search/",
        "/api/v1/me/registrations/",
        "/api/v1/webhooks/",
        "/api/feeds/events.ics",
        "/api/feeds/library.rss",
        "/api/feeds/library.atom",
        "/api/widget/events/",
        "/api/schema/",
    ]
    return {"secrets": secrets, "urls": urls, "closed": closed}


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_no_endpoint_leaks_members_only_data(client, world, caller):
    headers = key_header(partner_key()[1]) if caller == "partner" else {}
    statuses = {}
    for url in world["urls"]:
        response = client.get(url, **headers)
        statuses[url] = response.status_code
        body = response.content.decode()
        for secret in world["secrets"]:
            assert secret not in body, (url, secret)
    closed = f"/api/v1/documents/{world['closed'].pk}/"
    refused = 403 if caller == "partner" else 401
    assert {url: code for url, code in statuses.items() if code != 200} == {
        closed: 404,
        "/api/v1/me/registrations/": refused,
        **({} if caller == "partner" else {"/api/v1/webhooks/": 401}),
    }


def test_webhook_payload_has_no_join_link(
    client, allow_loopback, django_capture_on_commit_callbacks
):
    from events.services import event_update
    from mirpal.models import WebhookDelivery
    from mirpal.webhooks import webhook_endpoint_create
    from tests.factories.api import PartnerFactory

    webhook_endpoint_create(
        partner=PartnerFactory(), url="http://127.0.0.1:9/hook", topics=["event.changed"]
    )
    event = EventFactory()
    event_update(
        event=event, by=None, join_url="https://zoom.example/j/NEWSECRET", passcode="NEWPASS"
    )
    payload = str(WebhookDelivery.objects.get().payload)
    assert "NEWSECRET" not in payload
    assert "NEWPASS" not in payload
