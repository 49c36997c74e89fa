"""The site's URLs plus a bare view, so both are served by the same gunicorn with the same settings.

Selected with MIRPAL_URLCONF=bench.urls; never used by the site itself.
"""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

BARE_ANSWER = {"status": "ok", "service": "mirpal"}


@require_GET
def bare(request):
    """The floor: a Django view that touches neither the database nor a template."""
    return JsonResponse(BARE_ANSWER)


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("mirpal.urls")),
]
