"""Scheduling polls through their pages: invitees answer in their own time zone, the secretariat
reads the ranking and chooses a slot, which creates the event and invites the poll's invitees
through the events app's invitation runs (their mails land in the outbox)."""

import datetime
import re

import pytest
from django.urls import reverse

from events.enums import EventStatus
from events.models import Event, Invitation, InvitationRun
from events.tasks import invitation_run_write_task
from mirpal.models import AuditEntry, OutboxMessage
from programme.enums import PollState
from programme.models import Answer
from tests.factories.members import ProfileFactory
from tests.factories.programme import ActivityFactory, PollFactory, SlotFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def person(country: str, zone: str, name: str, language: str = "en"):
    return ProfileFactory(
        country=country,
        time_zone=zone,
        mail_language=language,
        user__first_name=name,
        user__last_name="Invitee",
    ).user


@pytest.fixture
def people():
    return {
        "chisinau": person("MD", "Europe/Chisinau", "Ion", "ru"),
        "moscow_1": person("RU", "Europe/Moscow", "Anna", "ru"),
        "moscow_2": person("RU", "Europe/Moscow", "Oleg", "ru"),
        "bishkek": person("KG", "Asia/Bishkek", "Aibek", "en"),
    }


@pytest.fixture
def poll(people):
    """The six slots of tests/programme/test_scheduling.py (local times worked out there)."""
    poll = PollFactory(
        activity=ActivityFactory(), invitees=list(people.values()), duration_minutes=90
    )
    starts = {
        "unity_day": datetime.datetime(2027, 11, 4, 7, tzinfo=UTC),
        "early_in_chisinau": datetime.datetime(2027, 11, 9, 6, tzinfo=UTC),
        "late_in_bishkek": datetime.datetime(2027, 6, 8, 13, tzinfo=UTC),
        "good_june": datetime.datetime(2027, 6, 9, 6, tzinfo=UTC),
        "two_holidays": datetime.datetime(2027, 8, 31, 7, tzinfo=UTC),
        "good_november": datetime.datetime(2027, 11, 10, 7, tzinfo=UTC),
    }
    poll.slot = {name: SlotFactory(poll=poll, starts_at=at) for name, at in starts.items()}
    return poll


def client_of(client, user):
    client.force_login(user)
    return client


def legends(html: str) -> list[str]:
    return re.findall(r"<legend><time[^>]*>([^<]+)</time>", html)


