"""Reading a paged list route to its end: every item once, in order, however the total
falls on the pages, and no request past an empty page."""

from __future__ import annotations

import pytest

from jupyter_mlops.remote import every_page


@pytest.mark.parametrize(("total", "size"), [(0, 3), (1, 3), (6, 3), (7, 3)])
def test_every_item_once_in_order(total: int, size: int) -> None:
    items = list(range(total))
    asked: list[int] = []

    def fetch(done: int) -> tuple[list[int], int]:
        asked.append(done)
        return items[done : done + size], total

    assert every_page(fetch) == items
    assert asked == (list(range(0, total, size)) or [0])


def test_a_list_that_shrinks_meanwhile_ends_at_an_empty_page() -> None:
    assert every_page(lambda done: ([], 10)) == []
