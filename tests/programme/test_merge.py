"""The secretariat merges a proposal into another from its page: supports move, each member
once, a member's duplicate support is freed, the history and the audit keep it, and the author
and supporters are mailed once each in their language."""

import pytest
from django.urls import reverse

from mirpal.models import AuditEntry, OutboxMessage
from mirpal.outbox import outbox_send_pending
from programme.enums import ProposalState
from programme.models import Proposal, StateChange, Support
from tests.factories.programme import CallFactory, ProposalFactory, SupportFactory
from tests.programme.proposal_world import page_messages, person, signed_in
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def _merge(client, source, target, note=""):
    return client.post(
        reverse("programme:merge", args=[source.pk]),
        {"target": target.pk, "note": note},
        follow=True,
    )


def test_merge_moves_supports_each_member_once_and_tells_the_source_people(secretariat, smtp_sink):
    call = CallFactory()
    target = ProposalFactory(call=call, title="Reintegration of returnees")
    author = person("Ruslan", "Author", language="ru")
    source = ProposalFactory(call=call, title="Returning migrants", author=author)
    only_target = person("Anna", "Target")
    both = person("Bakyt", "Both", language="ru")
    only_source = person("Chen", "Source")
    SupportFactory(proposal=target, user=only_target)
    SupportFactory(proposal=target, user=both)
    SupportFactory(proposal=source, user=both)
    SupportFactory(proposal=source, user=only_source)

    response = _merge(signed_in(secretariat), source, target, note="Both ask for the same.")

    assert response.redirect_chain == [(target.get_absolute_url(), 302)]
    assert page_messages(response) == [
        "“Returning migrants” is merged into “Reintegration of returnees”; its supporters "
        "were told."
    ]
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.state, source.merged_into, source.answer) == (
        ProposalState.MERGED,
        target,
        "Both ask for the same.",
    )
    assert (source.support_count, target.support_count) == (0, 3)
    assert set(Support.objects.filter(proposal=target).values_list("user", flat=True)) == {
        only_target.pk,
        both.pk,
        only_source.pk,
    }
    # The member who supported both has one support back.
    assert Support.objects.filter(call=call, user=both).count() == 1
    change = StateChange.objects.get()
    assert (change.proposal, change.from_state, change.to_state, change.note, change.actor) == (
        source, "submitted", "merged", "Both ask for the same.", secretariat,
    )  # fmt: skip
    entry = AuditEntry.objects.get(object_type="programme.Proposal", object_id=str(source.pk))
    assert (entry.action, entry.actor, entry.before["state"], entry.after["state"]) == (
        "change", secretariat, "submitted", "merged",
    )  # fmt: skip
    # The target's page names the proposal merged into it; the source's points at the target.
    assert "Returning migrants" in response.content.decode()
    source_page = signed_in(only_target).get(source.get_absolute_url()).content.decode()
    assert "Merged into" in source_page
    assert "Reintegration of returnees" in source_page
    assert "Merged → " not in source_page
    assert "Submitted → Merged" in source_page

    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"programme:merged:{source.pk}:{user.pk}" for user in (author, both, only_source)
    )
    assert outbox_send_pending() == {"sent": 3, "retry": 0, "failed": 0}
    assert smtp_sink.to(only_target.email) == []
    [english] = smtp_sink.to(only_source.email)
    assert SmtpSink.subject(english) == "[MIRPAL] Proposal merged: Returning migrants"
    text = SmtpSink.text(english)
    assert "Dear Chen Source," in text
    assert (
        "The proposal you supported, “Returning migrants”, was merged into “Reintegration of "
        "returnees”, which asks for the same." in text
    )
    assert "Both ask for the same." in text
    assert f"http://127.0.0.1:8000{target.get_absolute_url()}" in text
    [to_author] = smtp_sink.to(author.email)
    # Rendered in Russian (the catalogue's words arrive with the lead's `make messages`).
    assert "Ruslan Author" in SmtpSink.text(to_author)
    assert (
        to_author.get_body(preferencelist=("html",))
        .get_content()
        .startswith('<!DOCTYPE html><html lang="ru">')
    )

    # Merged already: a second merge is refused and mails no one again.
    again = signed_in(secretariat).post(
        reverse("programme:merge", args=[source.pk]), {"target": target.pk}
    )
    assert again.status_code == 400
    assert OutboxMessage.objects.count() == 3


def test_two_sources_supported_by_one_member_count_once(secretariat):
    call = CallFactory()
    target = ProposalFactory(call=call)
    first, second = ProposalFactory(call=call), ProposalFactory(call=call)
    member = person("Dana", "Twice")
    SupportFactory(proposal=first, user=member)
    SupportFactory(proposal=second, user=member)
    # The target's author supported a source: no support of one's own proposal after the merge.
    SupportFactory(proposal=first, user=target.author)
    client = signed_in(secretariat)
    _merge(client, first, target)
    _merge(client, second, target)
    assert Proposal.objects.get(pk=target.pk).support_count == 1
    assert list(Support.objects.values_list("user", "proposal")) == [(member.pk, target.pk)]
    assert list(
        Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("support_count", "state")
    ) == [(0, "merged"), (0, "merged")]


def test_only_the_secretariat_merges_and_only_within_the_call(member, secretariat):
    call = CallFactory()
    source, target = ProposalFactory(call=call), ProposalFactory(call=call)
    elsewhere = ProposalFactory(call=CallFactory())
    assert (
        signed_in(member)
        .post(reverse("programme:merge", args=[source.pk]), {"target": target.pk})
        .status_code
        == 403
    )
    response = signed_in(secretariat).post(
        reverse("programme:merge", args=[source.pk]), {"target": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "Choose a proposal of the same call that is not merged itself." in (
        response.content.decode()
    )
    assert set(Proposal.objects.values_list("state", flat=True)) == {"submitted"}
