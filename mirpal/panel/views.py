"""The secretariat's panel, beside the admin: every page needs the secretariat's permission."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from members.permissions import secretariat_required
from mirpal.panel import exports, selectors
from mirpal.panel.forms import ExportForm, default_dates, period_form
from mirpal.panel.report import donor_report, donor_report_xlsx


@secretariat_required
@require_GET
def home(request):
    issues, documents = selectors.panel_published_lately()
    return render(
        request,
        "panel/home.html",
        {
            "waiting": selectors.panel_waiting(),
            "events": selectors.panel_events_coming(),
            "issues": issues,
            "documents": documents,
        },
    )


@secretariat_required
@require_GET
def figures(request):
    form = period_form(request.GET)
    period = form.period()
    return render(
        request,
        "panel/figures.html",
        {
            "form": form,
            "period": period,
            "figures": selectors.figures_all(period=period),
            "period_query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        },
        status=400 if form.errors else 200,
    )


@secretariat_required
@require_GET
def figure_csv(request, slug: str):
    if slug not in selectors.FIGURE_SLUGS:
        raise Http404
    period = period_form(request.GET).period()
    figure = selectors.figure(slug=slug, period=period)
    header = ["code", figure.dimension, *(label for _key, label in figure.series)]
    rows = ([row.code, row.label, *row.values] for row in figure.rows)
    table = exports.Table(f"{slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}", header, rows)
    return exports.csv_response(table, audience=exports.Audience.SECRETARIAT)


@secretariat_required
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
            "period_query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}",
        },
        status=400 if form.errors else 200,
    )


@secretariat_required
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


@secretariat_required
@require_GET
def export(request):
    """The form; once it names a data set, the file itself."""
    if "dataset" not in request.GET:
        form = ExportForm(initial=default_dates())
        return render(request, "panel/exports.html", {"form": form})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "panel/exports.html", {"form": form}, status=400)
    data = form.cleaned_data
    table = exports.export_table(
        dataset=data["dataset"], audience=data["audience"], period=form.period()
    )
    if data["format"] == "xlsx":
        return exports.xlsx_response(table, audience=data["audience"])
    return exports.csv_response(table, audience=data["audience"])