def test_an_invitee_in_bishkek_sees_the_slots_in_bishkek_time_with_the_flags(client, poll, people):
    page = client_of(client, people["bishkek"]).get(reverse("programme:poll", args=[poll.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # In the order of time, in Bishkek time (UTC+6).
    assert legends(html) == [
        "Tuesday, 8 June 2027, 19:00–20:30",
        "Wednesday, 9 June 2027, 12:00–13:30",
        "Tuesday, 31 August 2027, 13:00–14:30",
        "Thursday, 4 November 2027, 13:00–14:30",
        "Tuesday, 9 November 2027, 12:00–13:30",
        "Wednesday, 10 November 2027, 13:00–14:30",
    ]
    assert "Times are shown in your time zone: Bishkek time, UTC+6." in html
    assert (
        "Outside working hours (9:00–18:00) in Kyrgyz Republic: 19:00–20:30 (Bishkek time, UTC+6)"
        in html
    )
    assert (
        "Outside working hours (9:00–18:00) in Moldova: 08:00–09:30 (Chisinau time, UTC+2)" in html
    )
    assert "Public holiday in Russia: Unity Day" in html
    assert "Public holiday in Kyrgyz Republic: Independence Day" in html
    assert "Public holiday in Moldova: National Language Day" in html
    assert html.count('type="radio"') == 18
    assert "Ukraine's public holidays" not in html


def test_the_same_slots_read_in_chisinau_time_and_in_russian(client, poll, people):
    client = client_of(client, people["chisinau"])
    html = client.get(reverse("programme:poll", args=[poll.pk])).content.decode()
    assert legends(html)[0] == "Tuesday, 8 June 2027, 16:00–17:30"
    assert legends(html)[3] == "Thursday, 4 November 2027, 09:00–10:30"
    russian = client.get(reverse("programme:poll", args=[poll.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    html = russian.content.decode()
    assert legends(html)[0] == "Вторник, 8 июня 2027, 16:00–17:30"
    assert "День независимости Кыргызской Республики" in html


def test_a_poll_with_an_invitee_in_ukraine_says_its_holidays_are_not_marked(client, poll):
    kyiv = person("UA", "Europe/Kyiv", "Olena")
    poll.invitees.add(kyiv)
    html = client_of(client, kyiv).get(reverse("programme:poll", args=[poll.pk])).content.decode()
    assert "Ukraine's public holidays are not marked" in html


def answer(client, poll, user, answers: dict):
    client.force_login(user)
    data = {f"slot-{poll.slot[name].pk}": value for name, value in answers.items()}
    return client.post(reverse("programme:poll", args=[poll.pk]), data)


def stored(poll, user) -> dict[str, str]:
    names = {slot.pk: name for name, slot in poll.slot.items()}
    return {
        names[slot_id]: value
        for slot_id, value in Answer.objects.filter(user=user).values_list("slot_id", "answer")
    }


def test_answers_are_saved_and_changed(client, poll, people):
    bishkek = people["bishkek"]
    response = answer(client, poll, bishkek, {"good_june": "yes", "late_in_bishkek": "no"})
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:poll", args=[poll.pk])
    assert stored(poll, bishkek) == {"good_june": "yes", "late_in_bishkek": "no"}
    answer(client, poll, bishkek, {"late_in_bishkek": "maybe", "unity_day": "no"})
    assert stored(poll, bishkek) == {
        "good_june": "yes",
        "late_in_bishkek": "maybe",
        "unity_day": "no",
    }
    html = client.get(reverse("programme:poll", args=[poll.pk])).content.decode()
    assert f'name="slot-{poll.slot["late_in_bishkek"].pk}" value="maybe" checked' in html
    assert "Your answers are saved." in html


def test_an_unknown_answer_is_refused_and_nothing_saved(client, poll, people):
    response = answer(client, poll, people["bishkek"], {"good_june": "always"})
    assert response.status_code == 200
    assert "Answer each slot with yes, if need be or no." in response.content.decode()
    assert Answer.objects.count() == 0


def test_others_cannot_read_or_answer(client, poll, member, secretariat, applicant):
    url = reverse("programme:poll", args=[poll.pk])
    assert client_of(client, member).get(url).status_code == 404
    assert answer(client, poll, member, {"good_june": "yes"}).status_code == 404
    assert client_of(client, applicant).get(url)["Location"] == reverse("members:account")
    # The secretariat reads the page without a form, and cannot answer.
    html = client_of(client, secretariat).get(url).content.decode()
    assert 'type="radio"' not in html
    assert reverse("programme:poll_results", args=[poll.pk]) in html
    assert answer(client, poll, secretariat, {"good_june": "yes"}).status_code == 403
    assert Answer.objects.count() == 0


def ranked_slot_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="rank-\d+" data-slot="(\d+)">', html)]


def test_the_secretariat_sees_the_ranking_from_the_invitees_answers(
    client, poll, people, secretariat
):
    # The answers of tests/programme/test_scheduling.py, given through the page.
    answer(
        client,
        poll,
        people["chisinau"],
        {
            "good_june": "yes",
            "good_november": "yes",
            "unity_day": "yes",
            "late_in_bishkek": "maybe",
        },
    )
    answer(
        client,
        poll,
        people["moscow_1"],
        {
            "good_june": "yes",
            "good_november": "yes",
            "early_in_chisinau": "yes",
            "late_in_bishkek": "maybe",
        },
    )
    answer(
        client,
        poll,
        people["moscow_2"],
        {"good_june": "maybe", "good_november": "yes", "late_in_bishkek": "maybe"},
    )
    answer(
        client,
        poll,
        people["bishkek"],
        {
            "good_june": "maybe",
            "good_november": "no",
            "unity_day": "yes",
            "late_in_bishkek": "maybe",
        },
    )
    page = client_of(client, secretariat).get(reverse("programme:poll_results", args=[poll.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    slot = poll.slot
    assert ranked_slot_ids(html) == [
        slot["good_june"].pk,
        slot["late_in_bishkek"].pk,
        slot["good_november"].pk,
        slot["unity_day"].pk,
        slot["early_in_chisinau"].pk,
        slot["two_holidays"].pk,
    ]
    # The secretariat's profile is in Moscow: times in Moscow time.
    assert "Wednesday, 9 June 2027, 09:00–10:30" in html
    assert "Russia: 75%" in html
    assert "yes 1, if need be 1, no 0, no answer 0" in html
    assert "Left out: Kyrgyz Republic" in html
    assert "Left out: Kyrgyz Republic, Moldova" in html
    assert '<td data-label="Score">2.25</td>' in html


def test_the_ranking_is_for_the_secretariat_only(client, poll, people, member):
    url = reverse("programme:poll_results", args=[poll.pk])
    assert client_of(client, people["bishkek"]).get(url).status_code == 403
    assert client_of(client, member).get(url).status_code == 403


def choose(client, poll, slot, **details):
    data = {"slot": slot.pk, "platform": "zoom", "join_url": "https://zoom.example/j/1", **details}
    return client.post(reverse("programme:poll_choose", args=[poll.pk]), data)


def test_choosing_a_slot_creates_the_event_and_invites_the_invitees(
    client, poll, people, secretariat
):
    client.force_login(secretariat)
    chosen = poll.slot["good_june"]
    response = choose(client, poll, chosen)

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert (event.title_en, event.title_ru, event.kind, event.status) == (
        "Video conference on pre-departure orientation",
        "Видеоконференция о подготовке к выезду",
        "video_conference",
        EventStatus.PUBLISHED,
    )
    assert (event.starts_at, event.ends_at) == (
        datetime.datetime(2027, 6, 9, 6, tzinfo=UTC),
        datetime.datetime(2027, 6, 9, 7, 30, tzinfo=UTC),
    )
    assert (event.time_zone, event.platform, event.join_url) == (
        "Europe/Moscow",
        "zoom",
        "https://zoom.example/j/1",
    )
    assert event.countries == ["KG", "MD", "RU"]
    assert event.created_by == secretariat
    poll.refresh_from_db()
    assert (poll.state, poll.chosen_slot, poll.event) == (PollState.DECIDED, chosen, event)
    poll.activity.refresh_from_db()
    assert poll.activity.event == event
    assert AuditEntry.objects.filter(
        object_type="programme.Poll", object_id=str(poll.pk), actor=secretariat
    ).exists()

    # The invitation run the events app writes after the commit, as its worker runs it.
    run = InvitationRun.objects.get(event=event)
    invitee_ids = sorted(user.pk for user in people.values())
    assert sorted(run.recipient_ids) == invitee_ids
    invitation_run_write_task(run_id=run.pk)
    assert sorted(Invitation.objects.filter(event=event).values_list("user", flat=True)) == (
        invitee_ids
    )
    mails = OutboxMessage.objects.filter(kind="event_invitation").order_by("recipient_id")
    assert [(mail.recipient_id, mail.idempotency_key) for mail in mails] == [
        (pk, f"event:{event.pk}:invitation:{pk}:v1") for pk in invitee_ids
    ]
    bishkek_mail = mails.get(recipient=people["bishkek"])
    assert "12:00–13:30" in bishkek_mail.subject
    russian = mails.get(recipient=people["chisinau"])
    # In Russian and in Chisinau summer time (UTC+3).
    assert russian.subject.endswith(
        ": Видеоконференция о подготовке к выезду, 9 июня 2027, 09:00–10:30"
    )

    # The invitee's page now shows the chosen slot and the event, without a form.
    html = client_of(client, people["bishkek"]).get(poll.get_absolute_url()).content.decode()
    assert "The secretariat has chosen a slot." in html
    assert event.get_absolute_url() in html
    assert 'type="radio"' not in html
    assert answer(client, poll, people["bishkek"], {"good_june": "no"}).status_code == 403


def test_choosing_twice_is_refused_and_creates_nothing(client, poll, secretariat):
    client.force_login(secretariat)
    choose(client, poll, poll.slot["good_june"])
    response = choose(client, poll, poll.slot["good_november"], join_url="https://zoom.example/2")
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:poll_results", args=[poll.pk])
    html = client.get(response["Location"]).content.decode()
    assert "A slot has already been chosen for this poll" in html
    assert Event.objects.count() == 1
    assert InvitationRun.objects.count() == 1
    poll.refresh_from_db()
    assert poll.chosen_slot == poll.slot["good_june"]


def test_a_video_conference_without_its_platform_is_refused_and_the_poll_stays_open(
    client, poll, secretariat
):
    client.force_login(secretariat)
    response = choose(client, poll, poll.slot["good_june"], platform="")
    html = client.get(response["Location"]).content.decode()
    assert "A video conference needs its video platform." in html
    assert Event.objects.count() == 0
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN


@pytest.mark.parametrize("size", [1, 3])
def test_the_pages_take_the_same_queries_whatever_the_numbers(
    client, secretariat, size, django_assert_num_queries
):
    viewer = person("KG", "Asia/Bishkek", "Aibek")
    others = [person("RU", "Europe/Moscow", f"Anna {n}") for n in range(size)]
    poll = PollFactory(invitees=[viewer, *others])
    for day in range(size):
        slot = SlotFactory(poll=poll, starts_at=datetime.datetime(2027, 6, 7 + day, 6, tzinfo=UTC))
        for user in others:
            Answer.objects.create(slot=slot, user=user, answer="yes")
    client.force_login(viewer)
    client.get(poll.get_absolute_url())  # the session and the profile, read once before
    with django_assert_num_queries(6):
        assert client.get(poll.get_absolute_url()).status_code == 200
    client.force_login(secretariat)
    client.get(reverse("programme:poll_results", args=[poll.pk]))
    with django_assert_num_queries(5):
        assert client.get(reverse("programme:poll_results", args=[poll.pk])).status_code == 200
