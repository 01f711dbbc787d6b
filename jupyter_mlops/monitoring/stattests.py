"""The drift scores, as pure vectorized functions over values or per-value counts.

Each computes the same quantity as the Evidently test of the same name (see ``selection.py``):
- ``ks_p_value``: two-sample Kolmogorov-Smirnov p-value (scipy's ``ks_2samp``, default method);
- ``chi_square_p_value``: Pearson's chi-square of the current counts against the reference
  counts scaled to the current size, ``k - 1`` degrees of freedom; a value never seen in the
  reference gives an infinite statistic (p-value 0);
- ``z_p_value``: two-proportion z-test (pooled) on the share of one of the two values,
  two-sided; 1.0 when both sides hold the same single value;
- ``wasserstein_normed``: the first Wasserstein distance between the empirical distributions,
  divided by the reference's population standard deviation (at least 0.001). It is computed
  on the quantile functions (the integral over u in [0, 1] of |Q_ref(u) - Q_cur(u)|), which
  equals scipy's integral of |F_ref - F_cur| over the values but needs no merge of the two
  samples: only their sorted values and a pairing of sizes (``Coupling``);
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


class Coupling:
    """Which sorted values the quantile functions of samples of sizes n >= m pair up.

    On u in [i/n, (i+1)/n) the larger sample's quantile function is its (i)th value; the
    smaller one's changes at most once there (1/n <= 1/m), at a multiple of 1/m. ``left``
    indexes its value before that change, ``split`` says whether the change falls inside
    (the value after it is then the next one) and ``left_weight`` is the length of the part
    before it, in units of 1/(n m) (the interval is m long). With n == m the ith values pair
    up (``identity``). It depends on the sizes only, so one serves every column of a check
    with the same counts of usable values.
    """

    def __init__(self, n: int, m: int) -> None:
        if not 0 < m <= n:
            raise ValueError(f"a coupling needs 0 < m <= n, not n={n}, m={m}")
        self.n, self.m = n, m
        self.identity = n == m
        if self.identity:
            return
        start = np.arange(n, dtype=np.intp) * m  # where each interval starts, in 1/(n m)
        left = (start.astype(np.float64) / n).astype(np.intp)  # floor, up to rounding
        while True:  # make n * left <= start < n * (left + 1) exact in integers
            rest = start - left * n
            low, high = rest < 0, rest >= n
            if not (low.any() or high.any()):
                break
            left -= low
            left += high
        weight = np.minimum(n - rest, m)  # the part of [start, start + m) before the change
        self.left = left
        self.split = weight < m
        self.left_weight = weight.astype(np.float64)


def wasserstein_distance(larger: Floats, smaller: Floats, coupling: Coupling) -> float:
    """The first Wasserstein distance of two ascending samples (``larger`` not the smaller)."""
    assert larger.size == coupling.n and smaller.size == coupling.m
    if coupling.identity:  # one pair per interval, all of the same weight
        gaps = np.subtract(larger, smaller)
        np.abs(gaps, out=gaps)
        return float(gaps.sum()) / coupling.n
    gaps = np.subtract(larger, smaller[coupling.left])
    np.abs(gaps, out=gaps)
    total = float(np.dot(gaps, coupling.left_weight))
    np.subtract(larger, smaller[coupling.left + coupling.split], out=gaps)
    np.abs(gaps, out=gaps)
    total += float(np.dot(gaps, coupling.m - coupling.left_weight))
    return total / coupling.n / coupling.m


def wasserstein_normed(
    reference: Floats, current: Floats, reference_std: float, coupling: Coupling | None = None
) -> float:
    """Both samples ascending; ``reference_std`` the reference's population std."""
    larger, smaller = reference, current
    if larger.size < smaller.size:
        larger, smaller = smaller, larger
    if coupling is None:
        coupling = Coupling(larger.size, smaller.size)
    return wasserstein_distance(larger, smaller, coupling) / max(reference_std, MIN_NORM)


def jensen_shannon(reference: Counts, current: Counts) -> float:
    p = reference / reference.sum()
    q = current / current.sum()
    p, q = p / p.sum(), q / q.sum()
    middle = (p + q) / 2.0
    divergence = float(np.sum(special.rel_entr(p, middle)) + np.sum(special.rel_entr(q, middle)))
    return float(np.sqrt(divergence / 2.0))
