"""The secretariat's official answers, from the form on the proposal's page and from the admin:
the proposal's state and history, the audit entry, and one mail each to the author and every
supporter in their own language; the same answer twice mails no one again."""
# (Russian text is Cyrillic on purpose.)

import pytest
from django.urls import reverse

from mirpal.models import AuditEntry, OutboxMessage
from mirpal.outbox import outbox_send_pending
from programme.enums import ActivityKind, ActivityStatus, ProposalState
from programme.models import Activity, Proposal, StateChange
from tests.factories.programme import ActivityFactory
from tests.programme.answer_world import (
    YEAR,
    answer_in_admin,
    answer_on_page,
    call_of,
    page_text,
    proposal_with_people,
    signed_in,
)
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

TITLE = "Pre-departure orientation"


@pytest.fixture
def call():
    return call_of()


@pytest.fixture
def world(call):
    return proposal_with_people(call, title=TITLE)


def mails() -> list[tuple[str, str]]:
    """The outbox: (recipient, subject), by recipient."""
    return sorted(OutboxMessage.objects.values_list("to_email", "subject"))


def body_of(user) -> str:
    return OutboxMessage.objects.get(to_email=user.email).body_text


def history(proposal) -> list[tuple]:
    return list(
        StateChange.objects.filter(proposal=proposal).values_list(
            "from_state", "to_state", "note", "actor__email"
        )
    )


def audit(proposal) -> list[tuple]:
    return [
        (entry.action, entry.actor_email, entry.before["state"], entry.after["state"])
        for entry in AuditEntry.objects.filter(
            object_type="programme.Proposal", object_id=str(proposal.pk)
        ).order_by("pk")
    ]


def test_being_evaluated_from_the_page_mails_author_and_supporter_once_each(
    world, secretariat, smtp_sink
):
    proposal, author, supporter = world
    client = signed_in(secretariat)
    note = "We are looking at it with the Ministry of Labour."

    response = answer_on_page(client, proposal, state="evaluating", note=note)

    assert response.status_code == 302
    assert response["Location"] == reverse("programme:proposal", args=[proposal.pk])
    proposal.refresh_from_db()
    assert (proposal.state, proposal.answer, proposal.activity) == ("evaluating", note, None)
    assert proposal.answered_at is not None
    assert history(proposal) == [("submitted", "evaluating", note, secretariat.email)]
    assert audit(proposal) == [("change", secretariat.email, "submitted", "evaluating")]
    assert mails() == sorted(
        [
            (author.email, f"[MIRPAL] Ваше предложение «{TITLE}»: На рассмотрении"),
            (
                supporter.email,
                f"[MIRPAL] A proposal you support, “{TITLE}”: Being evaluated",
            ),
        ]
    )
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"programme:answer:{proposal.pk}:{StateChange.objects.get().pk}:{user.pk}"
        for user in (author, supporter)
    )

    # Delivered over SMTP, each once, in their language, with the link to the proposal.
    assert outbox_send_pending() == {"sent": 2, "retry": 0, "failed": 0}
    [english] = smtp_sink.to(supporter.email)
    text = SmtpSink.text(english)
    assert "Dear Ion Rusu," in text
    assert (
        f"The secretariat has answered the proposal “{TITLE}”, which you support: "
        "Being evaluated." in text
    )
    assert "The secretariat is considering how it could fit into the programme" in text
    assert f"Note from the secretariat: {note}" in text
    assert f"http://127.0.0.1:8000/programme/proposals/{proposal.pk}/" in text
    [russian] = smtp_sink.to(author.email)
    text = SmtpSink.text(russian)
    assert "Уважаемый(-ая) Айгуль Сатпаева!" in text
    assert f"Секретариат дал ответ на ваше предложение «{TITLE}»: На рассмотрении." in text
    assert f"Комментарий секретариата: {note}" in text

    # The page tells, and shows the answer in the proposal's history.
    page = client.get(response["Location"])
    assert "The answer “Being evaluated” is given; the author and the supporters are mailed." in (
        page_text(page)
    )
    assert f"Submitted → Being evaluated — {note}" in page_text(page)

    # The same answer again: nothing new, no one mailed.
    again = answer_on_page(client, proposal, state="evaluating", note=note)
    assert again.status_code == 302
    assert "This answer was already given: no one was mailed again." in page_text(
        client.get(again["Location"])
    )
    assert OutboxMessage.objects.count() == 2
    assert StateChange.objects.count() == 1
    assert len(audit(proposal)) == 1


