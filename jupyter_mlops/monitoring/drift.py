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

Each side of a column is read through its profile (``profiles.py``: how many values are
usable, and those values sorted or counted), so the reference side can come from a stored
profile of a dataset version (``references.py``, ``profile_store.py``) instead of its data.
Columns are checked in parallel threads.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any, NamedTuple, cast

import numpy as np
import pandas as pd

from ..errors import Invalid
from . import stattests
from .column_types import describe_values, infer_kind
from .distributions import binned
from .models import ColumnDistribution, ColumnDrift, ColumnKind, DatasetDrift, DriftReport
from .profiles import NUMBER_DTYPE_KINDS, ColumnProfile, Usable, profile_of
from .references import FrameReference, Reference
from .samples import CategoryCounts, NumericSample
from .selection import CHI_SQUARE, KS, WASSERSTEIN, StatTest, Z, default_test, why

TESTED_KINDS = ("numerical", "categorical")
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
    couplings = _Couplings()

    def check(name: Hashable) -> _Outcome:
        return _check_column(reference, current, name, kinds.get(name), couplings, distributions)

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
    task: Callable[[Hashable], _Outcome], names: list[Hashable], gil_bound: set[Hashable]
) -> list[_Outcome]:
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


class _Couplings:
    """The quantile couplings of one check, made once per pair of sample sizes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._made: dict[tuple[int, int], stattests.Coupling] = {}

    def get(self, a: int, b: int) -> stattests.Coupling:
        key = (max(a, b), min(a, b))
        with self._lock:
            found = self._made.get(key)
            if found is None:
                found = self._made[key] = stattests.Coupling(*key)
            return found


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


class _Outcome(NamedTuple):
    drift: ColumnDrift
    distribution: ColumnDistribution | None = None


def _check_column(
    reference: Reference,
    current: pd.DataFrame,
    name: Hashable,
    override: ColumnKind | None,
    couplings: _Couplings,
    distributions: bool,
) -> _Outcome:
    column = str(name)
    sides = (("reference", list(reference.columns)), ("current", list(current.columns)))
    for side, labels in sides:
        occurrences = sum(1 for label in labels if bool(label == name))
        if occurrences == 0:
            return _Outcome(_not_tested(column, f"the column is missing from the {side} data"))
        if occurrences > 1:
            reason = f"the {side} data has more than one column named {column!r}"
            return _Outcome(_not_tested(column, reason))
    ref = reference.profile(name)
    try:
        return _check_profiles(column, ref, current[name], override, couplings, distributions)
    finally:
        reference.keep(name, ref)


def _check_profiles(
    column: str,
    ref: ColumnProfile,
    values: pd.Series,
    override: ColumnKind | None,
    couplings: _Couplings,
    distributions: bool,
) -> _Outcome:
    cur = profile_of(values)
    ref_use, cur_use = ref.usable, cur.usable
    counts = {"reference_values": ref_use.values, "current_values": cur_use.values}
    for side, use in (("reference", ref_use), ("current", cur_use)):
        if use.values == 0:
            return _Outcome(_not_tested(column, _nothing_usable(side, use), **counts))
    try:
        kind = override or infer_kind(values, cur)
        if kind not in TESTED_KINDS:
            reason = _not_testable_kind(kind, cur, column)
            return _Outcome(_not_tested(column, reason, kind=kind, **counts))
        mismatch = _type_mismatch(kind, ref, cur)
        if mismatch is not None:
            return _Outcome(_not_tested(column, mismatch, kind=kind, **counts))
        if kind == "numerical":
            scoring = _score_numerical(ref, cur, couplings)
        else:
            scoring = _score_categorical(ref, cur)
    except TypeError as error:  # values pandas cannot hash or order, e.g. lists among strings
        return _Outcome(_not_tested(column, f"its values cannot be compared ({error})", **counts))
    notes = _dropped_notes(ref_use, cur_use) + scoring.notes
    notes += [
        f"the {side} values mix types; values are compared by equality"
        for side, profile in (("reference", ref), ("current", cur))
        if profile.value_kind == "mixed"
    ]
    drift = _scored(column, kind, scoring, ref_use, cur_use, notes)
    if not (distributions and drift.drifted):
        return _Outcome(drift)
    return _Outcome(drift, binned(column, kind, scoring.distinct, ref, cur, scoring.sample))


def _not_tested(column: str, reason: str, **fields: Any) -> ColumnDrift:
    return ColumnDrift(column=column, message=f"not tested: {reason}", **fields)


def _nothing_usable(side: str, use: Usable) -> str:
    if use.rows == 0:
        return f"the {side} data has no rows"
    if use.infinite == 0:
        return f"all {use.rows} {side} values are missing"
    return f"no finite {side} values ({use.missing} missing, {use.infinite} infinite of {use.rows})"


def _not_testable_kind(kind: ColumnKind, current: ColumnProfile, column: str) -> str:
    if kind == "text":
        distinct = current.distinct() + current.infinite_distinct
        present = current.usable.rows - current.usable.missing
        return (
            f"text column ({distinct} distinct of {present} current values); "
            "Evidently scores text with a trained domain classifier, which this engine does "
            f"not compute: give column_types={{{column!r}: 'categorical'}} to compare its "
            "values as categories"
        )
    if kind == "datetime":
        return "date column: Evidently's DataDriftPreset does not check dates for drift"
    if kind == "list":
        return "the values are lists: there is no drift test for list columns"
    return (
        f"Evidently's default type detection does not recognise dtype {current.dtype}; give "
        f"column_types={{{column!r}: 'numerical'}} (or 'categorical') to test it"
    )


def _type_mismatch(
    kind: ColumnKind, reference: ColumnProfile, current: ColumnProfile
) -> str | None:
    ref_kind, cur_kind = reference.value_kind, current.value_kind
    both = (
        f"reference holds {describe_values(ref_kind, reference.dtype)}, "
        f"current holds {describe_values(cur_kind, current.dtype)}"
    )
    if kind == "numerical":
        if ref_kind == cur_kind == "number":
            return None
        return f"a numerical column needs numbers on both sides: {both}"
    if ref_kind == cur_kind or "mixed" in (ref_kind, cur_kind):
        return None
    return f"the two sides hold different types of values: {both}"


class _Scoring(NamedTuple):
    test: StatTest
    score: float
    distinct: int
    notes: list[str]
    sample: NumericSample | None = None
    exact: bool = True  # whether ``distinct`` is exact, or a lower bound


def _score_numerical(ref: ColumnProfile, cur: ColumnProfile, couplings: _Couplings) -> _Scoring:
    sample = NumericSample.of(ref, cur)
    distinct, exact = sample.distinct_count
    sorted_ref, sorted_cur = sample.sorted_reference, sample.sorted_current
    test = default_test("numerical", sorted_ref.size, distinct)
    if test is KS:
        score = stattests.ks_p_value(sorted_ref, sorted_cur)
    elif test is WASSERSTEIN:
        coupling = couplings.get(sorted_ref.size, sorted_cur.size)
        score = stattests.wasserstein_normed(sorted_ref, sorted_cur, sample.reference_std, coupling)
    else:
        score = _count_score(test, *sample.counts(sample.distinct()))
    notes = [
        _single_value(side, ordered[0])
        for side, ordered in (("reference", sorted_ref), ("current", sorted_cur))
        if ordered[0] == ordered[-1]
    ]
    return _Scoring(test, score, distinct, notes, sample, exact)


def _score_categorical(ref: ColumnProfile, cur: ColumnProfile) -> _Scoring:
    counts = CategoryCounts.of(ref, cur)
    test = default_test("categorical", int(counts.reference.sum()), len(counts.values))
    score = _count_score(test, counts.reference, counts.current)
    notes = [
        _single_value(side, counts.values[int(side_counts.argmax())])
        for side, side_counts in (("reference", counts.reference), ("current", counts.current))
        if int((side_counts > 0).sum()) == 1
    ]
    return _Scoring(test, score, len(counts.values), notes)


def _count_score(test: StatTest, reference: stattests.Counts, current: stattests.Counts) -> float:
    if test is CHI_SQUARE:
        return stattests.chi_square_p_value(reference, current)
    if test is Z:
        return stattests.z_p_value(reference, current)
    return stattests.jensen_shannon(reference, current)


def _single_value(side: str, value: object) -> str:
    plain = value.item() if isinstance(value, np.generic) else value
    return f"the {side} holds a single value ({plain!r})"


def _dropped_notes(ref_use: Usable, cur_use: Usable) -> list[str]:
    notes = []
    for side, use in (("reference", ref_use), ("current", cur_use)):
        for count, what in ((use.missing, "missing"), (use.infinite, "infinite")):
            if count:
                notes.append(f"{count} {what} {side} value{'s' if count != 1 else ''} left out")
    return notes


def _scored(
    column: str,
    kind: ColumnKind,
    scoring: _Scoring,
    ref_use: Usable,
    cur_use: Usable,
    notes: list[str],
) -> ColumnDrift:
    test, score = scoring.test, scoring.score
    fields: dict[str, Any] = {
        "kind": kind,
        "reference_values": ref_use.values,
        "current_values": cur_use.values,
        "distinct_values": scoring.distinct,
    }
    if math.isnan(score):
        return _not_tested(column, f"the {test.label} is undefined for these values", **fields)
    drifted = test.is_drift(score)
    verdict = "drift detected" if drifted else "no drift"
    message = "; ".join(
        [
            f"{verdict}: {test.label} = {score:.4g} ({test.rule()})",
            why(kind, ref_use.values, scoring.distinct, scoring.exact),
            *notes,
        ]
    )
    return ColumnDrift(
        column=column,
        test=test.name,
        test_label=test.label,
        statistic=test.statistic,
        score=score,
        threshold=test.threshold,
        drifted=drifted,
        message=message,
        **fields,
    )


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
