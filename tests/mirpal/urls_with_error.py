"""The site's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from mirpal.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a failure for the error page test")


urlpatterns = [path("failing/", failing_view), *site_urlpatterns]
