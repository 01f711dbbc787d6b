"""The drift scores, as pure vectorized functions over values or per-value counts.

Each computes the same quantity as the Evidently test of the same name (see ``selection.py``):
- ``ks_p_value``: two-sample Kolmogorov-Smirnov p-value (scipy's ``ks_2samp``, default method);
- ``chi_square_p_value``: Pearson's chi-square of the current counts against the reference
  counts scaled to the current size, ``k - 1`` degrees of freedom; a value never seen in the
  reference gives an infinite statistic (p-value 0);
- ``z_p_value``: two-proportion z-test (pooled) on the share of one of the two values,
  two-sided; 1.0 when both sides hold the same single value;
- ``wasserstein_normed``: the first Wasserstein distance between the empirical distributions,
  divided by the reference's population standard deviation (at least 0.001);
- ``jensen_shannon``: Jensen-Shannon distance (natural log) between the two value shares.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

Floats = NDArray[np.float64]
Counts = NDArray[np.int64]
Flags = NDArray[np.bool_]

MIN_NORM = 0.001  # the Wasserstein distance is divided by max(std of reference, MIN_NORM)


def ks_p_value(reference: Floats, current: Floats) -> float:
    return float(stats.ks_2samp(reference, current).pvalue)


def chi_square_p_value(reference: Counts, current: Counts) -> float:
    scale = current.sum() / reference.sum()
    expected = reference * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.sum((current - expected) ** 2 / expected))
    return float(stats.chi2.sf(statistic, len(reference) - 1))


def z_p_value(reference: Counts, current: Counts) -> float:
    """Counts over at most two values; the first value is the one whose share is compared."""
    if len(reference) == 1:
        return 1.0
    n_ref, n_cur = int(reference.sum()), int(current.sum())
    share_ref = float(n_ref - reference[0]) / n_ref
    share_cur = float(n_cur - current[0]) / n_cur
    pooled = (share_ref * n_ref + share_cur * n_cur) / (n_ref + n_cur)
    z = (share_ref - share_cur) / np.sqrt(pooled * (1 - pooled) * (1.0 / n_ref + 1.0 / n_cur))
    return float(2 * (1 - stats.norm.cdf(abs(z))))


def wasserstein_normed(reference: Floats, merged: Floats, from_current: Flags) -> float:
    """``reference`` in any order (for its standard deviation); ``merged``: both sides
    ascending, ``from_current`` flagging the current side's values in it.

    The distance is the integral of |F_ref - F_cur| over the merged values: between two
    neighbours the CDFs hold the counts of values up to the left one (ties add zero width).
    """
    current_seen = np.cumsum(from_current)[:-1]
    reference_seen = np.arange(1, merged.size) - current_seen
    n_cur = int(from_current.sum())
    n_ref = merged.size - n_cur
    gaps = np.abs(reference_seen / n_ref - current_seen / n_cur)
    distance = float(np.dot(gaps, np.diff(merged)))
    return distance / max(float(np.std(reference)), MIN_NORM)


def jensen_shannon(reference: Counts, current: Counts) -> float:
    p = reference / reference.sum()
    q = current / current.sum()
    p, q = p / p.sum(), q / q.sum()
    middle = (p + q) / 2.0
    divergence = float(np.sum(special.rel_entr(p, middle)) + np.sum(special.rel_entr(q, middle)))
    return float(np.sqrt(divergence / 2.0))
