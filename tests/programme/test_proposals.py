"""Proposing through the form, the list of a call's proposals with its filters and orders, and
one proposal's page: who reads them, what they show, and the list's constant query count."""

import pytest
from django.test import Client
from django.urls import reverse

from mirpal.models import AuditEntry, Topic
from programme.enums import ProposalState
from programme.models import Proposal
from programme.services import CallClosed, proposal_create
from tests.factories.programme import (
    ActivityFactory,
    CallFactory,
    CommentFactory,
    ProposalFactory,
    SupportFactory,
)
from tests.programme.proposal_world import (
    closed_call,
    page_messages,
    person,
    signed_in,
    titles,
)

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    topic = Topic.objects.order_by("position", "slug").first()
    return {
        "title": "  Pre-departure orientation for seasonal workers  ",
        "need": "Our ministry drafts a course and wants to learn from colleagues.",
        "why_now": "The new law takes effect in March.",
        "activity_kind": "video_conference",
        "countries": ["TJ", "UZ"],
        "topics": [topic.pk],
        "language": "en",
        **overrides,
    }


def test_a_member_proposes_in_the_open_call(member):
    call = CallFactory()
    client = signed_in(member)
    assert client.get(reverse("programme:propose")).status_code == 200

    response = client.post(reverse("programme:propose"), _form(), follow=True)

    proposal = Proposal.objects.get()
    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert (proposal.call, proposal.author, proposal.title, proposal.countries) == (
        call,
        member,
        "Pre-departure orientation for seasonal workers",
        ["TJ", "UZ"],
    )
    assert (proposal.state, proposal.support_count, proposal.language) == ("submitted", 0, "en")
    assert [t.pk for t in proposal.topics.all()] == _form()["topics"]
    assert page_messages(response) == ["Your proposal is published. Members can now support it."]
    text = response.content.decode()
    assert "Tajikistan, Uzbekistan" in text
    assert member.get_full_name() in text
    entry = AuditEntry.objects.get(object_type="programme.Proposal")
    assert (entry.action, entry.actor, entry.object_id) == ("create", member, str(proposal.pk))


@pytest.mark.parametrize(
    ("countries", "error"),
    [([], "Choose at least one country."), (["XX"], "Select a valid choice.")],
)
def test_a_proposal_names_countries_of_the_network(member, countries, error):
    CallFactory()
    response = signed_in(member).post(reverse("programme:propose"), _form(countries=countries))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Proposal.objects.count() == 0


def test_no_proposal_outside_an_open_call(member):
    call = closed_call()
    response = signed_in(member).post(reverse("programme:propose"), _form(), follow=True)
    assert response.redirect_chain == [(reverse("programme:proposals"), 302)]
    assert page_messages(response) == ["No call for proposals is open now."]
    with pytest.raises(CallClosed) as refused:
        proposal_create(
            call=call, by=member, title="Late", need="Late", activity_kind="study",
            countries=["KZ"], language="ru",
        )  # fmt: skip
    assert str(refused.value.message) == (
        f"The call for proposals for {call.year} is closed: proposals, supports and comments "
        "are no longer taken."
    )
    assert Proposal.objects.count() == 0


def test_an_applicant_does_not_propose(applicant):
    CallFactory()
    response = signed_in(applicant).post(reverse("programme:propose"), _form())
    assert response.status_code == 302
    assert response.url == reverse("members:account")
    assert Proposal.objects.count() == 0


def test_proposals_are_for_members_until_the_programme_is_published(member):
    call = CallFactory()
    ProposalFactory(call=call, title="Remittance costs", author=person("Aida", "Bek"))
    url = reverse("programme:proposals")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))
    assert titles(signed_in(member).get(url)) == ["Remittance costs"]

    call.programme_published = True
    call.save()
    response = Client().get(url)
    assert titles(response) == ["Remittance costs"]
    # Names are for members.
    assert "Aida Bek" not in response.content.decode()
    assert "Aida Bek" in signed_in(member).get(url).content.decode()


