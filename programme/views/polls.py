"""Scheduling polls: the invitee's page (each slot in their own zone, with the holiday and
working-hours flags, answered yes / if need be / no), the secretariat's ranking, and the choice
of a slot, which creates and publishes the event and invites the poll's invitees
(programme.polls)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from events.display import time_range
from events.enums import VideoPlatform
from members.permissions import member_required
from mirpal.countries import Country
from mirpal.timezones import zone_label
from programme import polls
from programme.enums import PollState, SlotAnswer
from programme.models import Poll
from programme.scheduling import CountryFlags
from programme.visibility import can_answer


def _when(start: datetime.datetime, end: datetime.datetime, zone) -> str:
    """“Tuesday, 8 June 2027, 16:00–17:30” in that zone."""
    return f"{date_format(start.astimezone(zone), 'l')}, {time_range(start, end, zone)}"


def _country(code: str) -> str:
    return str(Country(code).label) if code in Country.values else code


def _flag_texts(flags: tuple[CountryFlags, ...]) -> list[str]:
    texts = []
    for flag in flags:
        country = _country(flag.country)
        if flag.holiday:
            texts.append(
                _("Public holiday in %(country)s: %(holiday)s")
                % {"country": country, "holiday": flag.holiday}
            )
        if flag.weekend:
            texts.append(_("Weekend in %(country)s") % {"country": country})
        if flag.outside_hours:
            local = "; ".join(
                f"{date_format(when.starts_at, 'H:i')}–{date_format(when.ends_at, 'H:i')} "
                f"({zone_label(when.zone, at=when.starts_at)})"
                for when in flag.local_times
            )
            texts.append(
                _("Outside working hours (9:00–18:00) in %(country)s: %(local)s")
                % {"country": country, "local": local}
            )
    return texts


def _poll_or_404(pk: int) -> Poll:
    return get_object_or_404(Poll.objects.select_related("chosen_slot", "event"), pk=pk)


def _secretariat_only(request) -> None:
    if not can_answer(request.user):
        raise PermissionDenied


@member_required
@require_http_methods(["GET", "POST"])
def poll_detail(request, pk: int):
    """The invitee answers here; the secretariat reads it; other members get 404."""
    poll = _poll_or_404(pk)
    invitee = polls.poll_is_invitee(poll=poll, user=request.user)
    if not invitee and not can_answer(request.user):
        raise Http404
    may_answer = invitee and poll.state == PollState.OPEN
    reading = polls.poll_read(poll=poll)
    ranking = reading.ranking
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        given = {}
        for row in ranking:
            value = request.POST.get(f"slot-{row.slot.id}", "")
            if value:
                given[row.slot.id] = value
        try:
            polls.poll_answer(poll=poll, user=request.user, answers=given)
        except polls.PollError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your answers are saved. You can change them while the poll is open.")
            )
            return redirect("programme:poll", pk=poll.pk)
    zone = timezone.get_current_timezone()
    mine = reading.answers if invitee else {}
    invitees = reading.invitees
    labels = dict(SlotAnswer.choices)
    rows = [
        {
            "id": row.slot.id,
            "when": _when(row.starts_at, row.ends_at, zone),
            "iso": row.starts_at.isoformat(),
            "flags": _flag_texts(row.flags),
            "answer": mine.get((row.slot.id, request.user.pk), ""),
            "answer_label": labels.get(mine.get((row.slot.id, request.user.pk)), ""),
            "chosen": poll.chosen_slot_id == row.slot.id,
        }
        for row in sorted(ranking, key=lambda row: (row.starts_at, row.slot.id))
    ]
    return render(
        request,
        "programme/poll.html",
        {
            "poll": poll,
            "rows": rows,
            "choices": SlotAnswer.choices,
            "may_answer": may_answer,
            "invitee": invitee,
            "secretariat": can_answer(request.user),
            "countries": [_country(code) for code in polls.poll_countries(invitees)],
            "holidays_suspended": polls.poll_holidays_suspended(invitees),
        },
    )


class ChooseForm(forms.Form):
    """The slot, and what the event needs beside it to be published: how to join online or
    where to go."""

    slot = forms.TypedChoiceField(label=gettext_lazy("Slot"), coerce=int)
    platform = forms.ChoiceField(
        label=gettext_lazy("Video platform"),
        choices=[("", "—"), *VideoPlatform.choices],
        required=False,
        help_text=gettext_lazy("Needed for a video conference."),
    )
    join_url = forms.URLField(
        label=gettext_lazy("Join link"), required=False, assume_scheme="https"
    )
    venue_city = forms.CharField(label=gettext_lazy("City"), max_length=120, required=False)
    venue_country = forms.ChoiceField(
        label=gettext_lazy("Country of the venue"),
        choices=[("", "—"), *Country.choices],
        required=False,
        help_text=gettext_lazy("City and country are needed for an event held in person."),
    )

    def __init__(self, *args, slots: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.fields["slot"].choices = [(slot.id, str(slot.starts_at)) for slot in slots]


def _results_context(request, poll: Poll, form: ChooseForm | None = None) -> dict:
    """The ranking table's rows; the form, when given, is the one just posted."""
    reading = polls.poll_read(poll=poll)
    ranking, invitees = reading.ranking, reading.invitees
    zone = timezone.get_current_timezone()
    rows = []
    for row in ranking:
        rows.append(
            {
                "rank": row.rank,
                "id": row.slot.id,
                "when": _when(row.starts_at, row.ends_at, zone),
                "iso": row.starts_at.isoformat(),
                "flags": _flag_texts(row.flags),
                "attendance": [
                    {
                        "country": _country(line.country),
                        "invited": line.invited,
                        "yes": line.yes,
                        "if_need_be": line.if_need_be,
                        "no": line.no,
                        "unanswered": line.unanswered,
                        "percent": round(line.share * 100),
                    }
                    for line in row.attendance
                ],
                "left_out": [_country(code) for code in row.left_out],
                "total": f"{row.total:.2f}",
                "chosen": poll.chosen_slot_id == row.slot.id,
            }
        )
    return {
        "poll": poll,
        "rows": rows,
        "form": form or ChooseForm(slots=[row.slot for row in ranking]),
        "open": poll.state == PollState.OPEN,
        "invited": len(invitees),
        "countries": [_country(code) for code in polls.poll_countries(invitees)],
        "holidays_suspended": polls.poll_holidays_suspended(invitees),
    }


