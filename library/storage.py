"""Where library files live: settings.STORAGES["protected"] (a folder outside MEDIA_ROOT, or the
bucket's protected/ folder), without a URL, so that only the library's views serve them."""

from __future__ import annotations

import os
import uuid

from django.utils.deconstruct import deconstructible

from mirpal.storage import AliasedStorage


@deconstructible
class ProtectedStorage(AliasedStorage):
    """The "protected" storage as settings name it at each use, refusing to make URLs: a file is
    reached through a view that checks who is asking (mirpal.storage.stored_file_response),
    never through an address in a page."""

    alias = "protected"

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