def test_the_list_filters_and_orders(member):
    call = CallFactory()
    labour, remittances = Topic.objects.order_by("position", "slug")[:2]
    a = ProposalFactory(call=call, title="A", countries=["TJ"], topics=[labour])
    b = ProposalFactory(
        call=call, title="B", countries=["KZ", "TJ"], activity_kind="study", topics=[remittances]
    )
    c = ProposalFactory(call=call, title="C", countries=["AM"], state=ProposalState.EVALUATING)
    ProposalFactory(call=call, title="D merged", state=ProposalState.MERGED, merged_into=a)
    ProposalFactory(call=closed_call(), title="Other year")
    SupportFactory.create_batch(2, proposal=c)
    SupportFactory(proposal=b)
    client = signed_in(member)
    url = reverse("programme:proposals")

    assert titles(client.get(url)) == ["C", "B", "A"]
    assert titles(client.get(url, {"order": "newest"})) == ["C", "B", "A"]
    Proposal.objects.filter(pk=a.pk).update(created_at=c.created_at.replace(year=3000))
    assert titles(client.get(url, {"order": "newest"})) == ["A", "C", "B"]
    assert titles(client.get(url, {"country": "TJ"})) == ["B", "A"]
    assert titles(client.get(url, {"topic": remittances.slug})) == ["B"]
    assert titles(client.get(url, {"kind": "study"})) == ["B"]
    assert titles(client.get(url, {"state": "evaluating"})) == ["C"]
    assert titles(client.get(url, {"state": "merged"})) == ["D merged"]
    assert titles(client.get(url, {"year": call.year + 1})) == ["Other year"]
    assert client.get(url, {"year": 2099}).status_code == 404


@pytest.mark.parametrize("count", [3, 15])
def test_the_list_query_count_does_not_grow(count, member, django_assert_num_queries):
    call = CallFactory()
    topics = list(Topic.objects.all()[:2])
    for index in range(count):
        proposal = ProposalFactory(call=call, title=f"Proposal {index}", topics=topics)
        SupportFactory(proposal=proposal, **({"user": member} if index < 2 else {}))
        CommentFactory(proposal=proposal)
    client = signed_in(member)
    client.get(reverse("programme:proposals"))  # the session and the chrome warmed up
    # Session and user, the call, topics for the filter, proposals, their topics, the member's
    # supports counted, the proposals they support.
    with django_assert_num_queries(7):
        response = client.get(reverse("programme:proposals"))
    assert len(titles(response)) == count


def test_the_proposal_page_shows_breadth_supporters_history_and_answer(member, secretariat):
    call = CallFactory()
    activity = ActivityFactory(title_en="Video conference on orientation")
    proposal = ProposalFactory(
        call=call,
        title="Orientation courses",
        countries=["TJ", "KG"],
        author=person("Dilnoza", "Rahimova", country="UZ"),
    )
    for first, country, kind in [
        ("Anna", "KZ", "government"),
        ("Boris", "KZ", "ngo"),
        ("Carmen", "MD", "government"),
    ]:
        SupportFactory(
            proposal=proposal, user=person(first, "Supporter", country=country, kind=kind)
        )
    CommentFactory(proposal=proposal, author=person("Petr", "Commenter"), body="We need it too.")
    proposal.history.create(
        from_state="submitted", to_state="accepted", note="Planned for Q2.", actor=secretariat
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        state="accepted", activity=activity, answer="Planned for Q2."
    )

    text = signed_in(member).get(proposal.get_absolute_url()).content.decode()
    assert "3 supports" in text
    assert "Kazakhstan: 2; Moldova: 1" in text
    assert "Government body: 2; NGO: 1" in text
    assert "Supported by: Anna Supporter, Boris Supporter, Carmen Supporter" in text
    assert "Dilnoza Rahimova" in text
    assert "Tajikistan, Kyrgyz Republic" in text
    assert "We need it too." in text
    assert "Petr Commenter" in text
    assert "Submitted → Accepted — Planned for Q2." in text
    assert "Video conference on orientation" in text
    # The secretariat sees the merge form; a member does not.
    assert reverse("programme:merge", args=[proposal.pk]) not in text
    staff = signed_in(secretariat).get(proposal.get_absolute_url()).content.decode()
    assert reverse("programme:merge", args=[proposal.pk]) in staff

    call.programme_published = True
    call.save()
    public = Client().get(proposal.get_absolute_url()).content.decode()
    assert "Kazakhstan: 2; Moldova: 1" in public
    for name in ("Anna Supporter", "Dilnoza Rahimova", "Petr Commenter"):
        assert name not in public


def test_a_proposal_page_in_russian(member):
    proposal = ProposalFactory(call=CallFactory(), countries=["TJ"])
    client = signed_in(member)
    text = client.get(proposal.get_absolute_url(), headers={"accept-language": "ru"}).content
    assert '<html lang="ru">' in text.decode()
    assert "Таджикистан" in text.decode()
