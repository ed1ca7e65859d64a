"""Pages of long lists without COUNT(*): counting an a-kasse's tens of thousands of open spells costs more
than showing them, so a page fetches one row more than it shows to know whether a next page exists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListPage:
    """Rows `number` (from 1) of a list; `has_next` when at least one row follows."""

    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def list_page(queryset: QuerySet[Any], requested: str | None, size: int = PAGE_SIZE) -> ListPage:
    """The requested page (`?side=`; anything unreadable or below 1 is page 1) of an ordered queryset."""
    try:
        number = max(1, int(requested or 1))
    except ValueError:
        number = 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return ListPage(rows[:size], number, len(rows) > size)
