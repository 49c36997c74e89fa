"""The invitation click in the admin records a run and writes no mail; the run's writing, its
progress on the event's admin page, a second click, and a run stopped by a cancellation."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from events import services
from events.mail import invitations
from events.models import Invitation, InvitationRun
from events.tasks import invitation_run_write_task
from mirpal.models import OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.events.mail_members import members_bulk
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_event_changelist")


@pytest.fixture
def admin_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def invite_kazakhstan(client, event):
    """The action's form as the secretariat submits it; the secretariat's profile is in Russia,
    so the audience is exactly the members made here."""
    return client.post(
        CHANGELIST,
        {
            "action": "invite_events",
            "_selected_action": [event.pk],
            "apply": "1",
            "audience": "country",
            "country": "KZ",
        },
        follow=True,
    )


def draft():
    return EventFactory(status="draft", sequence=0, published_at=None)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def progress_of(client, event) -> str:
    page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("size", [3, 1200])
def test_the_click_records_the_run_and_writes_no_mail_in_the_same_queries_at_any_size(
    admin_client, django_assert_num_queries, size
):
    ids = members_bulk(size, prefix="click")
    event = draft()
    form = {
        "action": "invite_events",
        "_selected_action": [event.pk],
        "apply": "1",
        "audience": "country",
        "country": "KZ",
    }
    # One of them: the staff account's second factor, looked up on its first page (members.mfa).
    with django_assert_num_queries(50):
        response = admin_client.post(CHANGELIST, form)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "published"
    run = InvitationRun.objects.get()
    assert (run.event, run.total, run.written, run.status) == (event, size, 0, "writing")
    assert run.recipient_ids == ids
    assert run.audience["country"] == "KZ"
    assert (OutboxMessage.objects.count(), Invitation.objects.count()) == (0, 0)


def test_the_admin_page_shows_how_far_the_writing_and_sending_have_got(
    admin_client, secretariat, settings, smtp_sink
):
    members_bulk(5, prefix="progress")
    event = draft()
    done = invite_kazakhstan(admin_client, event)
    assert messages_of(done) == [
        "5 invitations are on their way.",
        "Each event's page shows how many invitations have been written and sent.",
    ]
    run = InvitationRun.objects.get()
    assert "0 of 5 invitations written</strong> (being written)" in progress_of(admin_client, event)

    settings.MAIL_RUN_CHUNK_SIZE = 2
    settings.MAIL_RUN_TASK_SECONDS = 0  # one chunk, then the task would queue itself again
    assert invitations.invitation_run_write(run_id=run.pk) is True
    page = progress_of(admin_client, event)
    assert "2 of 5 invitations written</strong> (being written)" in page
    # Who sent them, by name: the page is open to editors, who do not see addresses.
    assert f"Members from one country: Kazakhstan · {escape(str(secretariat))}" in page
    assert "Sent: 0; waiting: 2; failed: 0; not sent (membership ended): 0." in page
    assert "Reload the page to see how far they have got." in page

    settings.MAIL_RUN_TASK_SECONDS = 60
    invitation_run_write_task(run_id=run.pk)
    assert outbox_send_pending()["sent"] == 5
    page = progress_of(admin_client, event)
    assert "5 of 5 invitations written</strong> (all written)" in page
    assert "Sent: 5; waiting: 0; failed: 0; not sent (membership ended): 0." in page
    assert "Reload the page" not in page
    assert sorted(message["To"] for message in smtp_sink.messages) == sorted(
        f"progress-{n}@example.org" for n in range(5)
    )


def test_a_second_click_while_writing_is_refused_and_after_it_adds_nothing(admin_client):
    members_bulk(4, prefix="twice")
    event = draft()
    invite_kazakhstan(admin_client, event)
    while_writing = invite_kazakhstan(admin_client, event)
    assert messages_of(while_writing) == [
        f"{event.title_en}: Invitations to this event are still being written; "
        "invite more once they are done."
    ]
    assert InvitationRun.objects.count() == 1

    invitation_run_write_task(run_id=InvitationRun.objects.get().pk)
    invitation_run_write_task(run_id=InvitationRun.objects.get().pk)  # a repeated delivery
    after = invite_kazakhstan(admin_client, event)
    assert messages_of(after) == ["Everyone in this audience was invited already."]
    assert InvitationRun.objects.count() == 1
    assert (OutboxMessage.objects.count(), Invitation.objects.count()) == (4, 4)


def test_a_cancellation_stops_the_run_and_no_invitation_follows_it(admin_client, settings):
    members_bulk(6, prefix="cancelled")
    event = draft()
    invite_kazakhstan(admin_client, event)
    run = InvitationRun.objects.get()
    settings.MAIL_RUN_CHUNK_SIZE = 2
    settings.MAIL_RUN_TASK_SECONDS = 0
    assert invitations.invitation_run_write(run_id=run.pk) is True
    services.event_cancel(event=event, by=None, reason="The speaker is ill.")
    invited_before = set(Invitation.objects.values_list("user_id", flat=True))

    assert invitations.invitation_run_write(run_id=run.pk) is False
    run.refresh_from_db()
    assert (run.status, run.stop_reason, run.written) == ("stopped", "not_published", 2)
    assert set(Invitation.objects.values_list("user_id", flat=True)) == invited_before
    assert OutboxMessage.objects.filter(kind="event_invitation").count() == 2
    page = progress_of(admin_client, event)
    assert "2 of 6 invitations written</strong> (stopped: the event is no longer published)" in page
