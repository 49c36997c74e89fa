"""The events app's part of a person's data (mirpal.personal_data): their registrations,
invitations and attendance in the download; on closing the account, the places they held for
events still to come go to the wait list, and what happened at past events stays as counts."""

from __future__ import annotations

from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Attendance, Event, EventFeedToken, Invitation, Registration

# The wait list moves up exactly as when a member cancels; the rule lives in the service.
from events.selectors import viewer_registrations_forget
from events.services import _promote_waiting
from mirpal.personal_data import DataSubject, choice, export_value, personal_data_register


def _event(event: Event) -> dict:
    return {
        "title": event.title,
        "address": event.get_absolute_url(),
        "starts_at": export_value(event.starts_at),
    }


def _events_export(user) -> dict:
    registrations = Registration.objects.filter(user=user).select_related("event")
    invitations = Invitation.objects.filter(user=user).select_related("event")
    attendances = Attendance.objects.filter(user=user).select_related("event")
    feed = EventFeedToken.objects.filter(user=user).first()
    return {
        "registrations": [
            {
                "event": _event(registration.event),
                "answer": choice(registration.status, registration.get_status_display()),
                "registered_at": export_value(registration.created_at),
                "updated_at": export_value(registration.updated_at),
                "waiting_since": export_value(registration.waiting_since),
            }
            for registration in registrations.order_by("event__starts_at", "pk")
        ],
        "invitations": [
            {
                "event": _event(invitation.event),
                "invited_at": export_value(invitation.invited_at),
                "answer": choice(invitation.answer, invitation.get_answer_display()),
                "answered_at": export_value(invitation.answered_at),
            }
            for invitation in invitations.order_by("event__starts_at", "pk")
        ],
        "attendance": [
            {
                "event": _event(attendance.event),
                "minutes": attendance.minutes,
                "source": choice(attendance.source, attendance.get_source_display()),
                "marked_at": export_value(attendance.marked_at),
            }
            for attendance in attendances.order_by("event__starts_at", "pk")
        ],
        # The feed's address is a secret, like a password: only that it exists.
        "calendar_feed": {"created_at": export_value(feed.created_at)} if feed else None,
    }


def _events_erase(subject: DataSubject) -> None:
    user = subject.user
    now = timezone.now()
    upcoming = list(
        Registration.objects.filter(
            user=user,
            event__starts_at__gt=now,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        ).values_list("event_id", flat=True)
    )
    # One event at a time, each locked as registration_respond locks it, in a fixed order.
    for event in Event.objects.select_for_update().filter(pk__in=upcoming).order_by("pk"):
        Registration.objects.filter(event=event, user=user).update(
            status=RegistrationStatus.DECLINED, waiting_since=None, updated_at=now
        )
        _promote_waiting(event=event)
    viewer_registrations_forget(user.pk)  # the update above sends no signal
    EventFeedToken.objects.filter(user=user).delete()
    subject.about(Registration.objects.filter(user=user).only("pk"))
    subject.about(Attendance.objects.filter(user=user).only("pk"))
    subject.about(Invitation.objects.filter(user=user).only("pk"))


def personal_data_register_events() -> None:
    personal_data_register("events", export=_events_export, erase=_events_erase, position=20)
