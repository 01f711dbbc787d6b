"""Reference profiles: what a stored profile holds, that later checks against the same dataset
version read it instead of the data and get the very same report, and that a changed
dataset, a new profile format or a corrupted, missing or inconsistent profile never gives a
different verdict than computing from the data."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

import jupyter_mlops as mlops
from jupyter_mlops.monitoring import api, check_drift, drift, profile_store
from jupyter_mlops.monitoring.models import DriftCheck
from jupyter_mlops.monitoring.orm import ReferenceProfileRow
from jupyter_mlops.monitoring.profile_store import BadProfile, decode, encode, storable
from jupyter_mlops.monitoring.profiles import profile_of
from jupyter_mlops.monitoring.references import DatasetReference
from jupyter_mlops.workspace import Workspace

from . import test_drift_agreement as matrix
from .frames import frames

RNG = np.random.default_rng(3)


def _floats_with_gaps() -> pd.Series:
    values = RNG.normal(0, 1, 300)
    values[:5], values[5:8], values[8:10] = np.nan, np.inf, -np.inf
    return pd.Series(values)


STORED = {
    "floats with nan and inf": _floats_with_gaps,
    "float32": lambda: pd.Series(RNG.normal(0, 1, 50).astype(np.float32)),
    "int64": lambda: pd.Series(RNG.integers(-5, 5, 200)),
    "uint8": lambda: pd.Series(RNG.integers(0, 255, 200).astype(np.uint8)),
    "bool": lambda: pd.Series(RNG.random(100) < 0.3),
    "strings with None": lambda: pd.Series(["b", None, "a", "b", "c", None, "b"], dtype=object),
    "no rows": lambda: pd.Series([], dtype=np.float64),
}


@pytest.mark.parametrize("make", STORED.values(), ids=list(STORED))
def test_a_profile_round_trips_through_its_bytes(make: Callable[[], pd.Series]) -> None:
    series = make()
    profile = profile_of(series)
    assert storable(profile)
    data = encode(profile)
    assert data == encode(profile_of(series.copy()))  # the same data, the same object
    back = decode(data, rows=len(series))
    assert (back.usable, back.dtype, back.value_kind) == (
        profile.usable,
        profile.dtype,
        profile.value_kind,
    )
    if profile.sorted_values is not None:
        assert back.sorted_values is not None
        assert back.sorted_values.dtype == profile.sorted_values.dtype
        assert np.array_equal(back.sorted_values, profile.sorted_values)
    assert back.categories.values.tolist() == profile.categories.values.tolist()
    assert back.categories.counts.tolist() == profile.categories.counts.tolist()


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(pd.Categorical(["a", "b", "a"])),
        pd.Series(["a", 1, "b"], dtype=object),
        pd.Series([1.5, None, 2.5], dtype=object),
        pd.Series(["a", "b"], dtype="string"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series([[1], [2]]),
        pd.Series(pd.date_range("2024", periods=3)),
    ],
    ids=["category", "mixed", "object numbers", "string dtype", "Int64", "lists", "dates"],
)
def test_other_columns_are_not_stored(series: pd.Series) -> None:
    assert not storable(profile_of(series))


def test_too_many_distinct_strings_are_not_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profile_store, "MAX_STORED_CATEGORIES", 3)
    assert storable(profile_of(pd.Series(list("abcabc"))))
    assert not storable(profile_of(pd.Series(list("abcd"))))


def test_bytes_that_are_not_a_usable_profile_are_refused() -> None:
    data = encode(profile_of(_floats_with_gaps()))
    for bad, reason in [
        (b"something else", "not a reference profile"),
        (data[:-8], "bytes of float64 for 290 values"),
        (data + b"\0" * 8, "bytes of float64 for 290 values"),
    ]:
        with pytest.raises(BadProfile, match=reason):
            decode(bad)
    with pytest.raises(BadProfile, match="300 rows, where the version has 301"):
        decode(data, rows=301)
    other_format = data.replace(b'"format":1', b'"format":9')
    with pytest.raises(BadProfile, match="format 9, not 1"):
        decode(other_format)
    strings = encode(profile_of(pd.Series(["a", "b", "b"])))
    with pytest.raises(BadProfile, match="counts add up to 4, not 3 values"):
        decode(strings.replace(b'"counts":[1,2]', b'"counts":[2,2]'))


# -- through the catalog -----------------------------------------------------------------
@pytest.fixture(autouse=True)
def _workspace(mlops_workspace: Workspace) -> Workspace:
    return mlops_workspace


def _same(a: DriftCheck, b: DriftCheck) -> None:
    assert a.columns == b.columns and a.dataset == b.dataset
    assert a.distributions == b.distributions
    assert a.reference_rows == b.reference_rows


def _rows(object_id: str | None = None) -> list[ReferenceProfileRow]:
    with api.store().session() as session:
        query = select(ReferenceProfileRow)
        if object_id is not None:
            query = query.where(ReferenceProfileRow.source_object_id == object_id)
        return list(session.scalars(query).all())


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Spy on reads of a version's data (``DatasetReference._read``): each call's columns."""
    calls: list[object] = []
    original = DatasetReference._read

    def spy(self: DatasetReference, columns: list[object] | None) -> pd.DataFrame:
        calls.append(columns)
        return original(self, columns)

    monkeypatch.setattr(DatasetReference, "_read", spy)
    return calls


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    reference, current = frames(rows=1500, numeric=3, categorical=2, shifted=1)
    reference["n"] = RNG.integers(0, 4, len(reference))  # int, few values: categorical
    reference.loc[:20, "x2"] = np.nan
    current["n"] = RNG.integers(0, 5, len(current))
    return reference, current


