"""PDF files: checking an upload by its content, reading its text, and composing small PDFs for
demo data and tests."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

# Text beyond this is not kept: a search vector has a size limit and a snippet never needs more.
MAX_TEXT_CHARS = 400_000
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class PdfInfo:
    size: int
    pages: int


def _check_size(size: int) -> None:
    limit = settings.LIBRARY_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def pdf_inspect(upload) -> PdfInfo:
    """Check that `upload` (any file object) is a readable, unencrypted PDF within the size limit,
    judging by its content, not its name. Raises ValidationError with a message for the uploader."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    _check_size(size)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(
            _("This file is not a PDF, whatever its name says. Upload the document as a PDF."),
            code="not_pdf",
        )
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "This PDF is encrypted or protected by a password. Save a copy without "
                    "protection and upload that."
                ),
                code="encrypted",
            )
        pages = len(reader.pages)
        if pages:
            reader.pages[0].get_contents()
    except ValidationError:
        raise
    except (PdfReadError, Exception) as error:  # pypdf raises many kinds on a damaged file
        logger.info("PDF refused as damaged: %s", error)
        raise ValidationError(
            _("This PDF is damaged and cannot be read. Export it again and upload the new copy."),
            code="damaged",
        ) from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(_("This PDF has no pages."), code="no_pages")
    return PdfInfo(size=size, pages=pages)


def pdf_text(stream) -> str:
    """The text of every page, cleaned of control characters, cut at MAX_TEXT_CHARS."""
    reader = PdfReader(stream, strict=False)
    parts, length = [], 0
    for page in reader.pages:
        text = CONTROL_CHARS.sub(" ", page.extract_text() or "")
        parts.append(text)
        length += len(text)
        if length >= MAX_TEXT_CHARS:
            break
    return "\n".join(parts)[:MAX_TEXT_CHARS]


def image_inspect(upload) -> str:
    """Check a cover image by its content; returns its format's file extension."""
    size = getattr(upload, "size", None) or 0
    _check_size(size)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP picture."),
            code="not_image",
        ) from error
    finally:
        upload.seek(0)
    extensions = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
    if image_format not in extensions:
        raise ValidationError(
            _("Upload the cover as a JPEG, PNG or WebP picture."), code="image_format"
        )
    return extensions[image_format]


# --- Composing small PDFs (demo data, tests). Base-14 Helvetica with a custom encoding whose upper
# half names the Cyrillic glyphs, so text in Russian and English comes back out of extraction.
_CYRILLIC = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя"
# Adobe numbers Ё right after Е (afii10023, afii10071), so Ж onwards sit one place further on.
_GLYPHS = [f"afii{10017 + index + (index >= 6)}" for index in range(32)] + [
    f"afii{10065 + index + (index >= 6)}" for index in range(32)
]
_EXTRA = {
    "Ё": (192, "afii10023"),
    "ё": (193, "afii10071"),
    "«": (194, "guillemotleft"),
    "»": (195, "guillemotright"),
    "—": (196, "emdash"),
    "–": (197, "endash"),
    "№": (198, "afii61352"),
}
_CODE = {char: 128 + index for index, char in enumerate(_CYRILLIC)} | {
    char: code for char, (code, _glyph) in _EXTRA.items()
}


def _encode(line: str) -> bytes:
    out = bytearray()
    for char in line:
        if char in _CODE:
            out.append(_CODE[char])
        elif 32 <= ord(char) < 127:
            if char in "()\\":
                out.append(ord("\\"))
            out.append(ord(char))
        else:
            out.append(ord("?"))
    return bytes(out)


def pdf_compose(*, pages: list[list[str]]) -> bytes:
    """A valid PDF with one page per list of lines, in Russian or English."""
    differences = (
        "128 "
        + " ".join(f"/{glyph}" for glyph in _GLYPHS)
        + " "
        + " ".join(f"{code} /{glyph}" for code, glyph in sorted(_EXTRA.values()))
    )
    objects: list[bytes] = []
    page_count = len(pages)
    kids = " ".join(f"{5 + 2 * index} 0 R" for index in range(page_count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 4 0 R >>")
    objects.append(f"<< /Type /Encoding /Differences [{differences}] >>".encode())
    for index, lines in enumerate(pages):
        stream = bytearray(b"BT /F1 11 Tf 14 TL 56 780 Td\n")
        for line in lines:
            stream += b"(" + _encode(line) + b") Tj T*\n"
        stream += b"ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R"
            f" >> >> /Contents {6 + 2 * index} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(stream)} >>\nstream\n".encode() + bytes(stream) + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
