"""Data drift between a reference and a current DataFrame, decided as Evidently decides it.

For every column, ``check_drift`` picks the test, threshold and verdict that Evidently 0.7's
``DataDriftPreset`` picks by default (``selection.py``) and computes the score with our own
vectorized code (``stattests.py``); the dataset drifts when at least ``drift_share`` of the
tested columns drifted, as in Evidently's ``DriftedColumnsCount``.

Where Evidently would fail or silently skip a column, the column is reported as not tested
(``drifted`` None) with a message saying why, and left out of the dataset share: a column
missing from one side or duplicated, a side with no rows or no usable (non-missing, finite)
values, values of different types on the two sides (numbers here, strings there), a dtype
Evidently's type detection does not recognise, and dates. Text columns (many distinct strings)
are not tested either: Evidently scores them with a trained domain classifier, which this fast
engine does not reproduce; ``column_types`` can ask for them to be compared as categories.

Each column is checked by ``column_check.py``, in parallel threads, from the profiles of its
two sides (``profiles.py``: how many values are usable, and those values sorted or counted),
so the reference side can come from a stored profile of a dataset version
(``references.py``, ``profile_store.py``) instead of its data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import zip_longest
from typing import cast

import numpy as np
import pandas as pd

from ..errors import Invalid
from .column_check import TESTED_KINDS, Couplings, Outcome, check_column
from .models import ColumnDistribution, ColumnDrift, ColumnKind, DatasetDrift, DriftReport
from .profiles import NUMBER_DTYPE_KINDS
from .references import FrameReference, Reference

MAX_THREADS = 8


def check_drift(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    columns: Sequence[Hashable] | None = None,
    column_types: Mapping[Hashable, str] | None = None,
    drift_share: float = 0.5,
) -> DriftReport:
    """Check every column (or ``columns``) of ``current`` against ``reference``.

    ``column_types`` overrides the detected kind of some columns ("numerical" or
    "categorical"), as a ``DataDefinition`` would in Evidently.
    """
    if not isinstance(reference, pd.DataFrame):
        raise Invalid(f"reference must be a pandas DataFrame, not {type(reference).__name__}")
    return compare(
        FrameReference(reference),
        current,
        columns=columns,
        column_types=column_types,
        drift_share=drift_share,
    ).report


@dataclass(frozen=True)
class Comparison:
    report: DriftReport
    distributions: list[ColumnDistribution]  # of the drifted columns, when asked for


def compare(
    reference: Reference,
    current: pd.DataFrame,
    *,
    columns: Sequence[Hashable] | None = None,
    column_types: Mapping[Hashable, str] | None = None,
    drift_share: float = 0.5,
    distributions: bool = False,
) -> Comparison:
    """``check_drift`` against any reference (a frame, a dataset version with stored
    profiles); with ``distributions``, also the binned distributions of drifted columns.

    Columns are checked in parallel threads: sorting and the scores' arithmetic run in numpy
    without the GIL. Each column's result does not depend on the others or on the order.
    """
    if not isinstance(current, pd.DataFrame):
        raise Invalid(f"current must be a pandas DataFrame, not {type(current).__name__}")
    if isinstance(drift_share, bool) or not isinstance(drift_share, int | float):
        raise Invalid(f"drift_share must be a number in (0, 1], not {drift_share!r}")
    if not 0 < drift_share <= 1:
        raise Invalid(f"drift_share must be in (0, 1], not {drift_share}")
    names = _column_names(reference.columns, current, columns)
    kinds = _overrides(column_types, names)
    couplings = Couplings()

    def check(name: Hashable) -> Outcome:
        return check_column(reference, current, name, kinds.get(name), couplings, distributions)

    outcomes = _in_threads(check, names, _holds_the_gil(current, names))
    reference.remember()
    results = [outcome.drift for outcome in outcomes]
    report = DriftReport(
        dataset=dataset_verdict(results, float(drift_share)),
        columns=results,
        reference_rows=reference.rows,
        current_rows=len(current),
    )
    binned = [o.distribution for o in outcomes if o.distribution is not None]
    return Comparison(report, binned)


def _in_threads(
    task: Callable[[Hashable], Outcome], names: list[Hashable], gil_bound: set[Hashable]
) -> list[Outcome]:
    """``task`` of each name, in the names' order. Columns whose work holds the GIL (values
    hashed by pandas) start interleaved with the others, so that each overlaps numpy work
    that releases it instead of all queuing at the end."""
    workers = min(len(names), _cpus(), MAX_THREADS)
    if workers <= 1:
        return [task(name) for name in names]
    held = [i for i, name in enumerate(names) if name in gil_bound]
    free = [i for i, name in enumerate(names) if name not in gil_bound]
    order = [i for pair in zip_longest(held, free) for i in pair if i is not None]
    with ThreadPoolExecutor(workers, thread_name_prefix="mlops-drift") as pool:
        futures = {i: pool.submit(task, names[i]) for i in order}
        return [futures[i].result() for i in range(len(names))]


def _holds_the_gil(current: pd.DataFrame, names: list[Hashable]) -> set[Hashable]:
    """The columns whose current values are not of a numpy number dtype (hashed, not sorted)."""
    dtypes = current.dtypes
    return {
        name
        for name in names
        if name in current.columns
        and not (isinstance(dtype := dtypes[name], np.dtype) and dtype.kind in NUMBER_DTYPE_KINDS)
    }


def _cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _column_names(
    reference: list[Hashable], current: pd.DataFrame, columns: Sequence[Hashable] | None
) -> list[Hashable]:
    """The current data's columns then those only in the reference, or the ones asked for."""
    everywhere = list(dict.fromkeys([*current.columns, *reference]))
    if columns is None:
        return everywhere
    if isinstance(columns, str) or not isinstance(columns, Sequence | pd.Index):
        raise Invalid(f"columns must be a list of column names, not {columns!r}")
    if len(columns) == 0:
        raise Invalid("columns is empty: name at least one column, or pass None for all")
    known = set(everywhere)
    for name in columns:
        if not isinstance(name, Hashable) or name not in known:
            raise Invalid(f"column {name!r} is in neither the reference nor the current data")
    return list(dict.fromkeys(columns))


