"""The site's URLs plus two reference views, served by the same gunicorn with the same settings.

Selected with MIRPAL_URLCONF=bench.urls; never used by the site itself.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.http import require_GET

BARE_ANSWER = {"status": "ok", "service": "mirpal"}


@require_GET
def bare(request):
    """The floor: a Django view that touches neither the database nor a template."""
    return JsonResponse(BARE_ANSWER)


@require_GET
@login_required
def signed_in_floor(request):
    """The signed-in floor: an empty page through the site's middleware and base.html, as a
    member sees it. What any signed-in page costs before its own content."""
    return render(request, "bench/floor.html")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/floor/", signed_in_floor, name="bench-floor"),
    path("", include("mirpal.urls")),
]