def test_accepted_with_a_new_activity_plans_it_in_the_calls_year(world, secretariat):
    proposal, author, supporter = world
    client = signed_in(secretariat)
    plan = {
        "plan_kind": "training",
        "plan_quarter": "3",
        "plan_title_en": "Training for pre-departure trainers",
        "plan_title_ru": "Обучение инструкторов по подготовке к выезду",
    }

    response = answer_on_page(client, proposal, state="accepted", note="", **plan)

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (
        activity.year,
        activity.quarter,
        activity.kind,
        activity.status,
        activity.title_en,
        activity.countries,
    ) == (
        YEAR,
        3,
        ActivityKind.TRAINING,
        ActivityStatus.PLANNED,
        "Training for pre-departure trainers",
        ["KZ", "TJ"],
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.activity) == (ProposalState.ACCEPTED, activity)
    assert history(proposal) == [("submitted", "accepted", "", secretariat.email)]
    assert mails() == sorted(
        [
            (author.email, f"[MIRPAL] Ваше предложение «{TITLE}»: Принято"),
            (supporter.email, f"[MIRPAL] A proposal you support, “{TITLE}”: Accepted"),
        ]
    )
    assert (
        f"It is in the programme for {YEAR}: “Training for pre-departure trainers” (Training), "
        "planned for quarter 3." in body_of(supporter)
    )
    assert (
        f"Оно включено в программу на {YEAR} год: «Обучение инструкторов по подготовке к выезду»"
        " (Обучение), запланировано на 3 квартал." in body_of(author)
    )

    # The same plan sent again plans nothing more and mails no one.
    assert answer_on_page(client, proposal, state="accepted", note="", **plan).status_code == 302
    assert (Activity.objects.count(), OutboxMessage.objects.count()) == (1, 2)


def test_accepted_into_an_activity_already_planned(world, secretariat, call):
    proposal, _author, supporter = world
    planned = ActivityFactory(
        year=YEAR, quarter=1, kind=ActivityKind.FIELD_VISIT, title_en="Visit to Tashkent"
    )
    ActivityFactory(year=YEAR + 1, quarter=1, title_en="Next year's visit")

    response = answer_on_page(
        signed_in(secretariat),
        proposal,
        state="accepted",
        activity=str(planned.pk),
        note="Together with two similar proposals.",
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.activity, proposal.answer) == (
        "accepted",
        planned,
        "Together with two similar proposals.",
    )
    assert Activity.objects.count() == 2
    text = body_of(supporter)
    assert (
        f"It is in the programme for {YEAR}: “Visit to Tashkent” (Field visit), planned for "
        "quarter 1." in text
    )
    assert "Note from the secretariat: Together with two similar proposals." in text


def test_not_this_year_needs_its_reason(world, secretariat):
    proposal, author, supporter = world
    client = signed_in(secretariat)

    refused = answer_on_page(client, proposal, state="not_this_year", note="  ")

    assert refused.status_code == 400
    assert refused.context["form"].errors == {"note": ["Give the reason why not this year."]}
    assert "Give the reason why not this year." in page_text(refused)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.answered_at) == ("submitted", None)
    assert (StateChange.objects.count(), OutboxMessage.objects.count()) == (0, 0)

    reason = "The budget for 2031 is committed; we will come back to it for 2032."
    response = answer_on_page(client, proposal, state="not_this_year", note=reason)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.answer) == ("not_this_year", reason)
    assert f"It cannot be taken up in this year's programme. The reason: {reason}" in body_of(
        supporter
    )
    assert (
        f"Включить его в программу этого года не представляется возможным. Причина: {reason}"
        in body_of(author)
    )
    assert f"Submitted → Not this year — {reason}" in page_text(
        client.get(reverse("programme:proposal", args=[proposal.pk]))
    )


