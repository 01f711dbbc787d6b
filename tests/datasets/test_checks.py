"""Data checks: declared per dataset, evaluated on every save, recorded on the version."""

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.datasets.checks import (
    allowed_values,
    in_range,
    not_null,
    row_count,
    schema_unchanged,
    unique,
)
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Invalid, NotFound


def wines(n: int = 50, ph_high: float = 3.9) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "pH": np.linspace(2.9, ph_high, n),
            "color": rng.choice(["red", "white"], n),
        }
    )


ALL = [
    not_null("pH"),
    unique("id"),
    in_range("pH", 2.5, 4.5),
    allowed_values("color", ["red", "white"]),
    row_count(min=10),
    schema_unchanged(),
]


def test_passing_save_records_a_passing_report(mlops_datasets: DatasetStore) -> None:
    mlops_datasets.expect("wine", ALL)
    result = mlops_datasets.save("wine", wines())
    assert result.checks is not None and result.checks.passed
    assert [r.passed for r in result.checks.results] == [True] * len(ALL)
    assert result.version.checks_passed is True
    assert mlops_datasets.resolve("wine").checks_passed is True
    assert mlops_datasets.report("wine@v1") == result.checks


def test_failing_version_is_kept_and_flagged_with_each_reason(
    mlops_datasets: DatasetStore,
) -> None:
    mlops_datasets.expect("wine", ALL)
    mlops_datasets.save("wine", wines())
    bad = wines(n=5, ph_high=9.0)
    bad.loc[0, "pH"] = None
    bad.loc[1, "id"] = 0
    bad.loc[2, "color"] = "rosé"
    bad["extra"] = 1
    result = mlops_datasets.save("wine", bad)
    assert result.created and result.version.version == 2
    assert result.checks is not None and not result.checks.passed
    by_kind = {r.check.kind: r for r in result.checks.results}
    assert by_kind["not_null"].failing_rows == 1
    assert by_kind["unique"].failing_rows == 2
    assert by_kind["in_range"].failing_rows == 3  # 9.0 and two more above 4.5; the null skipped
    assert (
        by_kind["allowed_values"].failing_rows == 1 and "rosé" in by_kind["allowed_values"].message
    )
    assert not by_kind["row_count"].passed and by_kind["row_count"].message == "5 rows"
    assert (
        not by_kind["schema_unchanged"].passed and "+extra" in by_kind["schema_unchanged"].message
    )
    # the version is still there, loadable, and flagged in the log
    assert len(mlops_datasets.load("wine@v2")) == 5
    assert [v.checks_passed for v in mlops_datasets.log("wine")] == [False, True]


def test_check_reevaluates_an_old_version_with_new_checks(mlops_datasets: DatasetStore) -> None:
    mlops_datasets.save("wine", wines())
    assert mlops_datasets.resolve("wine@v1").checks_passed is None  # never checked
    with pytest.raises(Invalid, match="has no checks"):
        mlops_datasets.check("wine@v1")
    mlops_datasets.expect("wine", [row_count(max=10)])
    report = mlops_datasets.check("wine@v1")
    assert not report.passed and report.version == 1
    assert mlops_datasets.resolve("wine@v1").checks_passed is False


def test_missing_column_and_non_numeric_range_are_failures_not_crashes(
    mlops_datasets: DatasetStore,
) -> None:
    mlops_datasets.expect("wine", [not_null("nope"), in_range("color", 0, 1)])
    report = mlops_datasets.save("wine", wines()).checks
    assert report is not None
    assert [r.message for r in report.results] == [
        "column 'nope' is missing",
        "column 'color' is object, not numeric",
    ]


def test_identical_save_answers_the_recorded_report(mlops_datasets: DatasetStore) -> None:
    mlops_datasets.expect("wine", [row_count(min=1)])
    first = mlops_datasets.save("wine", wines())
    again = mlops_datasets.save("wine", wines())
    assert not again.created and again.checks == first.checks


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"kind": "not_null"}, "needs a column"),
        ({"kind": "row_count", "column": "x", "min": 1}, "takes no column"),
        ({"kind": "in_range", "column": "x"}, "needs min, max or both"),
        ({"kind": "in_range", "column": "x", "min": 5, "max": 1}, "above max"),
        ({"kind": "allowed_values", "column": "x", "values": []}, "non-empty list"),
        ({"kind": "teleport"}, "teleport"),
        ({"kind": "unique", "column": "x", "colour": "red"}, "Extra inputs"),
    ],
)
def test_bad_checks_are_refused_with_a_reason_and_nothing_stored(
    mlops_datasets: DatasetStore, raw: dict, message: str
) -> None:
    from jupyter_mlops.datasets.checks import parse_checks

    with pytest.raises(Invalid, match=message):
        mlops_datasets.expect("wine", parse_checks([raw]))
    with pytest.raises(NotFound):
        mlops_datasets.checks("wine")


def test_file_versions_are_not_table_checked(
    mlops_datasets: DatasetStore, mlops_root: object
) -> None:
    from pathlib import Path

    path = Path(str(mlops_root)) / "notes.txt"
    path.write_text("hello")
    mlops_datasets.expect("notes", [row_count(min=1)])
    result = mlops_datasets.save("notes", path)
    assert result.checks is None and result.version.checks_passed is None
    with pytest.raises(Invalid, match="checks apply to tables"):
        mlops_datasets.check("notes")


def test_one_sided_bounds_read_naturally() -> None:
    assert in_range("pH", max=4).describe() == "pH ≤ 4"
    assert in_range("pH", 2.5, 4.5).describe() == "pH in [2.5, 4.5]"
    assert row_count(min=100).describe() == "row count ≥ 100"