def _overrides(
    column_types: Mapping[Hashable, str] | None, names: list[Hashable]
) -> dict[Hashable, ColumnKind]:
    if column_types is None:
        return {}
    if not isinstance(column_types, Mapping):
        raise Invalid(f"column_types must map column names to a kind, not {column_types!r}")
    known = set(names)
    for name, kind in column_types.items():
        if name not in known:
            raise Invalid(f"column_types names {name!r}, which is not a checked column")
        if kind not in TESTED_KINDS:
            raise Invalid(f"column_types[{name!r}] is {kind!r}: use 'numerical' or 'categorical'")
    return {name: cast(ColumnKind, kind) for name, kind in column_types.items()}


def dataset_verdict(columns: list[ColumnDrift], drift_share: float) -> DatasetDrift:
    tested = [c for c in columns if c.tested]
    skipped = [c for c in columns if not c.tested]
    drifted = sum(1 for c in tested if c.drifted)
    skipped_note = ""
    if skipped:
        names = ", ".join(repr(c.column) for c in skipped)
        skipped_note = f"; not tested (see their messages): {names}"
        if any(c.kind == "text" for c in skipped):
            skipped_note += "; Evidently's own report would also count the text columns"
    if not tested:
        return DatasetDrift(
            drift_share=drift_share,
            number_of_columns=0,
            number_of_drifted_columns=0,
            share_of_drifted_columns=None,
            drifted=None,
            columns_not_tested=[c.column for c in skipped],
            message=f"no verdict: no column could be tested{skipped_note}",
        )
    share = drifted / len(tested)
    verdict = share >= drift_share
    head = "dataset drift detected" if verdict else "no dataset drift"
    return DatasetDrift(
        drift_share=drift_share,
        number_of_columns=len(tested),
        number_of_drifted_columns=drifted,
        share_of_drifted_columns=share,
        drifted=verdict,
        columns_not_tested=[c.column for c in skipped],
        message=(
            f"{head}: {drifted} of {len(tested)} tested columns drifted ({share:.0%}; "
            f"drift when at least {drift_share:.0%}){skipped_note}"
        ),
    )