def test_accepted_needs_an_activity_or_a_whole_plan(world, secretariat):
    proposal, _author, _supporter = world
    client = signed_in(secretariat)

    nothing = answer_on_page(client, proposal, state="accepted")
    half = answer_on_page(client, proposal, state="accepted", plan_kind="study")

    assert nothing.context["form"].errors == {
        "activity": ["Choose the planned activity, or plan a new one below."]
    }
    assert half.context["form"].errors == {
        "plan_quarter": ["Choose the quarter."],
        "plan_title_en": ["Give the activity a title in English or in Russian."],
    }
    assert (Activity.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_only_the_secretariat_answers_and_sees_the_form(world, member, secretariat):
    proposal, author, _supporter = world
    url = reverse("programme:proposal", args=[proposal.pk])
    action = f'action="{reverse("programme:answer", args=[proposal.pk])}"'

    assert action in signed_in(secretariat).get(url).content.decode()
    assert action not in signed_in(member).get(url).content.decode()
    assert answer_on_page(signed_in(author), proposal, state="evaluating").status_code == 403
    assert answer_on_page(signed_in(member), proposal, state="evaluating").status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    assert OutboxMessage.objects.count() == 0


def test_a_merged_proposal_is_not_answered(world, secretariat, call):
    proposal, _author, _supporter = world
    target = proposal_with_people(call, title="Orientation courses")[0]
    Proposal.objects.filter(pk=proposal.pk).update(state="merged", merged_into=target)

    response = answer_on_page(signed_in(secretariat), proposal, state="evaluating")

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "__all__": ["This proposal was merged into another: answer that one instead."]
    }
    assert OutboxMessage.objects.count() == 0


# --- The same answers from the admin.


def test_admin_answers_through_the_service_and_keeps_state_read_only(world, secretariat):
    proposal, author, supporter = world
    client = signed_in(secretariat)
    reason = "Covered by the regional programme of another organisation this year."

    # A raw state in the post is ignored: the state is read-only.
    plain = answer_in_admin(client, proposal, state="accepted")
    assert plain.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    assert OutboxMessage.objects.count() == 0

    missing = answer_in_admin(client, proposal, state_new="not_this_year", note="")
    assert missing.status_code == 200
    assert missing.context["adminform"].form.errors == {
        "note": ["Give the reason why not this year."]
    }

    response = answer_in_admin(client, proposal, state_new="not_this_year", note=reason)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.answer) == ("not_this_year", reason)
    assert history(proposal) == [("submitted", "not_this_year", reason, secretariat.email)]
    assert audit(proposal) == [("change", secretariat.email, "submitted", "not_this_year")]
    assert mails() == sorted(
        [
            (author.email, f"[MIRPAL] Ваше предложение «{TITLE}»: Не в этом году"),
            (supporter.email, f"[MIRPAL] A proposal you support, “{TITLE}”: Not this year"),
        ]
    )

    # The history shows in the admin and on the proposal's page.
    change_page = client.get(reverse("admin:programme_proposal_change", args=[proposal.pk]))
    assert reason in page_text(change_page)
    assert f"Submitted → Not this year — {reason}" in page_text(
        client.get(reverse("programme:proposal", args=[proposal.pk]))
    )

    # Saved again with the same answer: no one is mailed again.
    again = answer_in_admin(client, proposal, state_new="not_this_year", note=reason)
    assert again.status_code == 302
    assert (OutboxMessage.objects.count(), StateChange.objects.count()) == (2, 1)


def test_admin_accepts_with_a_new_activity(world, secretariat):
    proposal, author, _supporter = world

    response = answer_in_admin(
        signed_in(secretariat),
        proposal,
        state_new="accepted",
        plan_kind="expert_review",
        plan_quarter="2",
        plan_title_en="Review of the pre-departure curriculum",
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    activity = Activity.objects.get()
    assert (proposal.state, proposal.activity) == ("accepted", activity)
    assert (activity.year, activity.quarter, activity.kind, activity.title_ru) == (
        YEAR,
        2,
        "expert_review",
        "",
    )
    assert OutboxMessage.objects.filter(to_email=author.email).count() == 1
    assert "«Review of the pre-departure curriculum» (Экспертная оценка)" in body_of(author)
