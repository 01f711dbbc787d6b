"""Cell-by-cell notebook diffs: identical cells paired first, nbdime between them."""

from __future__ import annotations

from typing import Any

import nbformat

from jupyter_mlops.reviews.notebook_diff import diff_notebook_cells, source_diff


def _nb(*sources: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_a_long_notebook_with_a_few_edits() -> None:
    base = [f"x{i} = {i}\nprint(x{i})" for i in range(200)]
    edited = list(base)
    edited[10] = "x10 = 10\nprint(x10 * 2)"  # modified
    del edited[50]  # removed
    edited.insert(120, "brand_new()")  # added
    cells = diff_notebook_cells(_nb(*base), _nb(*edited))
    changed = [(c.status, c.champion_index, c.index) for c in cells if c.status != "unchanged"]
    assert changed == [("modified", 10, 10), ("removed", 50, None), ("added", None, 120)]
    assert sum(c.status == "unchanged" for c in cells) == 198
    assert [(line.kind, line.text) for line in cells[10].source_diff] == [
        ("context", "x10 = 10"),
        ("removed", "print(x10)"),
        ("added", "print(x10 * 2)"),
    ]


def test_cell_ids_and_execution_counts_are_not_changes() -> None:
    a, b = _nb("a = 1"), _nb("a = 1")
    b.cells[0].execution_count = 7
    assert a.cells[0].id != b.cells[0].id
    [cell] = diff_notebook_cells(a, b)
    assert cell.status == "unchanged" and cell.id == b.cells[0].id


def test_a_source_diff_leaves_long_unchanged_runs_out() -> None:
    before = "\n".join(f"line {i}" for i in range(30))
    after = before.replace("line 15", "line fifteen")
    lines = [(line.kind, line.text) for line in source_diff(before, after)]
    assert lines == [
        ("skipped", "… 13 unchanged lines"),
        ("context", "line 13"),
        ("context", "line 14"),
        ("removed", "line 15"),
        ("added", "line fifteen"),
        ("context", "line 16"),
        ("context", "line 17"),
        ("skipped", "… 12 unchanged lines"),
    ]


def test_long_stretches_are_matched_window_by_window() -> None:
    base = [f"value_{i} = compute({i}, scale=2)\nprint(value_{i})" for i in range(60)]
    edited = [f"{s}\nlog(value_{i})" for i, s in enumerate(base)]  # every cell edited
    cells = diff_notebook_cells(_nb(*base), _nb(*edited))
    assert [(c.status, c.champion_index, c.index) for c in cells] == [
        ("modified", i, i) for i in range(60)
    ]
    unrelated = [f"frame_{i}.plot(kind='bar', title='other work')" for i in range(60)]
    cells = diff_notebook_cells(_nb(*base), _nb(*unrelated))
    assert sorted({c.status for c in cells}) == ["added", "removed"] and len(cells) == 120
