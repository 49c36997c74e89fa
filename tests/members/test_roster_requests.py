"""The life of a request for an expert: queue states, history, and a mail at each change
in the requester's language, sent through the real SMTP sink."""
# (Russian text is Cyrillic on purpose.)

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import ExpertRequest, ExpertRequestNote
from members.roster.services import (
    ExpertRequestError,
    expert_request_create,
    expert_request_note_add,
    expert_request_transition,
)
from mirpal.models import OutboxMessage, Topic
from mirpal.outbox import outbox_send_pending
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory, ExpertRequestFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

IN_TEN_DAYS = datetime.timedelta(days=10)


def _create(requester, **overrides):
    today = timezone.localdate()
    data = {
        "topic": "remittances",
        "countries": ["TJ"],
        "language": "ru",
        "help_kind": "video_conference",
        "starts_on": today + IN_TEN_DAYS,
        "ends_on": today + IN_TEN_DAYS,
        "purpose": "A webinar on the cost of remittances.",
    }
    return expert_request_create(requester=requester, **{**data, **overrides})


def _mails(sink, address):
    return [(SmtpSink.subject(message), SmtpSink.text(message)) for message in sink.to(address)]


def test_lifecycle_in_russian_mails_each_change(smtp_sink, secretariat):
    requester = ProfileFactory(mail_language="ru").user
    expert = ExpertFactory(name_en="Amina Rahimova", name_ru="Амина Рахимова")
    request = _create(requester)
    number = request.pk
    expert_request_transition(request=request, to_status="in_review", by=secretariat)
    expert_request_transition(
        request=request,
        to_status="matched",
        by=secretariat,
        expert=expert,
        note="Эксперт согласна выступить 12-го числа.",
    )
    expert_request_transition(request=request, to_status="done", by=secretariat)
    assert outbox_send_pending() == {"sent": 4, "retry": 0, "failed": 0}

    mails = _mails(smtp_sink, requester.email)
    assert [subject for subject, _body in mails] == [
        f"[MIRPAL] Ваша заявка на эксперта (№ {number}) получена",
        f"[MIRPAL] Заявка на эксперта (№ {number}): статус «на рассмотрении»",
        f"[MIRPAL] Заявка на эксперта (№ {number}): статус «эксперт подобран»",
        f"[MIRPAL] Заявка на эксперта (№ {number}): статус «выполнена»",
    ]
    received, in_review, matched, done = (body for _subject, body in mails)
    assert "Денежные переводы мигрантов" in received
    assert "Секретариат рассматривает заявку и подбирает эксперта." in in_review
    assert "Секретариат подобрал для вашей заявки эксперта: Амина Рахимова." in matched
    assert "Комментарий секретариата: Эксперт согласна выступить 12-го числа." in matched
    assert "Секретариат отметил заявку как выполненную." in done
    assert f"/members/experts/requests/{number}/" in done

    request.refresh_from_db()
    assert (request.status, request.matched_expert) == ("done", expert)
    assert list(request.notes.values_list("from_status", "to_status", "expert")) == [
        ("", "new", None),
        ("new", "in_review", None),
        ("in_review", "matched", expert.pk),
        ("matched", "done", expert.pk),
    ]


def test_declined_request_is_mailed_in_english_to_an_english_reader(smtp_sink, secretariat):
    requester = ProfileFactory(mail_language="en").user
    request = _create(requester)
    expert_request_transition(
        request=request, to_status="declined", by=secretariat, note="No expert is free & able."
    )
    outbox_send_pending()
    mails = _mails(smtp_sink, requester.email)
    assert [subject for subject, _body in mails] == [
        f"[MIRPAL] We have received your request for an expert (#{request.pk})",
        f"[MIRPAL] Your request for an expert (#{request.pk}) is now “declined”",
    ]
    body = mails[1][1]
    assert "Unfortunately the secretariat cannot find an expert for this request." in body
    # Plain text is not HTML-escaped.
    assert "Note from the secretariat: No expert is free & able." in body


def test_transitions_the_state_does_not_allow_are_refused(secretariat, member):
    request = _create(member)
    with pytest.raises(ExpertRequestError):
        expert_request_transition(request=request, to_status="done", by=secretariat)
    with pytest.raises(ExpertRequestError):
        expert_request_transition(request=request, to_status="matched", by=secretariat)
    request.refresh_from_db()
    assert request.status == "new"
    assert request.notes.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_done_is_final(secretariat, member):
    request = _create(member)
    expert = ExpertFactory()
    expert_request_transition(request=request, to_status="matched", by=secretariat, expert=expert)
    expert_request_transition(request=request, to_status="done", by=secretariat)
    for status in ("new", "in_review", "matched", "declined"):
        with pytest.raises(ExpertRequestError):
            expert_request_transition(request=request, to_status=status, by=secretariat)


