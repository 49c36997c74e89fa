"""The Sites framework's one site follows SITE_URL, so feeds and allauth name the real host."""

from urllib.parse import urlsplit

from django.conf import settings


def site_sync() -> None:
    from django.contrib.sites.models import Site

    host = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": host, "name": "MIRPAL"})