def poll_results(request, pk: int):
    """The secretariat's ranking of the slots, with each country's attendance and the flags."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _secretariat_only(request)
    poll = _poll_or_404(pk)
    return render(request, "programme/poll_results.html", _results_context(request, poll))


@require_POST
def poll_choose(request, pk: int):
    """Choose a slot: the event is created, published and its invitations queued."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _secretariat_only(request)
    poll = _poll_or_404(pk)
    form = ChooseForm(request.POST, slots=list(poll.slots.all()))
    if not form.is_valid():
        messages.error(request, _("Choose one of the slots."))
        return render(
            request,
            "programme/poll_results.html",
            _results_context(request, poll, form),
        )
    slot = next(slot for slot in form.slots if slot.id == form.cleaned_data["slot"])
    details = {
        name: form.cleaned_data[name] for name in polls.EVENT_DETAILS if name in form.cleaned_data
    }
    try:
        event = polls.poll_choose(poll=poll, slot=slot, by=request.user, **details)
    except polls.PollError as error:
        messages.error(request, error.message)
        return redirect("programme:poll_results", pk=poll.pk)
    messages.success(
        request,
        _(
            "The event “%(title)s” is published; the invitations to the poll's invitees "
            "are being sent."
        )
        % {"title": event.title},
    )
    return redirect(event.get_absolute_url())
