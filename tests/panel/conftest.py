"""Known data for the panel's figures: every expected number in the tests follows from here.

The period is the first quarter of 2026 (1 January to 31 March, UTC).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from events.models import Attendance, Invitation, Registration
from library.models import Document, Issue, SearchLog
from mirpal.models import OutboxMessage
from panel.selectors.periods import Period
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.library import DocumentFactory, IssueFactory
from tests.factories.members import ProfileFactory

QUARTER = Period(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


@dataclass
class Known:
    profiles: dict
    events: dict


def _profile(*, applied_at, changed_at, last_login=None, **fields):
    profile = ProfileFactory(**fields)
    type(profile).objects.filter(pk=profile.pk).update(
        applied_at=applied_at, status_changed_at=changed_at
    )
    type(profile.user).objects.filter(pk=profile.user_id).update(last_login=last_login)
    profile.refresh_from_db()
    return profile


def _event(start: datetime.datetime, **fields):
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **fields)


def _mail(key: str, user, *, status: str = "sent", sent_at=None, kind: str = "event_invitation"):
    return OutboxMessage.objects.create(
        idempotency_key=key,
        kind=kind,
        recipient=user,
        to_email=user.email,
        subject="Invitation",
        body_text="Hello",
        status=status,
        sent_at=sent_at,
    )


@pytest.fixture
def known(db) -> Known:
    now = timezone.now()
    p1 = _profile(
        country="KZ",
        organisation_type="government",
        status="approved",
        applied_at=at(2026, 1, 10),
        changed_at=at(2026, 2, 5),
        last_login=now - datetime.timedelta(days=10),
    )
    p2 = _profile(
        country="KZ",
        organisation_type="academia",
        status="pending",
        applied_at=at(2026, 2, 20),
        changed_at=None,
    )
    p3 = _profile(
        country="KG",
        organisation_type="ngo",
        status="approved",
        applied_at=at(2025, 6, 1),
        changed_at=at(2025, 7, 1),
    )
    p4 = _profile(
        country="RU",
        organisation_type="government",
        status="rejected",
        applied_at=at(2026, 3, 31, 23),
        changed_at=at(2026, 4, 1),
    )
    p5 = _profile(
        country="AM",
        organisation_type="government",
        status="approved",
        applied_at=at(2026, 4, 1, 0),
        changed_at=at(2026, 4, 2),
        last_login=now - datetime.timedelta(days=800),
    )
    # p3 is active through a registration made a month ago, for an event after the quarter.
    later = EventFactory()
    RegistrationFactory(event=later, user=p3.user)
    Registration.objects.filter(event=later).update(created_at=now - datetime.timedelta(days=30))

    e1 = _event(at(2026, 2, 10), capacity=10)
    e2 = _event(at(2026, 3, 5), status="completed")
    e3 = _event(at(2026, 2, 15), status="cancelled")
    e4 = _event(at(2026, 2, 20), status="draft")
    RegistrationFactory(event=e1, user=p1.user)
    RegistrationFactory(event=e1, user=p3.user)
    RegistrationFactory(event=e1, user=p5.user, status="waiting")
    RegistrationFactory(event=e2, user=p1.user)
    RegistrationFactory(event=e2, user=p5.user, status="declined")
    RegistrationFactory(event=e3, user=p3.user)
    RegistrationFactory(event=e4, user=p1.user)
    # p5's answers are old, so that p5 is not active.
    Registration.objects.filter(user=p5.user).update(created_at=now - datetime.timedelta(days=800))
    for event, profile in [(e1, p1), (e1, p3), (e2, p1), (e2, p5), (e3, p3)]:
        Attendance.objects.create(event=event, user=profile.user, minutes=90)

    _mail("event:1:invitation:1:v1", p1.user, sent_at=at(2026, 2, 1))
    _mail("event:1:invitation:2:v1", p2.user, sent_at=at(2026, 2, 1))
    _mail("event:2:invitation:3:v1", p3.user, sent_at=at(2026, 3, 1))
    _mail("event:2:invitation:4:v1", p4.user, status="failed")
    _mail("event:9:invitation:1:v1", p1.user, sent_at=at(2026, 4, 3))
    _mail("event:1:reminder:1:v1", p1.user, sent_at=at(2026, 2, 9), kind="event_reminder")
    Invitation.objects.create(event=e1, user=p1.user, answer="going", answered_at=at(2026, 2, 3))
    Invitation.objects.create(
        event=e1, user=p2.user, answer="not_going", answered_at=at(2026, 2, 4)
    )
    Invitation.objects.create(event=e2, user=p3.user)

    for query, results, moment in [
        ("visa", 3, at(2026, 1, 5)),
        ("patent", 0, at(2026, 1, 6)),
        ("Patent", 0, at(2026, 2, 6)),
        ("remittances", 0, at(2026, 2, 7)),
        ("quota", 0, at(2026, 4, 1)),
    ]:
        SearchLog.objects.create(
            query=query, results_count=results, language="en", created_at=moment
        )

    first = DocumentFactory(kind="report", published_on=datetime.date(2026, 1, 15))
    DocumentFactory(kind="report", published_on=datetime.date(2025, 12, 31))
    DocumentFactory(kind="study", published_on=datetime.date(2026, 3, 31))
    Document.objects.filter(kind="report").update(download_count=5)
    Document.objects.filter(pk=first.pk).update(download_count=7)
    issue = IssueFactory(published_on=datetime.date(2026, 2, 1))
    Issue.objects.filter(pk=issue.pk).update(download_count=4)
    return Known(
        profiles={"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5},
        events={"e1": e1, "e2": e2, "e3": e3, "e4": e4, "later": later},
    )