def test_a_later_check_reads_the_stored_profiles_not_the_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference, current = _frames()
    version = mlops.datasets.save("ref", reference).version
    reads = _reads(monkeypatch)
    first = mlops.monitor.drift("ref@v1", current)
    assert len(reads) == 1  # every column at once, and only once
    rows = _rows(version.manifest.object_id)
    assert sorted(r.column_name for r in rows) == sorted(reference.columns)
    assert {r.format for r in rows} == {profile_store.FORMAT}
    later = mlops.monitor.drift("ref@v1", current)
    assert len(reads) == 1  # nothing read from the data
    _same(first, later)
    _same(first, mlops.monitor.drift(reference, current))
    assert later.reference_dataset == "ref@v1" and later.reference == "dataset ref@v1"


def test_model_quality_reads_only_its_columns_of_a_profiled_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference, current = _frames()
    reference["y"], current["y"] = reference["n"] % 2, current["n"] % 2
    reference["pred"], current["pred"] = reference["y"], 1 - current["y"]
    mlops.datasets.save("ref", reference)
    mlops.monitor.drift("ref@v1", current)
    reads = _reads(monkeypatch)
    check = mlops.monitor.drift("ref@v1", current, target="y", prediction="pred")
    assert reads == [["y", "pred"]]
    assert check.quality is not None and check.quality.metric("accuracy").reference == 1.0


def test_a_changed_reference_never_reuses_an_old_profile() -> None:
    reference, current = _frames()
    v1 = mlops.datasets.save("ref", reference).version
    mlops.monitor.drift("ref@v1", current)
    changed = reference.copy()
    changed["x1"] = changed["x1"] + 2.0  # same columns, same rows, other values
    changed.loc[0, "c0"] = "purple"
    v2 = mlops.datasets.save("ref", changed).version
    assert v2.manifest.object_id != v1.manifest.object_id
    for ref in ("ref", "ref@v2", "ref"):  # the first check stores v2's profiles, then reads them
        check = mlops.monitor.drift(ref, current)
        assert check.reference_dataset == "ref@v2"
        _same(check, mlops.monitor.drift(changed, current))
    assert len(_rows(v2.manifest.object_id)) == len(changed.columns)
    before = mlops.monitor.drift("ref@v1", current)
    assert before.column("x1").score != mlops.monitor.drift("ref", current).column("x1").score
    _same(before, mlops.monitor.drift(reference, current))


def _profile_file(column: str) -> Path:
    (row,) = [r for r in _rows() if r.column_name == column]
    return mlops.datasets.store().objects.path(row.profile_object_id)


