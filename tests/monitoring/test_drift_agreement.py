"""Our drift engine against real Evidently (``Report([DataDriftPreset()])``) on the same frames.

Datasets shipped with scikit-learn (no downloads), with injected shifts, numerical and
categorical columns (strings, pandas categories, bools, small ints), small (<= 1000) and large
(> 1000) reference sizes, the 1000 boundary itself, and missing and infinite values. For every
column Evidently tests: the same test, the same score to 1e-6 and the same verdict; then the
same number and share of drifted columns and the same dataset verdict.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets

from jupyter_mlops.monitoring import DriftReport, check_drift

from .evidently_run import EvidentlyDrift, evidently_drift

Frames = tuple[pd.DataFrame, pd.DataFrame]


def _load(name: str) -> pd.DataFrame:
    return getattr(datasets, f"load_{name}")(as_frame=True).frame.copy()


def _split(frame: pd.DataFrame, reference_rows: int, seed: int) -> Frames:
    order = np.random.default_rng(seed).permutation(len(frame))
    ref = frame.iloc[order[:reference_rows]].reset_index(drop=True)
    cur = frame.iloc[order[reference_rows:]].reset_index(drop=True)
    return ref, cur


def _resample(
    frame: pd.DataFrame, rows: int, seed: int, weights: np.ndarray | None = None
) -> pd.DataFrame:
    """Rows drawn with replacement; float columns jittered so that values stay continuous."""
    rng = np.random.default_rng(seed)
    p = None if weights is None else weights / weights.sum()
    out = frame.iloc[rng.choice(len(frame), size=rows, p=p)].reset_index(drop=True)
    for name in out.columns:
        if out[name].dtype == np.float64 and out[name].nunique() > 20:
            out[name] += rng.normal(0, 0.05 * out[name].std(), rows)
    return out


def _blank(frame: pd.DataFrame, column: str, count: int, seed: int) -> None:
    rows = np.random.default_rng(seed).choice(len(frame), size=count, replace=False)
    missing = None if frame[column].dtype == object else np.nan
    frame.loc[rows, column] = missing


def iris_small_same() -> Frames:
    frame = _load("iris")
    frame["species"] = np.array(["setosa", "versicolor", "virginica"])[frame["target"]]
    return _split(frame, 75, seed=1)


def iris_small_shift() -> Frames:
    ref, cur = iris_small_same()
    cur["petal length (cm)"] += 1.2
    cur["petal width (cm)"] += 0.5
    cur["sepal length (cm)"] *= 1.15
    virginica = cur[cur["species"] == "virginica"]
    cur = pd.concat([cur, virginica, virginica], ignore_index=True)
    return ref, cur


def wine_small_categories() -> Frames:
    frame = _load("wine")
    frame["class"] = pd.Categorical(np.array(["barolo", "grignolino", "barbera"])[frame["target"]])
    frame["alcohol band"] = pd.qcut(frame["alcohol"], 4, labels=["low", "mid", "high", "top"])
    frame["alcohol band"] = frame["alcohol band"].astype(str)
    ref, cur = _split(frame, 100, seed=2)
    for name in ["magnesium", "proline", "color_intensity", "hue", "ash"]:
        cur[name] *= 1.25
    return ref, cur


def diabetes_small_missing() -> Frames:
    frame = _load("diabetes")
    frame["older"] = frame["age"] > 0  # bool: categorical, z-test
    frame["bmi band"] = pd.qcut(frame["bmi"], 4, labels=False).astype(np.int64)  # 4 ints
    frame["sex label"] = np.where(frame["sex"] > 0, "M", "F").astype(object)
    ref, cur = _split(frame, 240, seed=3)
    for side, seed in ((ref, 10), (cur, 11)):
        _blank(side, "bmi", 30, seed)
        _blank(side, "bp", 25, seed + 1)
        _blank(side, "sex label", 20, seed + 2)
    _blank(cur, "s1", 60, 12)
    cur["bmi"] += 0.03
    cur["s5"] *= 1.5
    return ref, cur


def breast_cancer_small_few_values() -> Frames:
    frame = _load("breast_cancer")[
        ["mean radius", "mean texture", "mean area", "mean smoothness", "worst radius", "target"]
    ]
    frame["radius level"] = np.round(frame["mean radius"] / 6.0) * 6.0  # 4 distinct floats
    frame["texture level"] = (frame["mean texture"] > 19).astype(float)  # 2 distinct floats
    frame["diagnosis"] = np.where(frame["target"] == 1, "benign", "malignant").astype(object)
    ref, cur = _split(frame, 300, seed=4)
    cur = cur[(cur["target"] == 1) | (np.arange(len(cur)) % 4 == 0)].reset_index(drop=True)
    cur["mean area"] *= 1.3
    return ref, cur


def digits_large() -> Frames:
    frame = _load("digits")
    pixels = ["pixel_0_0", "pixel_0_1", "pixel_0_2", "pixel_1_3", "pixel_2_2", "pixel_3_4"]
    pixels += ["pixel_4_5", "pixel_5_2", "pixel_6_6", "pixel_7_0", "pixel_7_7", "pixel_3_0"]
    frame = frame[[*pixels, "target"]]
    weights = np.where(frame["target"] < 5, 3.0, 1.0)
    return frame, _resample(frame, 1500, seed=5, weights=weights)


def breast_cancer_large_missing() -> Frames:
    names = ["mean radius", "mean texture", "mean perimeter", "mean area", "worst smoothness"]
    base = _load("breast_cancer")[[*names, "mean concavity", "target"]]
    base["radius level"] = np.round(base["mean radius"] / 6.0) * 6.0
    base["diagnosis"] = np.where(base["target"] == 1, "benign", "malignant").astype(object)
    base["large"] = base["mean area"] > 700
    ref = _resample(base, 2500, seed=6)
    cur = _resample(base, 2000, seed=7, weights=np.where(base["target"] == 1, 1.0, 1.15))
    for side, seed in ((ref, 20), (cur, 21)):
        _blank(side, "mean texture", 200, seed)
        _blank(side, "diagnosis", 150, seed + 1)
    cur["worst smoothness"] *= 1.1
    return ref, cur


def size_boundary() -> Frames:
    """1000 usable reference values is still small; 1001 is large."""
    wine = _load("wine")
    wine["class"] = np.array(["barolo", "grignolino", "barbera"])[wine["target"]].astype(object)
    wine["high hue"] = (wine["hue"] > 1.0).astype(float)
    ref = _resample(wine, 1100, seed=8)
    cur = _resample(wine, 900, seed=9)
    cur["alcohol"] += 0.2
    picks = {"alcohol": ("a 1000", 100), "malic_acid": ("b 1001", 99)}
    picks |= {"class": ("c 1000", 100), "high hue": ("e 1001", 99)}
    for source, (name, blanks) in picks.items():
        ref[name], cur[name] = ref[source], cur[source]
        _blank(ref, name, blanks, seed=len(name) + blanks)
    ref["f 1000"], cur["f 1000"] = ref["high hue"], cur["high hue"]
    _blank(ref, "f 1000", 100, seed=30)
    ref["d 1100"], cur["d 1100"] = ref["class"], cur["class"]
    keep = ["a 1000", "b 1001", "c 1000", "d 1100", "e 1001", "f 1000"]
    return ref[keep], cur[keep]


def wine_large_dataset_drift() -> Frames:
    wine = _load("wine")
    ref = _resample(wine, 3000, seed=10)
    cur = _resample(wine, 2500, seed=11)
    for name in wine.columns[:-1]:
        cur[name] += 0.5 * wine[name].std()
    return ref, cur


def wine_infinite_values(rows: tuple[int, int] = (2000, 1800)) -> Frames:
    """+inf, -inf and NaN on both sides of two numerical columns: all left out of the test."""
    wine = _load("wine")
    ref, cur = _resample(wine, rows[0], seed=12), _resample(wine, rows[1], seed=13)
    cur["alcohol"] += 0.3
    rng = np.random.default_rng(14)
    for side in (ref, cur):
        for name in ("alcohol", "malic_acid"):
            picked = rng.choice(len(side), 40, replace=False)
            side.loc[picked[:20], name] = np.inf
            side.loc[picked[20:30], name] = -np.inf
            side.loc[picked[30:], name] = np.nan
    return ref, cur


def wine_small_infinite_values() -> Frames:
    return wine_infinite_values((600, 500))


def columns_evidently_skips() -> Frames:
    """Dates, a uint column, a nullable Int64 column and a reference-only column."""
    ref, cur = iris_small_same()
    for side, start in ((ref, "2024-01-01"), (cur, "2024-06-01")):
        side["when"] = pd.date_range(start, periods=len(side), freq="h")
        side["count"] = np.arange(len(side), dtype=np.uint16)
        side["score"] = pd.array(np.arange(len(side)) % 50, dtype="Int64")
    ref["retired"] = 1.0
    return ref, cur


# case, the tests it must exercise, the dataset verdict its shift is built to give
CASES: list[tuple[Callable[[], Frames], set[str], bool]] = [
    (iris_small_same, {"ks", "chisquare"}, False),
    (iris_small_shift, {"ks", "chisquare"}, True),
    (wine_small_categories, {"ks", "chisquare"}, False),
    (diabetes_small_missing, {"ks", "z", "chisquare"}, False),
    (breast_cancer_small_few_values, {"ks", "chisquare", "z"}, True),
    (digits_large, {"wasserstein", "jensenshannon"}, False),
    (breast_cancer_large_missing, {"wasserstein", "jensenshannon"}, False),
    (size_boundary, {"ks", "wasserstein", "chisquare", "jensenshannon", "z"}, False),
    (wine_large_dataset_drift, {"wasserstein", "jensenshannon"}, True),
    (columns_evidently_skips, {"ks", "chisquare"}, False),
    (wine_infinite_values, {"wasserstein", "jensenshannon"}, False),
    (wine_small_infinite_values, {"ks", "chisquare"}, False),
]


def assert_agrees(ours: DriftReport, theirs: EvidentlyDrift) -> None:
    tested = {c.column: c for c in ours.columns if c.tested}
    assert set(tested) == set(theirs.columns)
    for name, expected in theirs.columns.items():
        got = tested[name]
        assert got.test_label == expected.method, name
        assert got.threshold == expected.threshold, name
        assert got.score == pytest.approx(expected.score, rel=0, abs=1e-6), name
        assert got.drifted == expected.drifted, name
    assert ours.dataset.number_of_drifted_columns == theirs.drifted_count
    assert ours.dataset.share_of_drifted_columns == pytest.approx(theirs.drifted_share, abs=1e-12)
    assert ours.dataset.drifted == theirs.dataset_drifted


@pytest.mark.parametrize(
    ("case", "tests", "dataset_drift"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_agrees_with_evidently(
    case: Callable[[], Frames], tests: set[str], dataset_drift: bool
) -> None:
    reference, current = case()
    ours = check_drift(reference, current)
    assert_agrees(ours, evidently_drift(reference, current))
    assert {c.test for c in ours.columns if c.tested} == tests
    assert ours.dataset.drifted is dataset_drift


def test_size_boundary_picks_by_usable_reference_values() -> None:
    report = check_drift(*size_boundary())
    picked = {c.column: c.test for c in report.columns}
    assert picked == {
        "a 1000": "ks",
        "b 1001": "wasserstein",
        "c 1000": "chisquare",
        "d 1100": "jensenshannon",
        "e 1001": "jensenshannon",
        "f 1000": "z",
    }
    assert "100 missing reference values left out" in report.column("a 1000").message


def test_columns_evidently_skips_are_reported() -> None:
    report = check_drift(*columns_evidently_skips())
    assert report.dataset.columns_not_tested == ["when", "count", "score", "retired"]
    assert "does not check dates" in report.column("when").message
    assert "dtype uint16" in report.column("count").message
    assert "column_types={'score': 'numerical'}" in report.column("score").message
    assert "missing from the current data" in report.column("retired").message
    assert "not tested (see their messages): 'when', 'count'" in report.dataset.message
