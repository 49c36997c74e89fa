import pytest
from django.contrib.sites.models import Site

from mirpal.sites import site_sync


@pytest.mark.django_db
def test_the_site_follows_site_url(settings):
    settings.SITE_URL = "https://mirpal.example"
    site_sync()
    assert Site.objects.get(pk=settings.SITE_ID).domain == "mirpal.example"
