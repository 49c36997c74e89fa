"""The secretariat's panel, beside the admin: each page needs its own permission (see
panel.access)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from events.audiences import audience_describe
from members.permissions import sees_member_emails
from mirpal.models import Message
from panel import access, exports
from panel.access import any_panel_page, panel_required, permission
from panel.forms import ExportForm, MessageForm, default_dates, period_form
from panel.report import donor_report, donor_report_xlsx
from panel.selectors import figures as figure_selectors
from panel.selectors.home import panel_events_coming, panel_published_lately, panel_waiting
from panel.selectors.messages import messages_sent
from panel.services import (
    message_mail,
    message_mail_counts,
    message_recipient_ids,
    message_send,
)

MESSAGE_FIELDS = ("subject_en", "subject_ru", "body_en", "body_ru")


@panel_required(any_panel_page)
@require_GET
def home(request):
    issues, documents = panel_published_lately()
    return render(
        request,
        "panel/home.html",
        {
            "waiting": panel_waiting(),
            "events": panel_events_coming(),
            "issues": issues,
            "documents": documents,
            "access": access.panel_access(request.user),
        },
    )


@panel_required(access.figures_allowed)
@require_GET
def figures(request):
    form = period_form(request.GET)
    period = form.period()
    slugs = access.figures_allowed(request.user)
    return render(
        request,
        "panel/figures.html",
        {
            "form": form,
            "period": period,
            "figures": [figure_selectors.figure(slug=slug, period=period) for slug in slugs],
            "access": access.panel_access(request.user),
            "period_query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        },
        status=400 if form.errors else 200,
    )


@panel_required(access.figures_allowed)
@require_GET
def figure_csv(request, slug: str):
    if slug not in figure_selectors.FIGURE_SLUGS:
        raise Http404
    if not request.user.has_perm(access.figure_permission(slug)):
        raise PermissionDenied
    period = period_form(request.GET).period()
    figure = figure_selectors.figure(slug=slug, period=period)
    header = ["code", figure.dimension, *(label for _key, label in figure.series)]
    rows = ([row.code, row.label, *row.values] for row in figure.rows)
    table = exports.Table(f"{slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}", header, rows)
    return exports.csv_response(table, audience=exports.Audience.SECRETARIAT)


@panel_required(permission(access.REPORT))
@require_GET
def report(request):
    form = period_form(request.GET)
    period = form.period()
    return render(
        request,
        "panel/report.html",
        {
            "form": form,
            "report": donor_report(period=period),
            "generated_at": timezone.now(),
            "access": access.panel_access(request.user),
            "period_query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        },
        status=400 if form.errors else 200,
    )


@panel_required(permission(access.REPORT))
@require_GET
def report_xlsx(request):
    period = period_form(request.GET).period()
    response = HttpResponse(
        donor_report_xlsx(donor_report(period=period)), content_type=exports.XLSX_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mirpal-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"'
    )
    return response


@panel_required(access.datasets_allowed)
@require_GET
def export(request):
    """The form; once it names a data set, the file itself."""
    allowed = access.datasets_allowed(request.user)
    context = {"access": access.panel_access(request.user)}
    if "dataset" not in request.GET:
        form = ExportForm(initial=default_dates(), datasets=allowed)
        return render(request, "panel/exports.html", {"form": form, **context})
    dataset = request.GET["dataset"]
    if dataset in access.DATASET_PERMISSIONS and dataset not in allowed:
        raise PermissionDenied
    form = ExportForm(request.GET, datasets=allowed)
    if not form.is_valid():
        return render(request, "panel/exports.html", {"form": form, **context}, status=400)
    data = form.cleaned_data
    table = exports.export_table(
        dataset=data["dataset"],
        audience=data["audience"],
        period=form.period(),
        show_emails=sees_member_emails(request.user),
    )
    if data["format"] == "xlsx":
        return exports.xlsx_response(table, audience=data["audience"])
    return exports.csv_response(table, audience=data["audience"])


@panel_required(permission(access.MESSAGES))
@require_GET
def messages_list(request):
    return render(
        request,
        "panel/messages.html",
        {"messages_sent": messages_sent(), "access": access.panel_access(request.user)},
    )


@panel_required(permission(access.MESSAGES))
@require_http_methods(["GET", "POST"])
def message_new(request):
    """Write, preview in both languages, then send; nothing is recorded before sending, and
    sending only records the message: a worker writes the mails (the message's page shows how
    far it has got)."""
    context = {"access": access.panel_access(request.user)}
    if request.method == "GET":
        form = MessageForm(initial={"token": uuid.uuid4()})
        return render(request, "panel/message_new.html", {"form": form, **context})
    form = MessageForm(request.POST)
    if not form.is_valid():
        return render(request, "panel/message_new.html", {"form": form, **context}, status=400)
    data = form.cleaned_data
    audience = form.audience_value()
    if "send" not in request.POST:
        draft = Message(**{name: data[name] for name in MESSAGE_FIELDS})
        previews = [
            (code, label, message_mail(message=draft, user=request.user, language=code))
            for code, label in (("en", _("In English")), ("ru", _("In Russian")))
        ]
        context |= {
            "previews": previews,
            "recipients": len(message_recipient_ids(audience=audience)),
        }
        return render(request, "panel/message_new.html", {"form": form, **context})
    message = message_send(
        token=data["token"],
        audience=audience,
        by=request.user,
        **{name: data[name] for name in MESSAGE_FIELDS},
    )
    return redirect("panel:message", pk=message.pk)


@panel_required(permission(access.MESSAGES))
@require_GET
def message_detail(request, pk: int):
    message = get_object_or_404(messages_sent(), pk=pk)
    return render(
        request,
        "panel/message.html",
        {
            "message": message,
            "audience": audience_describe(message.audience),
            "mails": message_mail_counts(message=message),
            "access": access.panel_access(request.user),
        },
    )
