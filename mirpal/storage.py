"""Where uploaded files live, and how a view hands one out.

Two kinds of upload, two aliases in settings.STORAGES: "default" (expert photos, partners' logos)
and "protected" (the library's PDFs and covers, some for members only). Without MIRPAL_S3_* they
are the folders MEDIA_ROOT and PROTECTED_MEDIA_ROOT; with them, one private bucket holds both,
under media/ and protected/ (settings.MIRPAL_S3_STORAGES). Either way every read and write goes
through the storage API, never a path on this machine's disk, so that several web servers can
share the files. No file has a public address: a view checks who asks and then streams the file,
or sends the browser to a link the bucket signs for MIRPAL_S3_URL_SECONDS.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

# The folder of each alias inside the bucket, and the setting naming its local folder.
ALIASES = {"default": ("media", "MEDIA_ROOT"), "protected": ("protected", "PROTECTED_MEDIA_ROOT")}


@deconstructible
class ProtectedFileSystemStorage(FileSystemStorage):
    """The local "protected" storage: a folder outside MEDIA_ROOT, read from settings on each use
    (tests point it at a temporary folder), that refuses to make URLs."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PROTECTED_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Protected files have no URL; link to the view that serves them.")


class AliasedStorage(Storage):
    """A model field's storage that is whatever settings.STORAGES[alias] is at the moment of use.

    A field keeps the storage object it was given when models were imported; this one looks the
    backend up on each call, so the bucket or folder can change with the settings (tests switch
    to S3 and back) and migrations name this class, not the backend."""

    alias = "default"

    @property
    def backend(self) -> Storage:
        return storages[self.alias]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


def _backend(storage: Storage) -> Storage:
    return storage.backend if isinstance(storage, AliasedStorage) else storage


def storage_signs_urls(storage: Storage) -> bool:
    """Whether files of `storage` are in a bucket that can sign a short-lived link to them."""
    if settings.MIRPAL_S3_URL_SECONDS <= 0:
        return False
    from storages.backends.s3 import S3Storage  # boto3 loads only where a bucket is used

    return isinstance(_backend(storage), S3Storage)


def stored_file_response(
    field_file,
    *,
    content_type: str,
    filename: str = "",
    private: bool = False,
    public_max_age: int = 0,
    signed_link: bool = False,
) -> HttpResponse:
    """The response handing out a stored file whose reader the caller has already let through.

    With `signed_link` and a bucket that signs links, a redirect to a link valid for
    MIRPAL_S3_URL_SECONDS (the web server then carries no bytes); otherwise the file streamed
    from its storage. `filename` names it for the browser (shown inline). A `private` file's
    response is never stored by a cache; a public one's may be kept `public_max_age` seconds (a
    redirect never is: its link expires). Raises Http404 if the file is gone from the storage."""
    storage, name = field_file.storage, field_file.name
    if signed_link and storage_signs_urls(storage):
        parameters = {"ResponseContentType": content_type}
        if filename:
            parameters["ResponseContentDisposition"] = content_disposition_header(
                as_attachment=False, filename=filename
            )
        link = _backend(storage).url(
            name, parameters=parameters, expire=settings.MIRPAL_S3_URL_SECONDS
        )
        response = HttpResponseRedirect(link)
        patch_cache_control(response, private=True, no_store=True)
        return response
    try:
        stream = storage.open(name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(stream, content_type=content_type, filename=filename)
    if private:
        patch_cache_control(response, private=True, no_store=True)
    elif public_max_age:
        patch_cache_control(response, public=True, max_age=public_max_age)
    return response


# --- Moving files between the local folders and the bucket (manage.py storage_move).


def local_storage(alias: str) -> Storage:
    """The local folder of `alias`, whatever STORAGES says today."""
    if alias == "protected":
        return ProtectedFileSystemStorage()
    return FileSystemStorage(location=getattr(settings, ALIASES[alias][1]), base_url=None)


def bucket_storage(alias: str) -> Storage:
    """The bucket folder of `alias`, from MIRPAL_S3_STORAGES; ValueError if no bucket is set."""
    config = settings.MIRPAL_S3_STORAGES[alias]
    options = config["OPTIONS"]
    if not all(options.get(key) for key in ("endpoint_url", "bucket_name", "access_key")):
        raise ValueError(
            "No bucket configured: set MIRPAL_S3_ENDPOINT_URL, MIRPAL_S3_BUCKET, "
            "MIRPAL_S3_ACCESS_KEY_ID and MIRPAL_S3_SECRET_ACCESS_KEY."
        )
    return storages.create_storage(config)


def storage_walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage` under `folder`, in the order the storage lists them."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder never made: nothing was uploaded there
        return
    for file in files:
        yield f"{folder}/{file}" if folder else file
    for child in folders:
        yield from storage_walk(storage, f"{folder}/{child}" if folder else child)


@dataclass
class CopyCounts:
    copied: int = 0
    present: int = 0
    deleted: int = 0
    left: int = 0  # not reached because of the limit


def _size(storage: Storage, name: str) -> int | None:
    return storage.size(name) if storage.exists(name) else None


def storage_copy(
    *, source: Storage, target: Storage, delete_source: bool = False, limit: int | None = None
) -> CopyCounts:
    """Copy every file of `source` to the same name in `target`; safe to stop and run again.

    A file already in the target with the source's size is left alone; one of another size (a
    copy cut short, on disk) is written again. With `delete_source`, each source file whose copy
    has its size is deleted after the copy; never otherwise. After `limit` copies the rest is
    only counted (a run in batches). Raises OSError when a copy comes out different."""
    counts = CopyCounts()
    for name in list(storage_walk(source)):
        size = source.size(name)
        if _size(target, name) == size:
            counts.present += 1
        elif limit is not None and counts.copied >= limit:
            counts.left += 1
            continue
        else:
            if target.exists(name):
                target.delete(name)  # save() would pick another name beside it
            with source.open(name, "rb") as stream:
                saved = target.save(name, stream)
            if saved != name or target.size(name) != size:
                raise OSError(f"{name} was copied as {saved} of {target.size(saved)} bytes")
            counts.copied += 1
        if delete_source:
            source.delete(name)
            counts.deleted += 1
    return counts
