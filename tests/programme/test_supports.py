"""Supporting and withdrawing through the buttons: the per-member limit of a call, one's own
proposal, a closed call, an answered proposal, and two tabs spending the last support at once."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from programme.enums import ProposalState
from programme.models import Proposal, Support
from tests.factories.programme import CallFactory, ProposalFactory, SupportFactory
from tests.programme.proposal_world import (
    closed_call,
    page_messages,
    signed_in,
    support,
    titles,
    withdraw,
)


def _count(proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).support_count


@pytest.mark.django_db
def test_a_member_supports_from_the_list_and_withdraws(member):
    call = CallFactory()
    proposal = ProposalFactory(call=call, title="Remittance costs")
    client = signed_in(member)
    list_url = reverse("programme:proposals") + "?order=newest"
    page = client.get(list_url).content.decode()
    assert "You have 5 supports left of 5" in page
    assert reverse("programme:support", args=[proposal.pk]) in page

    page = support(client, proposal, next_url=list_url)
    assert page.redirect_chain == [(list_url, 302)]
    assert page_messages(page) == [
        f"You support “Remittance costs”. Supports left for {call.year}: 4."
    ]
    text = page.content.decode()
    assert "You have 4 supports left of 5" in text
    assert "1 support" in text
    assert reverse("programme:withdraw", args=[proposal.pk]) in text
    assert _count(proposal) == 1
    # A second click gives nothing more.
    support(client, proposal)
    assert (_count(proposal), Support.objects.count()) == (1, 1)

    response = withdraw(client, proposal, next_url=list_url)
    assert page_messages(response) == [
        "Your support is withdrawn: you can give it to another proposal."
    ]
    assert (_count(proposal), Support.objects.count()) == (0, 0)
    assert "You have 5 supports left of 5" in response.content.decode()


@pytest.mark.django_db
def test_five_supports_per_member_and_call(member):
    call = CallFactory()
    proposals = [ProposalFactory(call=call, title=f"P{n}") for n in range(6)]
    # Supports in another call do not count against this one.
    SupportFactory(proposal=ProposalFactory(call=CallFactory()), user=member)
    client = signed_in(member)
    for proposal in proposals[:5]:
        support(client, proposal)
    response = support(client, proposals[5])
    assert page_messages(response) == [
        f"You have given all 5 supports for {call.year}. Withdraw one to support another proposal."
    ]
    assert _count(proposals[5]) == 0
    assert Support.objects.filter(call=call, user=member).count() == 5
    assert "You have 0 supports left of 5" in response.content.decode()

    withdraw(client, proposals[0])
    support(client, proposals[5])
    assert [_count(p) for p in proposals] == [0, 1, 1, 1, 1, 1]


@pytest.mark.django_db
def test_refusals_say_why(member, settings):
    settings.PROGRAMME_SUPPORTS_PER_YEAR = 1
    call = CallFactory()
    own = ProposalFactory(call=call, author=member, title="Mine")
    answered = ProposalFactory(
        call=call, state=ProposalState.NOT_THIS_YEAR, answer="Already covered in 2026."
    )
    closed = ProposalFactory(call=closed_call(), title="Closed")
    SupportFactory(proposal=closed, user=member)
    client = signed_in(member)

    def said(proposal, action=support):
        return page_messages(action(client, proposal))

    assert said(own) == [
        "This is your own proposal: it already speaks for your institution. Give your "
        "supports to the proposals of others."
    ]
    assert said(answered) == [
        "This proposal has had its answer (Not this year): it takes no more supports."
    ]
    message = (
        f"The call for proposals for {closed.call.year} is closed: proposals, supports and "
        "comments are no longer taken."
    )
    assert said(closed) == [message]
    assert said(closed, withdraw) == [message]
    assert Support.objects.filter(user=member).count() == 1
    assert _count(closed) == 1
    # One support a year: the singular.
    support(client, ProposalFactory(call=call))
    assert said(ProposalFactory(call=call)) == [
        f"You have given all 1 support for {call.year}. Withdraw it to support another proposal."
    ]


@pytest.mark.django_db
def test_applicants_and_visitors_give_no_support(applicant, client):
    proposal = ProposalFactory(call=CallFactory())
    assert support(signed_in(applicant), proposal).redirect_chain == [
        (reverse("members:account"), 302)
    ]
    assert support(client, proposal).redirect_chain[0][0].startswith(reverse("account_login"))
    assert client.get(reverse("programme:support", args=[proposal.pk])).status_code == 405
    assert Support.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_tabs_spending_the_last_support_at_once_give_one(member):
    call = CallFactory()
    for _ in range(4):
        SupportFactory(proposal=ProposalFactory(call=call), user=member)
    first, second = ProposalFactory(call=call), ProposalFactory(call=call)
    clients = [signed_in(member), signed_in(member)]
    start = threading.Barrier(2)
    answers, backends, errors = [], set(), []

    def click(client, proposal):
        try:
            backends.add(connection.cursor().connection.info.backend_pid)
            start.wait(timeout=30)
            answers.append(
                client.post(reverse("programme:support", args=[proposal.pk])).status_code
            )
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=click, args=(client, proposal))
        for client, proposal in zip(clients, (first, second), strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert len(backends) == 2
    assert answers == [302, 302]
    assert Support.objects.filter(call=call, user=member).count() == 5
    assert sorted([_count(first), _count(second)]) == [0, 1]
    text = signed_in(member).get(reverse("programme:proposals")).content.decode()
    assert "You have 0 supports left of 5" in text
    assert len(titles(signed_in(member).get(reverse("programme:proposals")))) == 6
