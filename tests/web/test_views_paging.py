"""Pages without COUNT(*): one row more than shown decides whether a next page exists."""

from __future__ import annotations

import pytest

from akasse.web.accounts.models import Organisation
from akasse.web.paging import list_page


@pytest.mark.parametrize(
    ("requested", "number", "shown", "has_next"),
    [
        (None, 1, ["a", "b"], True),
        ("2", 2, ["c", "d"], True),
        ("3", 3, ["e"], False),  # five rows, two a page: the third page holds the last one
        ("4", 4, [], False),
        ("0", 1, ["a", "b"], True),
        ("x", 1, ["a", "b"], True),
    ],
)
def test_list_page(db, requested, number, shown, has_next):
    for code in "abcde":
        Organisation.objects.create(kind="star", code=f"T{code}", name=code)
    page = list_page(Organisation.objects.filter(code__startswith="T").order_by("name"), requested, size=2)
    assert (page.number, [o.name for o in page], page.has_next) == (number, shown, has_next)
    assert page.has_previous == (number > 1)
