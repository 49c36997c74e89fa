"""The year's programme: its page (also the printable report) and its spreadsheet."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mirpal.spreadsheets import xlsx_bytes
from programme.models import Call
from programme.programme_export import XLSX_TYPE, programme_sheets
from programme.programme_page import programme_call_newest, programme_of_year
from programme.visibility import call_readable, calls_readable_by


def _refused(request):
    """As members' pages answer: anonymous visitors log in, applicants see where they stand."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return redirect("members:account")


def _readable_call(request, year: int) -> tuple[Call | None, object]:
    call = Call.objects.filter(year=year).first()
    if call is None:
        raise Http404
    if not call_readable(call=call, user=request.user):
        return None, _refused(request)
    return call, None


@require_GET
def programme_current(request):
    """The newest programme this person may read."""
    call = programme_call_newest(calls=calls_readable_by(request.user))
    if call is not None:
        return redirect("programme:year", year=call.year)
    if Call.objects.exists():
        return _refused(request)
    raise Http404


@require_GET
def programme_year(request, year: int):
    call, refusal = _readable_call(request, year)
    if refusal is not None:
        return refusal
    return render(
        request,
        "programme/programme.html",
        {
            "programme": programme_of_year(call=call, user=request.user),
            "call": call,
            "generated_at": timezone.now(),
        },
    )


@require_GET
def programme_xlsx(request, year: int):
    call, refusal = _readable_call(request, year)
    if refusal is not None:
        return refusal
    programme = programme_of_year(call=call, user=request.user, with_proposals=True)
    response = HttpResponse(xlsx_bytes(programme_sheets(programme)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mirpal-programme-{call.year}.xlsx"'
    return response
