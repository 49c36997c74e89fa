"""`demo_data` loads the whole demo network once: a second run adds nothing, in any app.

One test runs the command twice and checks every app's part, since each run takes most of a
minute; the other demo tests load it once and look at one app's part."""

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from demo import programme as programme_demo
from events.models import Attendance, Event, Registration
from exchange.models import ExpertInvitation, Follow, Helpful, Post, Thread
from library.models import Document, DownloadDay, Issue, SearchLog
from members.models import MembershipDecision, Profile, User
from portal.models import CountryFigure
from practices.enums import ReviewState
from practices.models import Case, Collection, CollectionItem
from programme.enums import ActivityStatus, PollState, ProposalState
from programme.models import Activity, Call, Poll, Proposal, StateChange, Support

pytestmark = pytest.mark.django_db

NINE = {"AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ"}


def snapshot() -> dict:
    return {
        "users": User.objects.count(),
        "profiles": sorted(Profile.objects.values_list("pk", "applied_at", "status_changed_at")),
        "decisions": MembershipDecision.objects.count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "attendance": Attendance.objects.count(),
        "searches": SearchLog.objects.count(),
        "issue_downloads": Issue.objects.aggregate(total=Sum("download_count"))["total"],
        "document_downloads": Document.objects.aggregate(total=Sum("download_count"))["total"],
        "download_days": list(DownloadDay.objects.order_by("pk").values_list("pk", "day", "count")),
        "threads": sorted(Thread.objects.values_list("pk", "title", "answer_count")),
        "posts": Post.objects.count(),
        "helpful": Helpful.objects.count(),
        "follows": Follow.objects.count(),
        "invitations": ExpertInvitation.objects.count(),
        "cases": sorted(Case.objects.values_list("slug", "review_state")),
        "items": CollectionItem.objects.count(),
        "figures": CountryFigure.objects.count(),
        "proposals": sorted(Proposal.objects.values_list("title", "state", "support_count")),
        "supports": Support.objects.count(),
        "history": StateChange.objects.count(),
        "activities": Activity.objects.count(),
        "polls": Poll.objects.count(),
    }


def test_demo_data_loads_once_and_a_second_run_adds_nothing(settings):
    call_command("demo_data", members=60, documents=5, events=42)
    first = snapshot()
    call_command("demo_data", members=60, documents=5, events=42)
    assert snapshot() == first

    _members(first)
    _history(first)
    _discussions(first)
    _practices(first)
    _programme(settings)


def _members(first):
    assert first["users"] == Profile.objects.count() == 63
    statuses = set(Profile.objects.values_list("status", flat=True))
    assert statuses == {"approved", "pending", "rejected", "suspended"}
    assert Profile.objects.values("country").distinct().count() == 10
    secretariat = User.objects.get(email="secretariat@mirpal.example")
    assert secretariat.has_perm("members.decide_membership") is True
    assert secretariat.is_superuser is False
    member = User.objects.get(email="member@mirpal.example")
    assert member.check_password("mirpal-demo-2026") is True
    assert member.emailaddress_set.get().verified is True


def _history(first):
    assert first["decisions"] == 61  # 58 decided demo members + 2 suspended + the member
    assert first["events"] == 42 + 28  # 22 video conferences, 2 conferences, 4 seminars


def _discussions(first):
    assert len(first["threads"]) == 24
    assert Post.objects.filter(parent__isnull=True).count() == 54
    assert Post.objects.filter(parent__isnull=False).count() == 5
    assert first["invitations"] == 1
    # Up to six marks an answer, as written: 141 in all.
    assert first["helpful"] == 141


def _practices(first):
    # Thirty cases across the nine countries, one awaiting review, each with its topics.
    assert len(first["cases"]) == 30
    countries = {code for row in Case.objects.values_list("countries", flat=True) for code in row}
    assert countries == NINE
    assert Case.objects.filter(review_state=ReviewState.SUBMITTED).count() == 1
    assert Case.objects.filter(topics__isnull=True).count() == 0
    # Two collections, each opening with a note and holding at least four items.
    assert Collection.objects.count() == 2
    for collection in Collection.objects.all():
        items = list(collection.items.order_by("position"))
        assert items[0].kind == "note"
        assert len(items) >= 4
    # Three figures for each country, each also written the Russian way.
    assert first["figures"] == 27
    assert set(CountryFigure.objects.values_list("country", flat=True)) == NINE
    assert CountryFigure.objects.get(country="TJ", year=2023).value_ru == "48,0"


def _programme(settings):
    year = timezone.now().year
    # The open call for next year: supports from all nine countries, none over the limit.
    open_call = Call.objects.get(year=year + 1)
    assert open_call.is_open_at(timezone.now())
    assert not open_call.programme_published
    assert set(programme_demo.supports_by_country(year + 1)) == NINE
    givers = set(Support.objects.filter(call=open_call).values_list("user_id", flat=True))
    for user_id in givers:
        given = Support.objects.filter(call=open_call, user_id=user_id).count()
        assert given <= settings.PROGRAMME_SUPPORTS_PER_YEAR
    for proposal in Proposal.objects.filter(call=open_call):
        assert proposal.support_count == proposal.supports.count()
    states = set(open_call.proposals.values_list("state", flat=True))
    assert {
        ProposalState.SUBMITTED,
        ProposalState.EVALUATING,
        ProposalState.ACCEPTED,
        ProposalState.NOT_THIS_YEAR,
        ProposalState.MERGED,
    } == states
    # This year's published programme: its past activities became events.
    this_year = Call.objects.get(year=year)
    assert this_year.programme_published
    held = Activity.objects.filter(year=year, status=ActivityStatus.HELD)
    assert held.exists()
    assert all(activity.event_id for activity in held)
    # One open scheduling poll, a member of each of the nine countries invited.
    poll = Poll.objects.get()
    assert poll.state == PollState.OPEN
    invited = set(poll.invitees.values_list("profile__country", flat=True))
    assert invited >= NINE
    assert poll.slots.count() == 6
