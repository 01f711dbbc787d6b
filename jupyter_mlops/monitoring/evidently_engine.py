"""``engine="evidently"``: Evidently's own ``DataDriftPreset`` Report, run on the frames.

The verdicts come from Evidently itself (its tests' pass/fail), turned into our
``DriftReport``; its HTML report (megabytes, plotly inside) is written to a file for the
caller to store, never into the notebook. Columns Evidently leaves out of its report (an
all-missing column, say) are listed as not tested.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Invalid
from .column_types import infer_kind
from .drift import dataset_verdict
from .models import ColumnDrift, DriftReport, StatTestName

TESTS: dict[str, StatTestName] = {
    "K-S p_value": "ks",
    "chi-square p_value": "chisquare",
    "Z-test p_value": "z",
    "Wasserstein distance (normed)": "wasserstein",
    "Jensen-Shannon distance": "jensenshannon",
}


def evidently_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    html_path: Path,
    columns: Sequence[Hashable] | None = None,
    drift_share: float = 0.5,
) -> DriftReport:
    """Run Evidently's Report and write its HTML to ``html_path``; its verdicts as ours."""
    from evidently import Report
    from evidently.presets import DataDriftPreset

    names = [str(c) for c in (columns if columns is not None else current.columns)]
    preset = DataDriftPreset(
        columns=names if columns is not None else None, drift_share=drift_share
    )
    try:
        # Evidently's own arithmetic warns inside numpy/scipy (constant columns, a category
        # the reference never had); its verdicts stand, the warnings are its own.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            snapshot = Report([preset], include_tests=True).run(current, reference)
            snapshot.save_html(str(html_path))
    except Exception as error:  # Evidently's refusals come as any exception type
        raise Invalid(
            f"Evidently could not build its report ({type(error).__name__}: {error}); "
            "the fast engine checks the same columns and says why one cannot be tested"
        ) from None
    return _as_report(
        snapshot.dict(), current, names, reference_rows=len(reference), drift_share=drift_share
    )


def _as_report(
    result: dict[str, Any],
    current: pd.DataFrame,
    names: list[str],
    reference_rows: int,
    drift_share: float,
) -> DriftReport:
    failed: dict[str, bool] = {}
    for test in result["tests"]:
        if test["id"] == "drift":
            failed[test["metric_config"]["params"]["column"]] = str(test["status"]).endswith("FAIL")
    found: dict[str, ColumnDrift] = {}
    for metric in result["metrics"]:
        config = metric["config"]
        if config["type"].endswith(":ValueDrift") and config["column"] in failed:
            column = config["column"]
            found[column] = _column(column, config, float(metric["value"]), failed[column], current)
    columns = [
        found.get(name)
        or ColumnDrift(column=name, message="not tested: Evidently's report leaves this column out")
        for name in names
    ]
    return DriftReport(
        dataset=dataset_verdict(columns, drift_share),
        columns=columns,
        reference_rows=reference_rows,
        current_rows=len(current),
    )


def _column(
    column: str, config: dict[str, Any], score: float, drifted: bool, current: pd.DataFrame
) -> ColumnDrift:
    label = str(config["method"])
    threshold = float(config["threshold"])
    verdict = "drift detected" if drifted else "no drift"
    kind = infer_kind(current[column]) if column in current.columns else None
    return ColumnDrift(
        column=column,
        kind=kind,
        test=TESTS.get(label),
        test_label=label,
        statistic="p_value" if label.endswith("p_value") else "distance",
        score=score if math.isfinite(score) else None,
        threshold=threshold,
        drifted=drifted,
        message=f"{verdict} (Evidently): {label} = {score:.4g}, threshold {threshold:g}",
    )
