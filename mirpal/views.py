from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mirpal import health
from mirpal.selectors import home_figures


@require_GET
def home(request):
    return render(request, "home.html", {"figures": home_figures()})


@require_GET
def about(request):
    return render(request, "about.html")


@never_cache
@require_GET
def healthz(request):
    checks = {"database": health.database_answers(), "broker": health.broker_answers()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse({"status": "ok" if status == 200 else "unavailable", **checks}, status=status)
