"""What every CSV and Excel export writes in a cell, so that no cell runs as a formula."""

from __future__ import annotations

import datetime

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
