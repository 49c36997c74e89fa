"""Where library files live: outside MEDIA_ROOT and without a URL, so that only the library's
views serve them."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class ProtectedStorage(FileSystemStorage):
    """A file system storage under PROTECTED_MEDIA_ROOT, read from settings on each use (tests
    point it at a temporary folder), that refuses to make URLs: a file is reached through a view
    that checks who is asking, never through a guessable media address."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PROTECTED_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Library files have no public URL; link to the library's download view.")


protected_storage = ProtectedStorage()


def document_upload_to(instance, filename: str) -> str:
    # The uploaded name is never reused: a generated one cannot collide, be guessed or carry a path.
    return f"documents/{uuid.uuid4().hex}.pdf"


def issue_pdf_upload_to(instance, filename: str) -> str:
    return f"issues/{uuid.uuid4().hex}.pdf"


def issue_cover_upload_to(instance, filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp"}:
        extension = ".img"
    return f"covers/{uuid.uuid4().hex}{extension}"
