"""The admin's link to a stored file: the site's view that serves it, never the storage's own URL
(a /media/ path that production does not serve, or a bucket's link signed for a minute)."""

from __future__ import annotations

from django.contrib.admin.widgets import AdminFileWidget
from django.db.models.fields.files import FieldFile
from django.urls import reverse


class StoredFileLink:
    """What the admin's file widget shows for a stored file: its name, linked to `url`."""

    def __init__(self, *, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class StoredFileWidget(AdminFileWidget):
    """The admin's file input for stored files. Their URLs are not for people (a file is served
    only by a view that checks who asks, and a bucket's own link lives a minute), so the form
    names the view to link to."""

    link_url = ""

    def is_initial(self, value) -> bool:
        # The base class asks the storage for .url, which the protected storage refuses.
        return isinstance(value, FieldFile) and bool(value)

    def format_value(self, value):
        if self.is_initial(value):
            return StoredFileLink(name=value.name.rsplit("/", 1)[-1], url=self.link_url)
        return None


class StoredFileLinksMixin:
    """Gives each file field's widget the address of the view serving the stored file."""

    file_views: dict[str, tuple[str, str]] = {}  # field -> (URL name, instance attribute)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for field, (url_name, attribute) in self.file_views.items():
            widget = self.fields[field].widget
            if isinstance(widget, StoredFileWidget):
                # Read now, before validation copies a new (unsaved) issue number onto the
                # instance: the link must reach the file where it is served today.
                widget.link_url = reverse(url_name, args=[getattr(self.instance, attribute)])
