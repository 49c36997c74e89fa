"""The signed one-click answers that invitations and nudges carry; reading one changes nothing
(events.services.rsvp_answer records it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import InvitationAnswer
from events.models import Event
from members.models import User

RSVP_SALT = "events.rsvp"


class RsvpLinkInvalid(Exception):
    """The link was cut, changed or has expired; the message says which, for the member."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def rsvp_token(*, event: Event, user_id: int, answer: str) -> str:
    return signing.dumps({"e": event.pk, "u": user_id, "a": answer}, salt=RSVP_SALT, compress=True)


def rsvp_url(*, event: Event, user_id: int, answer: str) -> str:
    token = rsvp_token(event=event, user_id=user_id, answer=answer)
    return settings.SITE_URL + reverse("events:rsvp", args=[token])


def rsvp_links(event: Event, user: User) -> dict[str, str]:
    """The two answers of a mail's context: going_url and not_going_url."""
    return {
        "going_url": rsvp_url(event=event, user_id=user.pk, answer=InvitationAnswer.GOING),
        "not_going_url": rsvp_url(event=event, user_id=user.pk, answer=InvitationAnswer.NOT_GOING),
    }


@dataclass(frozen=True)
class RsvpRequest:
    event: Event
    user: User
    answer: str

    @property
    def going(self) -> bool:
        return self.answer == InvitationAnswer.GOING


def rsvp_read(*, token: str, now: datetime.datetime | None = None) -> RsvpRequest:
    """Check the link's signature and that the event has not ended; changes nothing."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=RSVP_SALT)
    except signing.BadSignature as error:
        raise RsvpLinkInvalid(
            _("This link is not valid: it may have been cut or changed on the way.")
        ) from error
    if not isinstance(data, dict) or data.get("a") not in InvitationAnswer.values:
        raise RsvpLinkInvalid(_("This link is not valid."))
    event = Event.objects.filter(pk=data.get("e")).first()
    user = User.objects.select_related("profile").filter(pk=data.get("u")).first()
    if event is None or user is None:
        raise RsvpLinkInvalid(
            _("This link is not valid: the event or the account no longer exists.")
        )
    if event.has_ended(now):
        raise RsvpLinkInvalid(_("This link has expired: the event is over."))
    return RsvpRequest(event=event, user=user, answer=data["a"])
