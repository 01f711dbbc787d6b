"""The pure score functions against scipy's reference implementations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.spatial import distance

from jupyter_mlops.monitoring import stattests
from jupyter_mlops.monitoring.selection import (
    CHI_SQUARE,
    JENSEN_SHANNON,
    KS,
    WASSERSTEIN,
    StatTest,
    Z,
    default_test,
)

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("rounding", [None, 1], ids=["continuous", "many-ties"])
@pytest.mark.parametrize("sizes", [(3000, 2000), (2000, 3000), (2500, 2500)])
def test_wasserstein_matches_scipy(rounding: int | None, sizes: tuple[int, int]) -> None:
    ref, cur = RNG.normal(0, 2, sizes[0]), RNG.normal(0.4, 2, sizes[1])
    if rounding is not None:
        ref, cur = ref.round(rounding), cur.round(rounding)
    ours = stattests.wasserstein_normed(np.sort(ref), np.sort(cur), float(np.std(ref)))
    expected = stats.wasserstein_distance(ref, cur) / np.std(ref)
    assert ours == pytest.approx(expected, rel=1e-12)


def test_wasserstein_of_any_small_sizes_matches_scipy() -> None:
    """Every pairing of sizes up to 12, ties included: the coupling's integer arithmetic."""
    for n in range(1, 13):
        for m in range(1, 13):
            ref, cur = RNG.integers(0, 5, n).astype(float), RNG.normal(2, 2, m).round(0)
            ours = stattests.wasserstein_normed(np.sort(ref), np.sort(cur), 1.0)
            expected = stats.wasserstein_distance(ref, cur)
            assert ours == pytest.approx(expected, rel=1e-12, abs=1e-15), (n, m)


def test_a_coupling_pairs_each_interval_with_at_most_two_values() -> None:
    coupling = stattests.Coupling(5, 3)  # breakpoints at 1/5, 2/5 ... and 1/3, 2/3
    assert coupling.left.tolist() == [0, 0, 1, 1, 2]
    assert (coupling.left + coupling.split).tolist() == [0, 1, 1, 2, 2]
    assert coupling.left_weight.tolist() == [3, 2, 3, 1, 3]  # in units of 1/15
    assert stattests.Coupling(4, 4).identity and not coupling.identity
    with pytest.raises(ValueError, match="0 < m <= n"):
        stattests.Coupling(3, 5)


def test_wasserstein_of_a_constant_reference_is_normed_by_a_floor() -> None:
    ref, cur = np.full(5, 1.0), np.array([1.0, 2.0])
    assert stattests.wasserstein_normed(ref, cur, 0.0) == pytest.approx(0.5 / 0.001)


def test_chi_square_matches_scipy_and_is_zero_for_an_unseen_value() -> None:
    ref, cur = np.array([50, 30, 20]), np.array([20, 25, 15])
    expected = stats.chisquare(cur, ref * cur.sum() / ref.sum()).pvalue
    assert stattests.chi_square_p_value(ref, cur) == pytest.approx(expected, rel=1e-12)
    assert stattests.chi_square_p_value(np.array([5, 5, 0]), np.array([5, 5, 1])) == 0.0


def test_z_test_is_symmetric_in_the_value_it_compares() -> None:
    ref, cur = np.array([70, 30]), np.array([40, 60])
    p = stattests.z_p_value(ref, cur)
    assert p == pytest.approx(stattests.z_p_value(ref[::-1], cur[::-1]), rel=1e-12)
    pooled = (30 + 60) / 200
    z = (0.3 - 0.6) / np.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
    assert p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    assert stattests.z_p_value(np.array([10]), np.array([4])) == 1.0


def test_jensen_shannon_matches_scipy() -> None:
    ref, cur = np.array([10, 0, 30, 60]), np.array([5, 5, 50, 40])
    expected = distance.jensenshannon(ref / ref.sum(), cur / cur.sum())
    assert stattests.jensen_shannon(ref, cur) == pytest.approx(expected, rel=1e-12)


def test_ks_is_scipys_two_sample_test() -> None:
    ref, cur = RNG.normal(size=300), RNG.normal(0.3, size=400)
    assert stattests.ks_p_value(ref, cur) == stats.ks_2samp(ref, cur).pvalue


@pytest.mark.parametrize(
    ("kind", "reference_values", "distinct", "test"),
    [
        ("numerical", 1000, 2, Z),
        ("numerical", 1000, 3, CHI_SQUARE),
        ("numerical", 1000, 5, CHI_SQUARE),
        ("numerical", 1000, 6, KS),
        ("numerical", 1001, 5, JENSEN_SHANNON),
        ("numerical", 1001, 6, WASSERSTEIN),
        ("categorical", 10, 1, Z),
        ("categorical", 1000, 2, Z),
        ("categorical", 1000, 3, CHI_SQUARE),
        ("categorical", 1001, 2, JENSEN_SHANNON),
        ("categorical", 1001, 50, JENSEN_SHANNON),
    ],
)
def test_default_test_choice(kind: str, reference_values: int, distinct: int, test: object) -> None:
    assert default_test(kind, reference_values, distinct) is test  # type: ignore[arg-type]


def test_default_test_refuses_other_kinds() -> None:
    with pytest.raises(ValueError, match="no default drift test for a text column"):
        default_test("text", 10, 10)


@pytest.mark.parametrize(
    ("test", "at_threshold", "beyond"),
    [
        (KS, True, 0.01),
        (CHI_SQUARE, False, 0.01),
        (Z, False, 0.01),
        (WASSERSTEIN, True, 0.2),
        (JENSEN_SHANNON, True, 0.2),
    ],
)
def test_drift_rules(test: StatTest, at_threshold: bool, beyond: float) -> None:
    assert test.is_drift(test.threshold) is at_threshold
    assert test.is_drift(beyond) is True
    assert test.is_drift(0.5 if test.statistic == "p_value" else 0.0) is False