def test_a_corrupted_or_missing_profile_falls_back_to_computing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    reference, current = _frames()
    mlops.datasets.save("ref", reference)
    expected = mlops.monitor.drift("ref@v1", current)
    corrupted, missing = _profile_file("x0"), _profile_file("c0")
    os.chmod(corrupted, 0o644)
    data = bytearray(corrupted.read_bytes())
    data[-8:] = np.float64(-1e9).tobytes()  # the largest value now sorts first: a wrong W1
    corrupted.write_bytes(bytes(data))
    missing.unlink()
    reads = _reads(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="jupyter_mlops.monitoring.profile_store"):
        check = mlops.monitor.drift("ref@v1", current)
    _same(check, expected)
    assert sorted(reads) == [["c0"], ["x0"]]  # only the columns without a usable profile
    assert "is corrupted" in caplog.text and "is missing from the store" in caplog.text
    # computed again, the missing one is stored again and read the next time
    assert missing.exists()
    _same(mlops.monitor.drift("ref@v1", current), expected)
    assert sorted(reads[2:]) == [["x0"]]


def test_a_profile_disagreeing_with_its_version_is_left_aside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference, current = _frames()
    version = mlops.datasets.save("ref", reference).version
    expected = mlops.monitor.drift("ref@v1", current)
    shorter = api.ReferenceProfiles(api.store(), mlops.datasets.store().objects)
    digest = shorter.put(profile_of(reference["x0"].iloc[:-1]))  # a row short
    shorter.remember(version.manifest.object_id, {"x0": digest})
    reads = _reads(monkeypatch)
    _same(mlops.monitor.drift("ref@v1", current), expected)
    assert reads == [["x0"]]


def test_a_new_profile_format_finds_no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    reference, current = _frames()
    mlops.datasets.save("ref", reference)
    expected = mlops.monitor.drift("ref@v1", current)
    monkeypatch.setattr(profile_store, "FORMAT", profile_store.FORMAT + 1)
    reads = _reads(monkeypatch)
    _same(mlops.monitor.drift("ref@v1", current), expected)
    assert len(reads) == 1 and len(_rows()) == 2 * len(reference.columns)


def test_a_failed_profile_write_does_not_fail_the_check(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    reference, current = _frames()
    mlops.datasets.save("ref", reference)

    def full(self: object, profile: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(profile_store.ReferenceProfiles, "put", full)
    with caplog.at_level(logging.WARNING, logger="jupyter_mlops.monitoring.references"):
        check = mlops.monitor.drift("ref@v1", current)
    _same(check, mlops.monitor.drift(reference, current))
    assert "not stored" in caplog.text and _rows() == []


@pytest.mark.parametrize(
    "case",
    [
        matrix.diabetes_small_missing,
        matrix.breast_cancer_small_few_values,
        matrix.breast_cancer_large_missing,
        matrix.size_boundary,
        matrix.wine_small_categories,
        matrix.columns_evidently_skips,
    ],
    ids=lambda case: case.__name__,
)
def test_matrix_cases_give_the_same_report_from_stored_profiles(
    case: Callable[[], tuple[pd.DataFrame, pd.DataFrame]],
) -> None:
    """The agreement matrix's frames (checked against Evidently there), their reference saved
    as a dataset: the first check (profiles computed and stored) and a later one (profiles
    read) report exactly what a check of the loaded frame does."""
    reference, current = case()
    mlops.datasets.save("case", reference.rename(columns=str))
    loaded = mlops.datasets.load("case@v1")
    expected = check_drift(loaded, current.rename(columns=str))
    for _ in range(2):
        check = mlops.monitor.drift("case@v1", current.rename(columns=str))
        assert check.columns == expected.columns and check.dataset == expected.dataset


def test_columns_checked_in_threads_give_the_report_of_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference, current = matrix.breast_cancer_large_missing()
    threaded = mlops.monitor.drift(reference, current)
    monkeypatch.setattr(drift, "MAX_THREADS", 1)
    _same(threaded, mlops.monitor.drift(reference, current))
