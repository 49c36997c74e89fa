"""A collection as a PDF reading pack (fpdf2): a cover, a table of contents with each item's page,
then each item with the secretariat's note and its target's details, in the active language.

DejaVu Sans (regular and bold, practices/fonts/, Bitstream Vera licence) is embedded, so Russian
reads the same on every computer. The items come resolved for the viewer
(practices.collections.collection_items_resolved): what they may not read is not in the pack.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from exchange.markup import markdown_plain
from practices.collections import ResolvedItem, authors_of, countries_display
from practices.enums import ItemKind
from practices.models import Collection

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
INK = (33, 37, 41)
MUTED = (96, 104, 112)
ACCENT = (24, 78, 119)
LINE = 5.5  # mm, body text
TOC_LINE = 6.5
PAGE_NUMBER_WIDTH = 14


def _case_fields() -> list[tuple[str, str]]:
    """A case's texts in the order its page shows them, with their headings."""
    return [
        ("summary", _("Summary")),
        ("problem", _("Problem addressed")),
        ("measure", _("What was done")),
        ("legal_basis", _("Legal or policy basis")),
        ("institutions", _("Institutions involved")),
        ("scale", _("Scale")),
        ("cost", _("Cost")),
        ("results", _("Results")),
        ("results_source", _("Source of the results")),
        ("lessons", _("Before copying it")),
    ]


