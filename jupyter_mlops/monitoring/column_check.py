"""One column's drift check: from the two sides' profiles to its test, score and verdict.

``check_column`` finds the column on both sides, reads the reference's profile (``references.py``)
and profiles the current values, then decides, as Evidently's defaults do, whether and how the
column can be tested (``column_types.py``, ``selection.py``), scores it (``samples.py``,
``stattests.py``) and writes the message saying why; with ``distributions``, a drifted
column's binned distribution too (``distributions.py``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from . import stattests
from .column_types import describe_values, infer_kind
from .distributions import binned
from .models import ColumnDistribution, ColumnDrift, ColumnKind
from .profiles import ColumnProfile, Usable, profile_of
from .references import Reference
from .samples import CategoryCounts, NumericSample
from .selection import CHI_SQUARE, KS, WASSERSTEIN, StatTest, Z, default_test, why

TESTED_KINDS = ("numerical", "categorical")


class Couplings:
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


class Outcome(NamedTuple):
    drift: ColumnDrift
    distribution: ColumnDistribution | None = None


def check_column(
    reference: Reference,
    current: pd.DataFrame,
    name: Hashable,
    override: ColumnKind | None,
    couplings: Couplings,
    distributions: bool,
) -> Outcome:
    column = str(name)
    sides = (("reference", list(reference.columns)), ("current", list(current.columns)))
    for side, labels in sides:
        occurrences = sum(1 for label in labels if bool(label == name))
        if occurrences == 0:
            return Outcome(_not_tested(column, f"the column is missing from the {side} data"))
        if occurrences > 1:
            reason = f"the {side} data has more than one column named {column!r}"
            return Outcome(_not_tested(column, reason))
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
    couplings: Couplings,
    distributions: bool,
) -> Outcome:
    cur = profile_of(values)
    ref_use, cur_use = ref.usable, cur.usable
    counts = {"reference_values": ref_use.values, "current_values": cur_use.values}
    for side, use in (("reference", ref_use), ("current", cur_use)):
        if use.values == 0:
            return Outcome(_not_tested(column, _nothing_usable(side, use), **counts))
    try:
        kind = override or infer_kind(values, cur)
        if kind not in TESTED_KINDS:
            reason = _not_testable_kind(kind, cur, column)
            return Outcome(_not_tested(column, reason, kind=kind, **counts))
        mismatch = _type_mismatch(kind, ref, cur)
        if mismatch is not None:
            return Outcome(_not_tested(column, mismatch, kind=kind, **counts))
        if kind == "numerical":
            scoring = _score_numerical(ref, cur, couplings)
        else:
            scoring = _score_categorical(ref, cur)
    except TypeError as error:  # values pandas cannot hash or order, e.g. lists among strings
        return Outcome(_not_tested(column, f"its values cannot be compared ({error})", **counts))
    notes = _dropped_notes(ref_use, cur_use) + scoring.notes
    notes += [
        f"the {side} values mix types; values are compared by equality"
        for side, profile in (("reference", ref), ("current", cur))
        if profile.value_kind == "mixed"
    ]
    drift = _scored(column, kind, scoring, ref_use, cur_use, notes)
    if not (distributions and drift.drifted):
        return Outcome(drift)
    return Outcome(drift, binned(column, kind, scoring.distinct, ref, cur, scoring.sample))


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


def _score_numerical(ref: ColumnProfile, cur: ColumnProfile, couplings: Couplings) -> _Scoring:
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
