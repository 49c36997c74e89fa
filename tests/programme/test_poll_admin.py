"""A scheduling poll set up in the admin, as an editor of the secretariat does: its slots are typed
in the editor's own time zone, and its invitees are named without their addresses."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from programme.enums import PollState
from programme.models import Poll
from tests.factories.members import ProfileFactory
from tests.factories.programme import SlotFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:programme_poll_add")


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def form_data(invitees, starts: list[tuple[str, str]]) -> dict:
    data = {
        "activity": "",
        "title_en": "Seasonal work: pre-departure orientation",
        "title_ru": "Сезонная работа: подготовка к выезду",
        "event_kind": "video_conference",
        "duration_minutes": "90",
        "invitees": [user.pk for user in invitees],
        "slots-TOTAL_FORMS": str(len(starts)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
    }
    for number, (day, time) in enumerate(starts):
        data[f"slots-{number}-starts_at_0"] = day
        data[f"slots-{number}-starts_at_1"] = time
    return data


def test_an_editor_adds_a_poll_with_slots_in_their_own_time_zone(editor_client, editor):
    bishkek = ProfileFactory(country="KG", time_zone="Asia/Bishkek").user
    pending = ProfileFactory(status="pending").user
    form = editor_client.get(ADD).content.decode()
    # The editor's profile is in Yerevan (UTC+4): the slots are typed in that zone.
    assert "In your time zone, Yerevan time, UTC+4 (set on your profile)" in form
    assert f'<option value="{bishkek.pk}">{bishkek.get_full_name()} (Kyrgyz Republic)</option>' in (
        form
    )
    assert bishkek.email not in form
    assert f'value="{pending.pk}"' not in form

    response = editor_client.post(
        ADD, form_data([bishkek], [("2027-06-09", "10:00:00"), ("2027-06-10", "14:30:00")])
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert (poll.state, poll.created_by, list(poll.invitees.all())) == (
        PollState.OPEN,
        editor,
        [bishkek],
    )
    # 10:00 and 14:30 in Yerevan (UTC+4) are 06:00 and 10:30 UTC.
    assert [slot.starts_at for slot in poll.slots.all()] == [
        datetime.datetime(2027, 6, 9, 6, tzinfo=datetime.UTC),
        datetime.datetime(2027, 6, 10, 10, 30, tzinfo=datetime.UTC),
    ]
    change = editor_client.get(reverse("admin:programme_poll_change", args=[poll.pk]))
    assert reverse("programme:poll_results", args=[poll.pk]) in change.content.decode()


def test_a_decided_poll_is_read_only_in_the_admin(editor_client):
    slot = SlotFactory()
    poll = slot.poll
    Poll.objects.filter(pk=poll.pk).update(state=PollState.DECIDED, chosen_slot=slot)
    page = editor_client.get(reverse("admin:programme_poll_change", args=[poll.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="title_en"' not in html
    assert "slots-TOTAL_FORMS" not in html


def test_the_invitees_are_asked_once_each_in_their_language(editor_client, smtp_sink):
    from mirpal.models import OutboxMessage
    from mirpal.outbox import outbox_send_pending
    from tests.smtp import SmtpSink

    bishkek = ProfileFactory(country="KG", time_zone="Asia/Bishkek", mail_language="ru").user
    chisinau = ProfileFactory(country="MD", time_zone="Europe/Chisinau", mail_language="en").user
    response = editor_client.post(
        ADD, form_data([bishkek], [("2027-06-09", "10:00:00"), ("2027-06-10", "14:30:00")])
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert outbox_send_pending()["sent"] == 1
    [russian] = smtp_sink.to(bishkek.email)
    assert SmtpSink.subject(russian) == (
        "[MIRPAL] Когда вам удобно? Сезонная работа: подготовка к выезду"
    )
    text = " ".join(SmtpSink.text(russian).split())
    assert "предлагает 2 варианта времени" in text
    assert f"/programme/polls/{poll.pk}/" in text

    # A member added later is asked; the first is not asked again.
    change = reverse("admin:programme_poll_change", args=[poll.pk])
    data = form_data([bishkek, chisinau], [])
    data.update(
        {
            "slots-TOTAL_FORMS": "2",
            "slots-INITIAL_FORMS": "2",
            **{f"slots-{n}-id": str(slot.pk) for n, slot in enumerate(poll.slots.all())},
            **{f"slots-{n}-poll": str(poll.pk) for n in range(2)},
            "slots-0-starts_at_0": "2027-06-09",
            "slots-0-starts_at_1": "10:00:00",
            "slots-1-starts_at_0": "2027-06-10",
            "slots-1-starts_at_1": "14:30:00",
        }
    )
    assert editor_client.post(change, data).status_code == 302
    assert outbox_send_pending()["sent"] == 1
    [english] = smtp_sink.to(chisinau.email)
    assert SmtpSink.subject(english) == (
        "[MIRPAL] When suits you? Seasonal work: pre-departure orientation"
    )
    assert len(smtp_sink.to(bishkek.email)) == 1
    assert OutboxMessage.objects.filter(kind="programme_poll").count() == 2
