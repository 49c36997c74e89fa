"""The weekly and monthly digests of new events and library items in followed topics/countries."""

import datetime

import pytest
from django.utils import timezone

from events.mail import digests
from events.models import Event
from mirpal.models import MailPreference, OutboxMessage, Topic
from mirpal.outbox import outbox_send_pending
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2030, 3, 13, 8, 0, tzinfo=datetime.UTC)  # a Wednesday


def test_the_periods():
    assert digests.digest_period(frequency="weekly", now=NOW) == (
        "2030-W10",
        datetime.datetime(2030, 3, 4, tzinfo=datetime.UTC),
        datetime.datetime(2030, 3, 11, tzinfo=datetime.UTC),
    )
    assert digests.digest_period(frequency="monthly", now=NOW) == (
        "2030-02",
        datetime.datetime(2030, 2, 1, tzinfo=datetime.UTC),
        datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC),
    )


def test_followers_of_a_topic_or_country_get_the_new_events_once_in_their_language(smtp_sink):
    topics = list(Topic.objects.order_by("pk")[:2])
    event = EventFactory(
        title_ru="Оргнабор в Казахстане",
        starts_at=NOW + datetime.timedelta(days=20),
        ends_at=NOW + datetime.timedelta(days=20, hours=2),
        countries=["KZ"],
        topics=[topics[0]],
    )
    Event.objects.filter(pk=event.pk).update(published_at=NOW - datetime.timedelta(days=5))
    old = EventFactory(
        starts_at=NOW + datetime.timedelta(days=20),
        ends_at=NOW + datetime.timedelta(days=20, hours=1),
        topics=[topics[0]],
    )
    Event.objects.filter(pk=old.pk).update(published_at=NOW - datetime.timedelta(days=30))
    by_topic = ProfileFactory(mail_language="ru", interests=[topics[0]]).user
    by_country = ProfileFactory(mail_language="en", interests=[topics[1]]).user
    MailPreference.objects.create(user=by_country, followed_countries=["KZ"])
    ProfileFactory(interests=[topics[1]])  # follows something else
    monthly = ProfileFactory(interests=[topics[0]]).user
    MailPreference.objects.create(user=monthly, digest="monthly")
    suspended = ProfileFactory(status="suspended", interests=[topics[0]]).user

    assert digests.digests_send(frequency="weekly", now=NOW) == 2
    assert digests.digests_send(frequency="weekly", now=NOW) == 0
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"digest:weekly:2030-W10:{user.pk}" for user in (by_topic, by_country)
    )
    outbox_send_pending()
    [russian] = smtp_sink.to(by_topic.email)
    assert "Оргнабор в Казахстане" in SmtpSink.text(russian)
    assert old.title_ru not in SmtpSink.text(russian)
    assert str(russian["List-Unsubscribe"]).strip().startswith("<http")
    assert smtp_sink.to(monthly.email) == smtp_sink.to(suspended.email) == []


def test_library_documents_are_in_the_digest(smtp_sink):
    Document = pytest.importorskip("library.models").Document
    topic = Topic.objects.order_by("pk").first()
    document = Document.objects.create(
        kind=Document._meta.get_field("kind").choices[0][0],
        title_en="Remittances in 2029",
        title_ru="Денежные переводы в 2029 году",
        published_on=NOW.date(),
        external_url="https://example.org/report.pdf",
        countries=["TJ"],
    )
    document.topics.set([topic])
    Document.objects.filter(pk=document.pk).update(created_at=NOW - datetime.timedelta(days=4))
    reader = ProfileFactory(mail_language="en", interests=[topic]).user
    assert digests.digests_send(frequency="weekly", now=NOW) == 1
    outbox_send_pending()
    assert "Remittances in 2029" in SmtpSink.text(smtp_sink.to(reader.email)[0])


def test_nothing_new_means_no_digest():
    ProfileFactory(interests=[Topic.objects.first()])
    assert digests.digests_send(frequency="weekly", now=timezone.now()) == 0
