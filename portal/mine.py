"""My MIRPAL: what a signed-in person has under way, gathered on one page, each part linking to
the page that manages it. A fixed number of queries whatever the number of registrations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from events import selectors as event_selectors
from events import services as event_services
from events.display import time_range
from events.enums import RegistrationStatus
from events.models import Attendance, Registration
from exchange.follows import invitations_to_answer
from members.mfa import second_factor_required
from members.permissions import is_member
from members.roster import selectors as roster_selectors
from members.selectors import second_factors_of
from mirpal.countries import Country
from mirpal.enums import MailKind
from mirpal.preferences import mail_preference_for, secretariat_notice_kinds_for

REQUESTS_SHOWN = 5
ATTENDED_SHOWN = 5


@dataclass(frozen=True)
class MyPlace:
    registration: Registration
    when: str  # in the viewer's zone: “12 March 2026, 13:00–15:00”

    @property
    def event(self):
        return self.registration.event

    @property
    def waiting(self) -> bool:
        return self.registration.status == RegistrationStatus.WAITING


@dataclass(frozen=True)
class MailLine:
    label: str
    value: str


def _switch(value: bool) -> str:
    return pgettext("mail preference", "on") if value else pgettext("mail preference", "off")


def _mail_summary(user) -> list[MailLine]:
    """The person's mail preferences as the page summarises them; one query at most."""
    preference = mail_preference_for(user=user)
    countries = dict(Country.choices)
    followed = [str(countries.get(code, code)) for code in preference.followed_countries]
    lines = [
        MailLine(str(MailKind.INVITATIONS.label), _switch(preference.invitations)),
        MailLine(str(MailKind.REMINDERS.label), _switch(preference.reminders)),
        MailLine(str(MailKind.NEWS.label), _switch(preference.news)),
        MailLine(str(MailKind.DIGEST.label), str(preference.get_digest_display())),
        MailLine(
            _("Countries I follow in the digest"),
            ", ".join(followed) or pgettext("countries followed", "none chosen"),
        ),
    ]
    if secretariat_notice_kinds_for(user):
        lines.append(
            MailLine(
                _("Tell me of what arrives for the secretariat"),
                str(preference.get_secretariat_notices_display()),
            )
        )
    return lines


def _events_context(request, *, now: datetime.datetime) -> dict:
    user, zone = request.user, request.viewer_time_zone
    places = [
        MyPlace(r, time_range(r.event.starts_at, r.event.ends_at, zone))
        for r in event_selectors.member_registrations_coming(user=user, now=now)
    ]
    attended: list[Attendance] = event_selectors.member_attended(user=user, limit=ATTENDED_SHOWN)
    token = event_selectors.feed_token_of(user=user)
    feed_url = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    requests = list(roster_selectors.expert_requests_of(user=user)[: REQUESTS_SHOWN + 1])
    return {
        "going": [place for place in places if not place.waiting],
        "waiting": [place for place in places if place.waiting],
        "attended": attended,
        "feed_url": feed_url,
        # Calendar apps on Apple devices and Outlook open webcal:// addresses as a subscription.
        "feed_webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
        "expert_requests": requests[:REQUESTS_SHOWN],
        "more_expert_requests": len(requests) > REQUESTS_SHOWN,
        "mail": _mail_summary(user),
        "exchange_invitations": invitations_to_answer(user=user),
    }


def _feed_address_renew(request):
    """Creates the member's calendar address, or replaces it; the old one stops working."""
    had_token = event_selectors.feed_token_of(user=request.user) is not None
    event_services.feed_token_regenerate(user=request.user)
    if had_token:
        messages.success(
            request, _("Your calendar address has been renewed; the old one no longer works.")
        )
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect(reverse("my_mirpal") + "#calendar-feed")


@login_required
@require_http_methods(["GET", "POST"])
def my_mirpal(request):
    user = request.user
    member = is_member(user)
    if request.method == "POST":
        # The page's one form: the calendar address, which only members have.
        if not member:
            raise PermissionDenied
        return _feed_address_renew(request)
    context = {
        "profile": getattr(user, "profile", None),
        "is_member": member,
        "second_factors": second_factors_of(user=user),
        "second_factor_required": second_factor_required(user),
    }
    if member:
        context.update(_events_context(request, now=timezone.now()))
    return render(request, "portal/my_mirpal.html", context)
