"""What every CSV and Excel export writes in a cell, so that no cell runs as a formula, and the
workbook the Excel downloads write (the panel's exports and report, the work programme)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

# Spreadsheets run cells that start with these as formulas; a leading apostrophe keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str | int | float:
    """The value as a spreadsheet cell: text that would run as a formula gets a leading
    apostrophe; numbers stay numbers, None is empty, booleans are yes/no, times are UTC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xlsx_bytes(sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows), written in openpyxl's streaming mode."""
    # Imported here: openpyxl takes a noticeable part of a second to load, and only the Excel
    # downloads need it, so web and worker processes do not pay for it at start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        heading = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=spreadsheet_cell(name))
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in rows:
            sheet.append([spreadsheet_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
