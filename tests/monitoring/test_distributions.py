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


def _numpy_histogram(ref: np.ndarray, cur: np.ndarray) -> tuple[list[float], list[int], str | None]:
    """The histogram as numpy draws it from the concatenated values (edges, counts, beyond)."""
    both = np.concatenate([ref, cur])
    low, high = float(both.min()), float(both.max())
    inner_low, inner_high = (float(q) for q in np.quantile(both, [0.005, 0.995]))
    beyond = None
    if inner_high > inner_low and (high - low) > 10 * (inner_high - inner_low):
        beyond = f"{int(((both < inner_low) | (both > inner_high)).sum())} values beyond"
        low, high = inner_low, inner_high
    edges = np.linspace(low, high, BINS + 1)
    counts = [np.histogram(np.clip(side, low, high), bins=edges)[0] for side in (ref, cur)]
    return edges.tolist(), [int(c) for side in counts for c in side], beyond


@pytest.mark.parametrize("far", [False, True], ids=["plain", "far values"])
def test_histograms_read_off_sorted_sides_match_numpy_on_the_values(far: bool) -> None:
    rng = np.random.default_rng(5)
    for _ in range(5):
        ref, cur = rng.normal(0, 1, 3001).round(1), rng.normal(0.3, 1.5, 2000)
        if far:
            ref[:4] = rng.choice([-1e4, 1e5], 4)
        dist = _dist(pd.Series(ref), pd.Series(cur))
        edges, counts, beyond = _numpy_histogram(ref, cur)
        assert dist.edges == [float(f"{e:.6g}") for e in edges]
        shares = [c / ref.size for c in counts[:BINS]] + [c / cur.size for c in counts[BINS:]]
        assert dist.reference + dist.current == [float(f"{s:.6g}") for s in shares]
        assert (dist.note or "").startswith(beyond or "")
        assert (dist.note is None) is (beyond is None)
