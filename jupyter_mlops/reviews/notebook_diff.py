"""The candidate's notebook against the champion's, cell by cell, for the review page.

Cells identical in type and source are paired first (a longest-common-subsequence pass over
their hashes, linear for notebooks that mostly agree); nbdime's ``diff_notebooks`` then
matches the cells in each stretch between those anchors, telling a modified cell from a
removed one and an added one by its approximate comparison of sources and outputs. Running
nbdime only on the stretches keeps a 200-cell notebook with a few edits in milliseconds
(nbdime alone compares every pair of cells: about half a second at that size). A stretch
longer than ``MAX_WINDOW`` cells (notebooks that share little) is cut into aligned windows
matched one by one, so two unrelated 200-cell notebooks take a fraction of a second instead
of about ten; a cell moved from one window to another then shows as removed and added.
Cell ids, metadata and execution counts are not compared: they change on every run.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from typing import Any

import nbformat

from .notebook_source import cell_id, cell_outputs
from .page_models import CellDiff, DiffLine

CONTEXT_LINES = 2
MAX_DIFF_LINES = 400
MAX_WINDOW = 20  # cells a side nbdime matches at once (its cost grows past quadratic)


def _source(cell: Any) -> str:
    return str(cell.get("source", ""))


def _key(cell: Any) -> tuple[str, str]:
    return str(cell.get("cell_type", "")), _source(cell)


def _outputs(cell: Any) -> list[tuple[str, str]]:
    return [(o.output_type, o.text) for o in cell_outputs(cell)]


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _capped(lines: list[DiffLine]) -> list[DiffLine]:
    if len(lines) <= MAX_DIFF_LINES:
        return lines
    rest = len(lines) - MAX_DIFF_LINES
    return [*lines[:MAX_DIFF_LINES], DiffLine(kind="skipped", text=f"… {rest} more lines")]


def whole_source(source: str, kind: str) -> list[DiffLine]:
    """Every line of an added or removed cell."""
    return _capped([DiffLine(kind=kind, text=line) for line in _lines(source)])  # type: ignore[arg-type]


def _context(lines: list[str], first: bool, last: bool) -> Iterator[DiffLine]:
    """Unchanged lines, keeping ``CONTEXT_LINES`` next to each change."""
    head = [] if first else lines[:CONTEXT_LINES]
    tail = [] if last else lines[-CONTEXT_LINES:]
    if len(lines) <= len(head) + len(tail):
        yield from (DiffLine(kind="context", text=line) for line in lines)
        return
    yield from (DiffLine(kind="context", text=line) for line in head)
    skipped = len(lines) - len(head) - len(tail)
    yield DiffLine(kind="skipped", text=f"… {skipped} unchanged line{'s' * (skipped != 1)}")
    yield from (DiffLine(kind="context", text=line) for line in tail)


def source_diff(before: str, after: str) -> list[DiffLine]:
    """A compact line diff: changed lines with a little context, long runs left out."""
    old, new = _lines(before), _lines(after)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    out: list[DiffLine] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            out += _context(old[i1:i2], first=n == 0, last=n == len(opcodes) - 1)
            continue
        out += [DiffLine(kind="removed", text=line) for line in old[i1:i2]]
        out += [DiffLine(kind="added", text=line) for line in new[j1:j2]]
    return _capped(out)


def _pair(a: Any, b: Any, ia: int, ib: int) -> CellDiff:
    """Two cells matched with each other: unchanged, or modified in what differs."""
    changed = []
    if a.get("cell_type") != b.get("cell_type"):
        changed.append("cell_type")
    if a.get("source") != b.get("source"):
        changed.append("source")
    if _outputs(a) != _outputs(b):
        changed.append("outputs")
    return CellDiff(
        status="modified" if changed else "unchanged",
        index=ib,
        champion_index=ia,
        id=cell_id(b),
        cell_type=str(b.get("cell_type", "")),
        changed=changed,
        source_diff=source_diff(_source(a), _source(b)) if "source" in changed else [],
    )


def _added(b: Any, ib: int) -> CellDiff:
    return CellDiff(
        status="added",
        index=ib,
        champion_index=None,
        id=cell_id(b),
        cell_type=str(b.get("cell_type", "")),
        source_diff=whole_source(_source(b), "added"),
    )


def _removed(a: Any, ia: int) -> CellDiff:
    return CellDiff(
        status="removed",
        index=None,
        champion_index=ia,
        id=cell_id(a),
        cell_type=str(a.get("cell_type", "")),
        source_diff=whole_source(_source(a), "removed"),
    )


def _comparable(cell: Any) -> dict[str, Any]:
    """What nbdime compares of a cell: its type, source and outputs."""
    kind = str(cell.get("cell_type", ""))
    copy: dict[str, Any] = {"cell_type": kind, "source": _source(cell), "metadata": {}}
    if kind == "code":
        copy["execution_count"] = None
        copy["outputs"] = [
            {k: v for k, v in o.items() if k not in ("execution_count", "metadata")}
            for o in cell.get("outputs") or []
            if isinstance(o, dict)
        ]
    return copy


def _stretch(a: list[Any], b: list[Any], ia: int, ib: int) -> list[CellDiff]:
    """Cells between two anchors, matched by nbdime, in aligned windows of at most
    ``MAX_WINDOW`` cells a side."""
    windows = math.ceil(max(len(a), len(b)) / MAX_WINDOW)
    if windows <= 1:
        return _matched(a, b, ia, ib)
    out: list[CellDiff] = []
    for w in range(windows):
        a0, a1 = len(a) * w // windows, len(a) * (w + 1) // windows
        b0, b1 = len(b) * w // windows, len(b) * (w + 1) // windows
        out += _matched(a[a0:a1], b[b0:b1], ia + a0, ib + b0)
    return out


def _matched(a: list[Any], b: list[Any], ia: int, ib: int) -> list[CellDiff]:
    """Cells of one window matched by nbdime's ``diff_notebooks``."""
    from nbdime import diff_notebooks
    from nbdime.diffing.notebooks import compare_cell_approximate

    comparable = [_comparable(c) for c in a], [_comparable(c) for c in b]
    if not any(compare_cell_approximate(x, y) for x in comparable[0] for y in comparable[1]):
        # no two cells alike (nbdime's loosest test): nothing for nbdime to match
        return [_removed(c, ia + n) for n, c in enumerate(a)] + [
            _added(c, ib + n) for n, c in enumerate(b)
        ]

    def notebook(cells: list[dict[str, Any]]) -> Any:
        node = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
        node.cells = cells
        return nbformat.from_dict(node)  # type: ignore[no-untyped-call]

    diff = diff_notebooks(notebook(comparable[0]), notebook(comparable[1]))
    ops: list[dict[str, Any]] = next((e["diff"] for e in diff if e["key"] == "cells"), [])
    ops.sort(key=lambda op: (op["key"], op["op"] != "removerange"))  # removed, then added
    out: list[CellDiff] = []
    i = j = 0
    for op in ops:
        while i < op["key"]:  # cells nbdime found equal up to this op
            out.append(_pair(a[i], b[j], ia + i, ib + j))
            i, j = i + 1, j + 1
        if op["op"] == "addrange":
            for _ in op["valuelist"]:
                out.append(_added(b[j], ib + j))
                j += 1
        elif op["op"] == "removerange":
            for _ in range(op["length"]):
                out.append(_removed(a[i], ia + i))
                i += 1
        else:  # patch: the same cell, changed
            out.append(_pair(a[i], b[j], ia + i, ib + j))
            i, j = i + 1, j + 1
    while i < len(a) and j < len(b):
        out.append(_pair(a[i], b[j], ia + i, ib + j))
        i, j = i + 1, j + 1
    out += [_removed(a[n], ia + n) for n in range(i, len(a))]
    return out + [_added(b[n], ib + n) for n in range(j, len(b))]


def diff_notebook_cells(champion: Any, candidate: Any) -> list[CellDiff]:
    """Every cell of both notebooks, in the candidate's order (removed cells where they
    were), each unchanged, added, removed or modified."""
    a, b = list(champion.cells), list(candidate.cells)
    matcher = difflib.SequenceMatcher(
        None, [_key(c) for c in a], [_key(c) for c in b], autojunk=False
    )
    out: list[CellDiff] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [
                _pair(a[i], b[j], i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        else:
            out += _stretch(a[i1:i2], b[j1:j2], i1, j1)
    return out


def count_statuses(cells: list[CellDiff]) -> dict[str, int]:
    counts = dict.fromkeys(("unchanged", "added", "removed", "modified"), 0)
    for cell in cells:
        counts[cell.status] += 1
    return counts
