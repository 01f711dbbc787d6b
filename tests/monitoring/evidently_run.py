"""Run real Evidently on two frames and read what it decided, for the agreement tests."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class EvidentlyColumn:
    method: str  # the test's display name, e.g. "K-S p_value"
    score: float
    threshold: float
    drifted: bool


@dataclass(frozen=True)
class EvidentlyDrift:
    columns: dict[str, EvidentlyColumn]
    drifted_count: int
    drifted_share: float
    dataset_drifted: bool


def evidently_drift(reference: pd.DataFrame, current: pd.DataFrame) -> EvidentlyDrift:
    """A ``Report([DataDriftPreset()])`` with its tests, on plain DataFrames (default typing)."""
    from evidently import Report
    from evidently.presets import DataDriftPreset

    # Evidently's own arithmetic warns inside numpy/scipy (correlations of constant columns,
    # chi-square over a value the reference never had): silenced for its run only, so the
    # same warnings raised by our engine still fail the suite.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        snapshot = Report([DataDriftPreset()], include_tests=True).run(current, reference)
    result = snapshot.dict()
    verdicts: dict[str, bool] = {}
    dataset_drifted = None
    for test in result["tests"]:
        failed = str(test["status"]).endswith("FAIL")
        if test["id"] == "drift":
            verdicts[test["metric_config"]["params"]["column"]] = failed
        elif test["id"] == "lt":
            dataset_drifted = failed
    columns: dict[str, EvidentlyColumn] = {}
    count = share = None
    for metric in result["metrics"]:
        config = metric["config"]
        if config["type"].endswith(":ValueDrift"):
            name = config["column"]
            columns[name] = EvidentlyColumn(
                method=config["method"],
                score=float(metric["value"]),
                threshold=float(config["threshold"]),
                drifted=verdicts[name],
            )
        elif config["type"].endswith(":DriftedColumnsCount"):
            count, share = metric["value"]["count"], metric["value"]["share"]
    assert count is not None and share is not None and dataset_drifted is not None
    return EvidentlyDrift(columns, int(count), float(share), dataset_drifted)
