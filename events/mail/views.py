"""The one-click answers of invitations, and the secretariat's page of an event's mail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from events import services
from events.errors import EventError
from events.mail.forms import ResendForm
from events.mail.resend import event_mail_resend
from events.mail.status import event_mail_status
from events.mail.tokens import RsvpLinkInvalid, rsvp_read
from events.models import Event
from members.permissions import secretariat_required

SEND_EVENT_MAIL = "events.send_event_mail"


@never_cache
@require_http_methods(["GET", "POST"])
def rsvp(request, token):
    """GET only shows what the link would do (mail scanners prefetch links); POST records it.
    The pages speak the member's mail language, the one the link came in, whatever the browser
    says; only a link that names nobody falls back on the browser's."""
    try:
        answer = rsvp_read(token=token)
    except RsvpLinkInvalid as error:
        return render(request, "events/rsvp_invalid.html", {"message": error.message}, status=400)
    profile = getattr(answer.user, "profile", None)
    language = profile.mail_language if profile else translation.get_language()
    with translation.override(language):
        response = _rsvp_page(request, token, answer)
    response["Content-Language"] = language
    return response


def _rsvp_page(request, token, answer):
    if request.method == "GET":
        return render(request, "events/rsvp.html", {"answer": answer, "token": token})
    try:
        answer, result = services.rsvp_answer(token=token)
    except RsvpLinkInvalid as error:
        return render(request, "events/rsvp_invalid.html", {"message": error.message}, status=400)
    except EventError as error:
        return render(
            request,
            "events/rsvp_done.html",
            {"answer": answer, "error": error.message},
            status=409,
        )
    return render(
        request,
        "events/rsvp_done.html",
        {"answer": answer, "registration": result.registration},
    )


def _event(slug: str) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def _may_send(request) -> None:
    if not request.user.has_perm(SEND_EVENT_MAIL):
        raise PermissionDenied


@secretariat_required
@require_http_methods(["GET"])
def mail_status(request, slug):
    _may_send(request)
    event = _event(slug)
    return render(
        request,
        "events/mail_status.html",
        {
            "event": event,
            "status": event_mail_status(event=event),
            "form": ResendForm(),
        },
    )


@secretariat_required
@require_POST
def mail_resend(request, slug):
    _may_send(request)
    event = _event(slug)
    form = ResendForm(request.POST)
    if form.is_valid():
        try:
            event_mail_resend(
                event=event,
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                by=request.user,
            )
        except EventError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The mail is on its way again to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("events:mail_status", slug=event.slug)
    return render(
        request,
        "events/mail_status.html",
        {"event": event, "status": event_mail_status(event=event), "form": form},
        status=400,
    )
