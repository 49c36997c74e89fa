"""The kinds of event mail, as stored on outbox rows, and the key prefix of one event's mail."""

from django.utils.translation import gettext_lazy

from events.models import Event

KIND_INVITATION = "event_invitation"
KIND_REMINDER = "event_reminder"
KIND_NUDGE = "event_nudge"
KIND_UPDATE = "event_update"
KIND_CANCELLATION = "event_cancellation"
KIND_REGISTRATION = "event_registration"
KIND_DIGEST = "digest"

MAIL_KIND_LABELS = {
    KIND_INVITATION: gettext_lazy("Invitations"),
    KIND_NUDGE: gettext_lazy("Nudges to answer"),
    KIND_REMINDER: gettext_lazy("Reminders"),
    KIND_UPDATE: gettext_lazy("Changes of time or link"),
    KIND_CANCELLATION: gettext_lazy("Cancellation notices"),
    KIND_REGISTRATION: gettext_lazy("Registration confirmations"),
}


def event_mail_prefix(event: Event) -> str:
    return f"event:{event.pk}:"
