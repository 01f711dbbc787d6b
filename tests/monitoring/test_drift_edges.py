"""Columns that are empty, constant, all-null, of mismatched types or missing from one side.

Each gets a clear message and never a crash; a column that cannot be tested says so
(``drifted`` None) and stays out of the dataset share. Where Evidently itself gives a result
(constant columns, a new category, mixed values) we check we give the same one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.monitoring import DriftReport, check_drift

from .evidently_run import evidently_drift
from .test_drift_agreement import assert_agrees

RNG = np.random.default_rng(42)
N = 200


def _normal(size: int = N, shift: float = 0.0) -> np.ndarray:
    return RNG.normal(shift, 1.0, size)


def _not_tested(report: DriftReport, column: str, *phrases: str) -> None:
    entry = report.column(column)
    assert entry.drifted is None and entry.score is None and entry.test is None
    assert entry.message.startswith("not tested: ")
    for phrase in phrases:
        assert phrase in entry.message
    assert column in report.dataset.columns_not_tested


def test_current_without_rows() -> None:
    reference = pd.DataFrame({"a": _normal(), "b": RNG.choice(list("xyz"), N)})
    current = reference.iloc[:0]
    report = check_drift(reference, current)
    for column in ("a", "b"):
        _not_tested(report, column, "the current data has no rows")
    assert report.dataset.drifted is None
    assert report.dataset.share_of_drifted_columns is None
    assert report.dataset.message.startswith("no verdict: no column could be tested")


def test_reference_without_rows() -> None:
    current = pd.DataFrame({"a": _normal()})
    report = check_drift(current.iloc[:0], current)
    _not_tested(report, "a", "the reference data has no rows")


def test_frames_without_columns() -> None:
    report = check_drift(pd.DataFrame(), pd.DataFrame())
    assert report.columns == []
    assert report.dataset.drifted is None


def test_all_null_columns_are_reported_and_left_out_of_the_share() -> None:
    reference = pd.DataFrame(
        {"a": _normal(), "b": _normal(), "c": [None] * N, "d": RNG.choice(list("xy"), N)}
    )
    current = pd.DataFrame(
        {"a": np.full(N, np.nan), "b": _normal(shift=1.0), "c": ["x"] * N, "d": [None] * N}
    )
    report = check_drift(reference, current)
    _not_tested(report, "a", f"all {N} current values are missing")
    _not_tested(report, "c", f"all {N} reference values are missing")
    _not_tested(report, "d", f"all {N} current values are missing")
    assert report.column("b").drifted is True
    assert report.dataset.number_of_columns == 1
    assert report.dataset.drifted is True
    assert "not tested (see their messages): 'a', 'c', 'd'" in report.dataset.message


def test_only_infinite_values() -> None:
    reference = pd.DataFrame({"a": _normal()})
    current = pd.DataFrame({"a": np.r_[np.full(150, np.inf), np.full(50, np.nan)]})
    report = check_drift(reference, current)
    _not_tested(report, "a", "no finite current values (50 missing, 150 infinite of 200)")


def test_some_infinite_values_are_left_out_like_missing_ones() -> None:
    reference = pd.DataFrame({"a": np.r_[_normal(1990), np.full(10, np.nan)]})
    current = pd.DataFrame({"a": np.r_[_normal(1995), [np.inf, -np.inf, np.nan, 1.0, 2.0]]})
    entry = check_drift(reference, current).column("a")
    assert entry.test == "wasserstein"
    assert (entry.reference_values, entry.current_values) == (1990, 1997)
    assert "10 missing reference values left out" in entry.message
    assert "1 missing current value left out; 2 infinite current values left out" in entry.message


@pytest.mark.parametrize(
    ("reference", "current", "test", "drifted"),
    [
        (np.full(N, 3.0), np.full(N, 3.0), "z", False),  # same constant: p-value 1
        (np.full(N, 3.0), np.full(N, 4.0), "z", True),
        (np.full(N, 3.0), RNG.choice([3.0, 4.0, 5.0], N), "chisquare", True),
        (np.full(1500, 3.0), _normal(1500), "wasserstein", True),  # std 0: normed by 0.001
        (
            np.full(1500, "x", dtype=object),
            np.full(1200, "x", dtype=object),
            "jensenshannon",
            False,
        ),
        (np.full(1500, 7), np.full(1200, 7), "jensenshannon", False),
    ],
    ids=["same-small", "other-small", "three-values", "large-to-spread", "text-large", "int-large"],
)
def test_constant_columns_match_evidently(
    reference: np.ndarray, current: np.ndarray, test: str, drifted: bool
) -> None:
    ref, cur = pd.DataFrame({"a": reference}), pd.DataFrame({"a": current})
    report = check_drift(ref, cur)
    assert_agrees(report, evidently_drift(ref, cur))
    entry = report.column("a")
    assert (entry.test, entry.drifted) == (test, drifted)
    assert "the reference holds a single value" in entry.message


def test_numbers_on_one_side_strings_on_the_other() -> None:
    # Evidently types the column from the current data: as categories here, it scores every
    # value as new (p-value 0, "drift"); the other way round it fails. We report both.
    numbers, strings = (
        pd.DataFrame({"a": _normal()}),
        pd.DataFrame({"a": RNG.choice(list("xyz"), N)}),
    )
    report = check_drift(numbers, strings)
    _not_tested(report, "a", "reference holds numbers (float64), current holds strings (object)")
    report = check_drift(strings, numbers)
    _not_tested(report, "a", "a numerical column needs numbers on both sides")
    assert report.column("a").kind == "numerical"


def test_booleans_against_strings() -> None:
    reference = pd.DataFrame({"flag": RNG.choice(["True", "False"], N)})
    current = pd.DataFrame({"flag": RNG.choice([True, False], N)})
    _not_tested(check_drift(reference, current), "flag", "holds strings", "holds numbers (bool)")


def test_category_dtype_and_strings_are_the_same_type() -> None:
    values = RNG.choice(list("xyz"), N)
    reference = pd.DataFrame({"a": pd.Categorical(values)})
    current = pd.DataFrame({"a": values.astype(object)})
    entry = check_drift(reference, current).column("a")
    assert (entry.test, entry.score, entry.drifted) == ("chisquare", 1.0, False)


def test_mixed_values_are_compared_by_equality_as_evidently_does() -> None:
    ref, cur = pd.DataFrame({"a": ["x", 1, "y"] * 70}), pd.DataFrame({"a": ["x", 2, "y"] * 70})
    report = check_drift(ref, cur)
    assert_agrees(report, evidently_drift(ref, cur))
    assert "the current values mix types" in report.column("a").message


def test_values_that_cannot_be_compared() -> None:
    strings = pd.DataFrame({"a": ["x", "y"] * 100})
    with_lists = pd.DataFrame({"a": ["x", [1, 2], "y"] * 50 + ["x"]})
    for reference, current in ((strings, with_lists), (with_lists, strings)):
        _not_tested(check_drift(reference, current), "a", "its values cannot be compared")
    complex_numbers = pd.DataFrame({"a": np.arange(N) + 1j})
    report = check_drift(complex_numbers, complex_numbers, column_types={"a": "numerical"})
    _not_tested(report, "a", "needs numbers on both sides", "values (complex128)")


def test_a_category_never_seen_in_the_reference() -> None:
    ref = pd.DataFrame({"a": RNG.choice(list("xyz"), N)})
    cur = pd.DataFrame({"a": RNG.choice(list("xyzw"), N)})
    report = check_drift(ref, cur)
    assert_agrees(report, evidently_drift(ref, cur))
    assert (report.column("a").score, report.column("a").drifted) == (0.0, True)


def test_column_missing_from_one_side() -> None:
    reference = pd.DataFrame({"a": _normal(), "old": _normal()})
    current = pd.DataFrame({"a": _normal(), "new": _normal()})
    report = check_drift(reference, current)
    assert [c.column for c in report.columns] == ["a", "new", "old"]
    _not_tested(report, "new", "the column is missing from the reference data")
    _not_tested(report, "old", "the column is missing from the current data")
    assert report.column("new").kind is None
    assert report.dataset.number_of_columns == 1


def test_duplicated_column_names() -> None:
    current = pd.DataFrame([[1.0, 2.0]] * N, columns=["a", "a"])
    report = check_drift(pd.DataFrame({"a": _normal()}), current)
    _not_tested(report, "a", "the current data has more than one column named 'a'")


def test_text_columns_are_not_scored_but_can_be_compared_as_categories() -> None:
    reference = pd.DataFrame({"note": [f"note {i}" for i in range(N)], "a": _normal()})
    current = pd.DataFrame({"note": [f"note {i % 150 + 100}" for i in range(N)], "a": _normal()})
    report = check_drift(reference, current)
    _not_tested(report, "note", "text column (150 distinct of 200", "trained domain classifier")
    assert report.column("note").kind == "text"
    assert "Evidently's own report would also count the text columns" in report.dataset.message
    entry = check_drift(reference, current, column_types={"note": "categorical"}).column("note")
    assert (entry.kind, entry.test, entry.drifted) == ("categorical", "chisquare", True)


def test_nullable_integers_need_a_type_and_then_drop_their_nulls() -> None:
    values = pd.array(np.r_[RNG.integers(0, 100, N - 20), [None] * 20], dtype="Int64")
    frame = pd.DataFrame({"n": values})
    _not_tested(check_drift(frame, frame), "n", "does not recognise dtype Int64")
    entry = check_drift(frame, frame, column_types={"n": "numerical"}).column("n")
    assert (entry.test, entry.score, entry.reference_values) == ("ks", 1.0, N - 20)


def test_numerical_override_on_strings_is_reported() -> None:
    frame = pd.DataFrame({"s": RNG.choice(list("xyz"), N)})
    report = check_drift(frame, frame, column_types={"s": "numerical"})
    _not_tested(report, "s", "a numerical column needs numbers on both sides")


def test_columns_and_drift_share() -> None:
    reference = pd.DataFrame({"a": _normal(), "b": _normal(), "c": _normal(), "d": _normal()})
    current = reference.copy()
    current["a"] += 1.0
    assert check_drift(reference, current).dataset.drifted is False
    report = check_drift(reference, current, drift_share=0.25)
    assert (report.dataset.share_of_drifted_columns, report.dataset.drifted) == (0.25, True)
    report = check_drift(reference, current, columns=["a", "b"])
    assert [c.column for c in report.columns] == ["a", "b"]
    assert report.dataset.drifted is True


def test_report_round_trips_as_json() -> None:
    reference = pd.DataFrame({"a": _normal(), "b": RNG.choice(list("xy"), N), "c": [None] * N})
    report = check_drift(reference, reference)
    assert DriftReport.model_validate_json(report.model_dump_json()) == report


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reference": [1, 2]}, "reference must be a pandas DataFrame, not list"),
        ({"current": None}, "current must be a pandas DataFrame, not NoneType"),
        ({"drift_share": 0}, "drift_share must be in (0, 1], not 0"),
        ({"drift_share": 1.5}, "drift_share must be in (0, 1]"),
        ({"drift_share": True}, "drift_share must be a number"),
        ({"columns": "a"}, "columns must be a list of column names"),
        ({"columns": []}, "columns is empty"),
        ({"columns": ["a", "zz"]}, "column 'zz' is in neither the reference nor the current data"),
        ({"columns": [["a"]]}, "column ['a'] is in neither"),
        ({"columns": pd.Index([])}, "columns is empty"),
        ({"column_types": {"a": "text"}}, "column_types['a'] is 'text'"),
        ({"column_types": {"zz": "numerical"}}, "column_types names 'zz'"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs: dict[str, object], message: str) -> None:
    frame = pd.DataFrame({"a": _normal()})
    arguments: dict[str, object] = {"reference": frame, "current": frame, **kwargs}
    with pytest.raises(Invalid) as raised:
        check_drift(**arguments)  # type: ignore[arg-type]
    assert message in str(raised.value)
