"""A page of a list read without counting the list, for lists that page by "newer / older".

`has_next` comes from the one row read past the page's end, so a page costs one query however
long the list is; the templates iterate the page and ask `has_previous`, `has_next` and the
neighbours' numbers as they do of Django's Page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class UncountedPage:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def uncounted_page(rows: QuerySet, *, number: int, per_page: int) -> UncountedPage:
    start = (number - 1) * per_page
    read = list(rows[start : start + per_page + 1])
    return UncountedPage(rows=read[:per_page], number=number, has_next=len(read) > per_page)
