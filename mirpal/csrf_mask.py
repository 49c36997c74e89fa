"""A faster mask for Django's CSRF tokens, the same tokens from the same randomness.

Every page with a form masks the CSRF secret anew (against BREACH): Django draws the 32 mask
characters one secrets.choice at a time and looks each character up with str.index, a seventh of
an empty signed-in page's CPU. This draws them from one os.urandom call (rejection sampling, so
each of the 62 characters stays equally likely) and looks them up in a table. The token's format
is Django's: django.middleware.csrf._unmask_cipher_token reads it (tests/mirpal/test_csrf_mask.py).
"""

from __future__ import annotations

import os

from django.middleware import csrf

CHARS = csrf.CSRF_ALLOWED_CHARS
LENGTH = csrf.CSRF_SECRET_LENGTH
_INDEX = {char: index for index, char in enumerate(CHARS)}
# The largest multiple of len(CHARS) a byte can hold: bytes from it up are drawn again.
_LIMIT = 256 - 256 % len(CHARS)


def _mask_indexes() -> list[int]:
    indexes: list[int] = []
    while len(indexes) < LENGTH:
        indexes.extend(byte % len(CHARS) for byte in os.urandom(LENGTH + 8) if byte < _LIMIT)
    return indexes[:LENGTH]


def mask_cipher_secret(secret: str) -> str:
    mask = _mask_indexes()
    count = len(CHARS)
    return "".join(CHARS[index] for index in mask) + "".join(
        CHARS[(_INDEX[char] + index) % count] for char, index in zip(secret, mask, strict=True)
    )


def csrf_mask_install() -> None:
    """Called from MirpalConfig.ready(): get_token looks the function up at each call."""
    csrf._mask_cipher_secret = mask_cipher_secret
