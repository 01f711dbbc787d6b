"""Both sides' numbers as the tests read them: order statistics, counts and distinct values
read off the two sorted samples, against numpy on their concatenation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.monitoring import check_drift, samples
from jupyter_mlops.monitoring.profiles import profile_of
from jupyter_mlops.monitoring.samples import NumericSample

RNG = np.random.default_rng(11)


def _sample(reference: np.ndarray, current: np.ndarray) -> NumericSample:
    return NumericSample.of(profile_of(pd.Series(reference)), profile_of(pd.Series(current)))


@pytest.mark.parametrize("sizes", [(1, 1), (1, 9), (9, 1), (40, 25), (25, 40)])
def test_order_statistics_are_those_of_both_sides_together(sizes: tuple[int, int]) -> None:
    for _ in range(20):
        ref, cur = RNG.integers(0, 6, sizes[0]) * 0.5, RNG.integers(2, 9, sizes[1]) * 0.5
        sample, both = _sample(ref, cur), np.sort(np.concatenate([ref, cur]))
        assert [sample.smallest(k) for k in range(both.size)] == both.tolist()
        for value in (-1.0, 1.0, 1.25, 3.0, 9.0):
            assert sample.below(value) == int((both < value).sum())
            assert sample.above(value) == int((both > value).sum())


def test_distinct_values_are_counted_exactly_while_one_side_has_few() -> None:
    ref = RNG.normal(0, 1, 5000).round(2)
    cur = np.r_[RNG.normal(0.5, 1, 4000), ref[:300]]  # continuous, and some shared values
    count, exact = _sample(ref, cur).distinct_count
    assert exact and count == np.unique(np.r_[ref, cur]).size
    few = np.r_[-0.0, 0.0, 1.0, 2.0]  # -0.0 == 0.0, as pandas counts them
    sample = _sample(few, np.array([0.0, 3.0]))
    assert sample.distinct_count == (4, True)
    assert sample.distinct().tolist() == [0.0, 1.0, 2.0, 3.0]


def test_many_distinct_values_on_both_sides_are_only_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(samples, "EXACT_DISTINCT", 100)
    ref, cur = RNG.normal(0, 1, 3000), RNG.normal(0.2, 1, 2000)
    assert _sample(ref, cur).distinct_count == (3000, False)
    assert _sample(ref.round(1), cur).distinct_count[1] is True  # the reference has few
    report = check_drift(pd.DataFrame({"a": ref}), pd.DataFrame({"a": cur}))
    entry = report.column("a")
    assert entry.distinct_values == 3000 and "at least 3000 distinct values" in entry.message
