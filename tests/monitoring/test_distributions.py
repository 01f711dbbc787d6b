"""Binned distributions for the plots: shared edges, shares per side, never raw values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.monitoring import check_drift
from jupyter_mlops.monitoring.distributions import BINS, TOP_VALUES, distribution


def _dist(reference: pd.Series, current: pd.Series):  # type: ignore[no-untyped-def]
    frame_ref, frame_cur = reference.to_frame("v"), current.to_frame("v")
    return distribution(reference, current, check_drift(frame_ref, frame_cur).column("v"))


def test_a_numerical_column_is_a_histogram_on_shared_edges() -> None:
    rng = np.random.default_rng(0)
    ref, cur = pd.Series(rng.normal(0, 1, 5000)), pd.Series(rng.normal(1, 1, 4000))
    dist = _dist(ref, cur)
    assert dist.shape == "histogram" and dist.edges is not None
    assert len(dist.edges) == BINS + 1 and len(dist.reference) == len(dist.current) == BINS
    assert sum(dist.reference) == pytest.approx(1, abs=1e-4)
    assert sum(dist.current) == pytest.approx(1, abs=1e-4)
    assert dist.edges[0] == pytest.approx(min(ref.min(), cur.min()), rel=1e-5)
    assert dist.note is None


def test_far_values_go_to_the_edge_bins_and_are_noted() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(0, 1, 5000)
    values[:3] = 1e6
    dist = _dist(pd.Series(values), pd.Series(rng.normal(0.5, 1, 5000)))
    assert dist.edges is not None and dist.edges[-1] < 10
    assert dist.note is not None and dist.note.startswith("100 values beyond")
    assert sum(dist.reference) == pytest.approx(1, abs=1e-4)


def test_categories_keep_the_most_frequent_and_one_other_bar() -> None:
    ref = pd.Series([f"v{i % 30}" for i in range(3000)] + ["v0"] * 500)
    cur = pd.Series([f"v{i % 25}" for i in range(2000)] + [None] * 10)
    dist = _dist(ref, cur)
    assert dist.shape == "categories" and dist.labels is not None
    assert dist.labels[0] == "v0" and len(dist.labels) == TOP_VALUES + 1
    assert dist.labels[-1] == "(10 other values)"
    assert sum(dist.current) == pytest.approx(1, abs=1e-4)


def test_few_distinct_numbers_are_bars_of_their_values() -> None:
    ref = pd.Series(np.arange(1500) % 4, dtype=float)
    cur = pd.Series(np.arange(1500) % 3, dtype=float)
    dist = _dist(ref, cur)
    assert dist.shape == "categories" and dist.labels == ["0.0", "1.0", "2.0", "3.0"]
    assert dist.current[-1] == 0
