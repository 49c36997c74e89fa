from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from mirpal import health, preferences
from mirpal.enums import MailKind
from mirpal.forms import MailPreferenceForm
from mirpal.personal_data import email_mask


@never_cache
@require_GET
def healthz(request):
    """Monitoring's view: 503 when the database or the broker does not answer."""
    checks = {"database": health.database_answers(), "broker": health.broker_answers()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "unavailable", **checks}, status=status
    )


@never_cache
@require_GET
def healthz_live(request):
    """The process answers: touches nothing else, so a slow database does not get it restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz_ready(request):
    """A load balancer's view: ready while the database answers. The broker is reported, but its
    outage does not take the node out: mail waits in the outbox and goes when it is back."""
    database = health.database_answers()
    broker = health.broker_answers(timeout=1.0)
    return JsonResponse(
        {"status": "ready" if database else "unavailable", "database": database, "broker": broker},
        status=200 if database else 503,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mail_preferences(request):
    preference = preferences.mail_preference_for(user=request.user)
    form = MailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        preferences.mail_preference_update(
            user=request.user,
            **{name: form.cleaned_data[name] for name in MailPreferenceForm.Meta.fields},
        )
        messages.success(request, _("Your mail preferences have been saved."))
        return redirect("mail_preferences")
    return render(request, "mail_preferences.html", {"form": form})


# Mail clients post the one-click unsubscribe (RFC 8058) without a CSRF token; the signed token
# in the URL is what authorises it. A GET only shows the question, so link scanners change nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def mail_unsubscribe(request, token: str):
    try:
        user_id, kind = preferences.unsubscribe_token_read(token)
        user = get_user_model().objects.get(pk=user_id)
    except (preferences.UnsubscribeLinkInvalid, ObjectDoesNotExist):
        return render(request, "mail_unsubscribe.html", {"invalid": True}, status=404)
    label = MailKind(kind).label
    if request.method == "POST":
        preferences.mail_unsubscribe(user=user, kind=kind)
        return render(request, "mail_unsubscribe.html", {"done": True, "label": label})
    # The link may have been forwarded: the page shows enough of the address for its owner to
    # recognise, not the address itself.
    return render(
        request, "mail_unsubscribe.html", {"label": label, "email": email_mask(user.email)}
    )
