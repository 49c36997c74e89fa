"""Mail in development, without an SMTP server: one .eml file per message, as mail clients open."""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmailBackend(BaseEmailBackend):
    """Writes each message as RFC 822 bytes to `<time>-<random>.eml` in EMAIL_FILE_PATH.

    Django's file backend writes one file per connection, so a batch of the outbox would land in
    one file that no mail client reads.
    """

    def __init__(self, *, file_path=None, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        written = 0
        for message in email_messages:
            try:
                self._write(message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            written += 1
        return written

    def _write(self, message) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
        # Written aside and renamed, so that nobody opens half a message.
        partial = self.directory / f".{name}.part"
        partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
        os.replace(partial, self.directory / name)
