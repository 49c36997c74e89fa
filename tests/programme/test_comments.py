"""Commenting on a proposal through its page: the comment and its count show, an empty one comes
back with its error, and no comment in a closed call or on a merged proposal."""

import pytest
from django.urls import reverse

from programme.enums import ProposalState
from programme.models import Comment, Proposal
from tests.factories.programme import CallFactory, ProposalFactory
from tests.programme.proposal_world import closed_call, page_messages, person, signed_in

pytestmark = pytest.mark.django_db


def _comment(client, proposal, body):
    return client.post(
        reverse("programme:comment", args=[proposal.pk]), {"body": body}, follow=True
    )


def test_a_member_comments_and_the_count_follows(member):
    proposal = ProposalFactory(call=CallFactory(), title="Diaspora bonds")
    writer = person("Gulnara", "Saparova")
    response = _comment(signed_in(writer), proposal, "  Our central bank studies this too.  ")
    assert response.redirect_chain == [(f"{proposal.get_absolute_url()}#comments", 302)]
    assert page_messages(response) == ["Your comment is published."]
    comment = Comment.objects.get()
    assert (comment.author, comment.body) == (writer, "Our central bank studies this too.")
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
    page = signed_in(member).get(proposal.get_absolute_url()).content.decode()
    assert "1 comment" in page
    assert "Our central bank studies this too." in page
    assert "Gulnara Saparova" in page
    listing = signed_in(member).get(reverse("programme:proposals")).content.decode()
    assert "1 comment" in listing


def test_an_empty_comment_comes_back_with_its_error(member):
    proposal = ProposalFactory(call=CallFactory())
    response = signed_in(member).post(
        reverse("programme:comment", args=[proposal.pk]), {"body": "   "}
    )
    assert response.status_code == 400
    assert "Write your comment first." in response.content.decode()
    assert Comment.objects.count() == 0


def test_no_comment_in_a_closed_call_or_on_a_merged_proposal(member, applicant):
    closed = ProposalFactory(call=closed_call())
    response = _comment(signed_in(member), closed, "Late")
    assert page_messages(response) == [
        f"The call for proposals for {closed.call.year} is closed: proposals, supports and "
        "comments are no longer taken."
    ]
    # The form is not offered there.
    assert reverse("programme:comment", args=[closed.pk]) not in response.content.decode()
    call = CallFactory()
    target = ProposalFactory(call=call)
    merged = ProposalFactory(call=call, state=ProposalState.MERGED, merged_into=target)
    response = _comment(signed_in(member), merged, "Here?")
    assert page_messages(response) == [
        "This proposal was merged into another: comment there, please."
    ]
    response = signed_in(applicant).post(
        reverse("programme:comment", args=[target.pk]), {"body": "Me too"}
    )
    assert response.url == reverse("members:account")
    assert Comment.objects.count() == 0
    assert list(Proposal.objects.values_list("comment_count", flat=True)) == [0, 0, 0]
