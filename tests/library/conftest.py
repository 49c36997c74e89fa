import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _protected_media(settings, tmp_path):
    """Library files of each test go to a fresh folder outside MEDIA_ROOT."""
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PROTECTED_MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; a request in Russian leaves Russian active behind it."""
    with translation.override("en"):
        yield