class _Pack(FPDF):
    def __init__(self, *, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self.add_font(FAMILY, style="", fname=str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="C")


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    """The text broken into lines that fit a cell `width` wide in the current font. fpdf2's
    multi_cell measures the whole line again at each character (slow on long texts); this
    measures each word once, and cuts a word longer than a line (an address) where it must."""
    widths = pdf.current_font.cw
    scale = pdf.font_size_pt * 0.001 / pdf.k

    def measure(part: str) -> float:
        return sum(widths[ord(char)] for char in part) * scale

    width -= 2 * pdf.c_margin
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, line_width = "", 0.0
        for word in paragraph.split():
            word_width = measure(word)
            if line and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if line:
                lines.append(line)
            while word_width > width:
                cut, taken = 0, 0.0
                while cut < len(word) - 1 and taken + measure(word[cut]) <= width:
                    taken += measure(word[cut])
                    cut += 1
                lines.append(word[: max(cut, 1)])
                word = word[max(cut, 1) :]
                word_width = measure(word)
            line, line_width = word, word_width
        lines.append(line)
    return lines


class _Writer:
    def __init__(self, pdf: _Pack, absolute_url: Callable[[str], str]) -> None:
        self.pdf = pdf
        self.absolute_url = absolute_url

    def lines(self, value: str, *, height: float, link: str = "") -> None:
        pdf = self.pdf
        for line in _wrapped(pdf, value, pdf.epw):
            pdf.cell(pdf.epw, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT, link=link or None)

    def text(self, value: str, *, size: float = 10, bold: bool = False, color=INK) -> None:
        if not value:
            return
        pdf = self.pdf
        pdf.set_font(FAMILY, style="B" if bold else "", size=size)
        pdf.set_text_color(*color)
        self.lines(value, height=LINE * size / 10)

    def field(self, label: str, value: str) -> None:
        if not value:
            return
        self.pdf.ln(1)
        self.text(label, size=9, bold=True, color=MUTED)
        self.text(value)

    def link(self, url: str, *, label: str = "") -> None:
        if not url:
            return
        pdf = self.pdf
        address = self.absolute_url(url) if url.startswith("/") else url
        pdf.ln(1)
        pdf.set_font(FAMILY, size=9)
        pdf.set_text_color(*ACCENT)
        self.lines(f"{label}: {address}" if label else address, height=LINE * 0.9, link=address)


def _toc_lines(pdf: _Pack, titles: list[str]) -> int:
    pdf.set_font(FAMILY, size=10)
    return sum(len(_wrapped(pdf, title, pdf.epw - PAGE_NUMBER_WIDTH)) for title in titles)


def _toc_renderer(heading: str):
    def render(pdf: _Pack, outline) -> None:
        pdf.set_xy(pdf.l_margin, pdf.t_margin)
        pdf.set_font(FAMILY, style="B", size=16)
        pdf.set_text_color(*INK)
        pdf.cell(pdf.epw, 9, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
        pdf.set_font(FAMILY, size=10)
        for section in outline:
            link = pdf.add_link(page=section.page_number)
            lines = _wrapped(pdf, section.name, pdf.epw - PAGE_NUMBER_WIDTH)
            for line in lines[:-1]:
                pdf.cell(
                    pdf.epw - PAGE_NUMBER_WIDTH,
                    TOC_LINE,
                    line,
                    link=link,
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
            pdf.cell(pdf.epw - PAGE_NUMBER_WIDTH, TOC_LINE, lines[-1], link=link)
            pdf.cell(
                PAGE_NUMBER_WIDTH,
                TOC_LINE,
                str(section.page_number),
                align="R",
                link=link,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    return render


def _cover(writer: _Writer, collection: Collection) -> None:
    pdf = writer.pdf
    pdf.add_page()
    pdf.set_y(50)
    writer.text(_("MIRPAL reading pack"), size=11, color=MUTED)
    pdf.ln(4)
    writer.text(collection.title, size=22, bold=True, color=ACCENT)
    pdf.ln(6)
    writer.text(collection.introduction, size=11)
    pdf.ln(6)
    when = timezone.localtime(collection.published_at or timezone.now())
    writer.text(date_format(when, "j E Y"), size=10, color=MUTED)
    writer.link(collection.get_absolute_url())


def _target(writer: _Writer, entry: ResolvedItem) -> None:
    target = entry.target
    kind = entry.kind
    if kind == ItemKind.CASE:
        writer.field(_("Countries"), countries_display(target.countries))
        writer.field(_("Status of the measure"), target.get_status_display())
        years = (
            f"{target.year_from}–{target.year_to or ''}".rstrip("–")
            if target.year_from
            else (str(target.year_to) if target.year_to else "")
        )
        writer.field(_("Years"), years)
        writer.field(_("Topics"), ", ".join(topic.name for topic in target.topics.all()))
        for name, label in _case_fields():
            writer.field(label, getattr(target, name))
    elif kind == ItemKind.DOCUMENT:
        writer.field(_("Authors"), authors_of(target))
        writer.field(_("Published by"), target.publisher)
        writer.field(_("Date"), date_format(target.published_on, "j E Y"))
        writer.field(_("Abstract"), target.abstract)
    elif kind == ItemKind.ARTICLE:
        writer.field(_("Authors"), authors_of(target))
        writer.field(_("Magazine issue"), str(target.issue))
        writer.field(_("Pages"), target.pages)
        writer.field(_("Abstract"), target.abstract)
    elif kind == ItemKind.RECORDING:
        writer.field(_("Date"), date_format(timezone.localtime(target.starts_at), "j E Y, H:i"))
        writer.field(_("About the event"), target.description)
        writer.link(entry.recording_url, label=_("Recording"))
    elif kind == ItemKind.EXPERT:
        writer.field(
            _("Position"), ", ".join(part for part in (target.title, target.affiliation) if part)
        )
        writer.field(
            _("Fields of expertise"), ", ".join(topic.name for topic in target.topics.all())
        )
        writer.field(_("Countries of experience"), ", ".join(c.name for c in target.countries))
    elif kind == ItemKind.DISCUSSION:
        writer.field(_("The question as asked"), markdown_plain(target.body))
    writer.link(entry.url, label=_("On the MIRPAL site"))


def reading_pack_pdf(
    *,
    collection: Collection,
    items: list[ResolvedItem],
    absolute_url: Callable[[str], str],
) -> bytes:
    """The pack as PDF bytes, in the active language; reads nothing more from the database
    than the resolved items hold."""
    pdf = _Pack(footer_text=collection.title)
    pdf.set_title(collection.title)
    pdf.set_lang(get_language() or "en")
    pdf.set_author("MIRPAL")
    pdf.set_creator("MIRPAL")
    writer = _Writer(pdf, absolute_url)

    _cover(writer, collection)

    titles = [entry.title for entry in items if not entry.is_note]
    if titles:
        pdf.add_page()
        usable = pdf.eph - 20
        lines = _toc_lines(pdf, titles)
        pages = max(1, math.ceil(lines * TOC_LINE / usable))
        pdf.insert_toc_placeholder(_toc_renderer(_("Contents")), pages=pages)
    else:
        pdf.add_page()

    number = 0
    for entry in items:
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        if entry.note:
            writer.text(entry.note, size=10, color=MUTED)
            pdf.ln(2)
        if entry.is_note:
            pdf.ln(4)
            continue
        number += 1
        pdf.start_section(entry.title, level=0)
        writer.text(f"{number}. {entry.kind_label}", size=9, color=MUTED)
        writer.text(entry.title, size=13, bold=True, color=ACCENT)
        _target(writer, entry)
        pdf.ln(8)
    return bytes(pdf.output())