def test_internal_note_is_not_mailed_nor_shown_to_the_requester(secretariat, member):
    request = _create(member)
    expert_request_note_add(request=request, by=secretariat, note="Ask Dr Orlov first.")
    assert OutboxMessage.objects.count() == 1
    client = _client(member)
    page = client.get(reverse("members:expert_request_detail", args=[request.pk]))
    assert page.status_code == 200
    assert "Ask Dr Orlov first." not in page.content.decode()
    staff = _client(secretariat)
    page = staff.get(reverse("members:expert_request_detail", args=[request.pk]))
    assert "Ask Dr Orlov first." in page.content.decode()


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_member_asks_through_the_form_and_sees_the_status(member):
    client = _client(member)
    today = timezone.localdate()
    response = client.post(
        reverse("members:expert_request_new"),
        {
            "topic": "gender",
            "countries": ["KG", "TJ"],
            "language": "ru",
            "help_kind": "training",
            "starts_on": (today + IN_TEN_DAYS).isoformat(),
            "ends_on": (today + IN_TEN_DAYS * 2).isoformat(),
            "purpose": "Training for NGOs.",
        },
    )
    created = ExpertRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:expert_request_detail", args=[created.pk])
    assert (created.requester, created.topic.slug, created.status) == (member, "gender", "new")
    listing = client.get(reverse("members:expert_requests")).content.decode()
    assert f'href="/members/experts/requests/{created.pk}/"' in listing
    assert '<span class="badge new">new</span>' in listing


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (-1, 1, "The dates cannot be in the past."),
        (5, 4, "The end date cannot be before the start date."),
    ],
)
def test_form_with_bad_dates_shows_the_message_and_saves_nothing(member, starts, ends, message):
    today = timezone.localdate()
    response = _client(member).post(
        reverse("members:expert_request_new"),
        {
            "topic": "gender",
            "language": "ru",
            "help_kind": "training",
            "starts_on": (today + datetime.timedelta(days=starts)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=ends)).isoformat(),
            "purpose": "Training.",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (ExpertRequest.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_form_with_unknown_topic_shows_the_message_and_saves_nothing(member):
    today = timezone.localdate()
    response = _client(member).post(
        reverse("members:expert_request_new"),
        {
            "topic": "astrology",
            "language": "ru",
            "help_kind": "training",
            "starts_on": (today + IN_TEN_DAYS).isoformat(),
            "ends_on": (today + IN_TEN_DAYS).isoformat(),
            "purpose": "Training.",
        },
    )
    assert response.status_code == 200
    assert "Unknown topic: choose one from the list." in response.content.decode()
    assert ExpertRequest.objects.count() == 0


def test_secretariat_matches_through_the_page_and_the_requester_is_mailed(smtp_sink, secretariat):
    requester = ProfileFactory(mail_language="en").user
    request = ExpertRequestFactory(requester=requester, topic=Topic.objects.get(slug="gender"))
    expert = ExpertFactory(
        name_en="Sophie Laurent", topics=[Topic.objects.get(slug="gender")], countries=["KG"]
    )
    client = _client(secretariat)
    url = reverse("members:expert_request_transition", args=[request.pk])
    refused = client.post(url, {"to_status": "matched", "note": ""})
    assert refused.status_code == 400
    assert "Choose the expert you matched with this request." in refused.content.decode()
    response = client.post(url, {"to_status": "matched", "expert": expert.pk, "note": "Booked."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.matched_expert) == ("matched", expert)
    outbox_send_pending()
    ((subject, body),) = _mails(smtp_sink, requester.email)
    assert subject == f"[MIRPAL] Your request for an expert (#{request.pk}) is now “matched”"
    assert "The secretariat has matched your request with Sophie Laurent" in body


def test_stale_transition_from_the_page_changes_nothing(secretariat, member):
    request = ExpertRequestFactory(requester=member, status="declined")
    response = _client(secretariat).post(
        reverse("members:expert_request_transition", args=[request.pk]),
        {"to_status": "done"},
    )
    # "done" is not offered from "declined": the form refuses it.
    assert response.status_code == 400
    assert ExpertRequestNote.objects.count() == 0
    request.refresh_from_db()
    assert request.status == "declined"


def test_queue_lists_open_requests_first(secretariat):
    done = ExpertRequestFactory(status="declined")
    fresh = ExpertRequestFactory()
    page = _client(secretariat).get(reverse("members:expert_request_queue")).content.decode()
    assert page.index(f"#{fresh.pk}<") < page.index(f"#{done.pk}<")
    only_new = _client(secretariat).get(reverse("members:expert_request_queue") + "?status=new")
    assert f"#{done.pk}<" not in only_new.content.decode()
