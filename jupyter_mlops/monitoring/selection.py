"""Which test a column gets, its threshold and its drift rule: Evidently's defaults.

Evidently 0.7's ``DataDriftPreset`` leaves every method unset, so each column gets the default
of its legacy stattest registry, chosen from the column's kind, the number of reference values
left after dropping missing and infinite ones, and the number of distinct values over both
sides:
- numerical, <= 1000 reference values: z-test (<= 2 distinct), chi-square (3 to 5), KS (> 5);
- numerical, > 1000 reference values: Jensen-Shannon (<= 5 distinct), Wasserstein normed (> 5);
- categorical, <= 1000 reference values: z-test (<= 2 distinct), chi-square (> 2);
- categorical, > 1000 reference values: Jensen-Shannon.

Thresholds and rules are those tests' defaults: p-values 0.05 (KS drifts at ``<=``, chi-square
and z at ``<``), distances 0.1 (drift at ``>=``). Text columns get Evidently's domain-classifier
tests, which this engine does not compute (see ``drift.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .models import ColumnKind, StatTestName

SMALL_REFERENCE = 1000  # up to this many reference values, the tests for small samples
FEW_VALUES = 5  # a numerical column with at most this many distinct values is compared by value
TWO_VALUES = 2  # at most two distinct values: the z-test of proportions


@dataclass(frozen=True)
class StatTest:
    name: StatTestName
    label: str  # Evidently's display name, as its report shows it
    statistic: Literal["p_value", "distance"]
    threshold: float
    inclusive: bool  # whether a score equal to the threshold is drift

    def is_drift(self, score: float) -> bool:
        if self.statistic == "p_value":
            return score <= self.threshold if self.inclusive else score < self.threshold
        return score >= self.threshold if self.inclusive else score > self.threshold

    def rule(self) -> str:
        """E.g. "drift when p <= 0.05"."""
        symbol = "p" if self.statistic == "p_value" else "distance"
        if self.statistic == "p_value":
            op = "<=" if self.inclusive else "<"
        else:
            op = ">=" if self.inclusive else ">"
        return f"drift when {symbol} {op} {self.threshold:g}"


KS = StatTest("ks", "K-S p_value", "p_value", 0.05, inclusive=True)
CHI_SQUARE = StatTest("chisquare", "chi-square p_value", "p_value", 0.05, inclusive=False)
Z = StatTest("z", "Z-test p_value", "p_value", 0.05, inclusive=False)
WASSERSTEIN = StatTest("wasserstein", "Wasserstein distance (normed)", "distance", 0.1, True)
JENSEN_SHANNON = StatTest("jensenshannon", "Jensen-Shannon distance", "distance", 0.1, True)


def default_test(kind: ColumnKind, reference_values: int, distinct_values: int) -> StatTest:
    """Evidently's default test for a numerical or categorical column (table above)."""
    small = reference_values <= SMALL_REFERENCE
    if kind == "numerical" and distinct_values > FEW_VALUES:
        return KS if small else WASSERSTEIN
    if kind in ("numerical", "categorical"):
        if not small:
            return JENSEN_SHANNON
        return CHI_SQUARE if distinct_values > TWO_VALUES else Z
    raise ValueError(f"no default drift test for a {kind} column")


def why(kind: ColumnKind, reference_values: int, distinct_values: int, exact: bool = True) -> str:
    """The facts the choice rests on, for the column's message (``exact`` False: there are
    at least ``distinct_values`` distinct values)."""
    size = "<=" if reference_values <= SMALL_REFERENCE else ">"
    return (
        f"{kind}, {reference_values} reference values ({size} {SMALL_REFERENCE}), "
        f"{'' if exact else 'at least '}{distinct_values} distinct "
        f"value{'s' if distinct_values != 1 else ''}"
    )
