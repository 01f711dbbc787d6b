"""Monitoring: data drift with Evidently's semantics, computed by our own vectorized code;
model quality; named monitors keeping their history, with thresholds that raise alerts.

Core only (no Jupyter imports). ``check_drift(reference, current)`` returns a ``DriftReport``:
per column the test, threshold and verdict Evidently's ``DataDriftPreset`` picks by default,
and the dataset verdict by drifted share. Modules: ``column_types`` (which kind a column is),
``profiles`` (one side of a column: its usable values, sorted or counted), ``samples`` (both
sides' values as a test reads them), ``stattests`` (the scores), ``selection`` (which test,
threshold and rule), ``column_check`` (one column), ``drift`` (the check, column by column in
threads), ``models`` (the results). ``references`` is the
reference side: a DataFrame, or a dataset version whose columns are read from
``profile_store`` (stored reference profiles, which spare a monitor's later checks reading and
sorting the reference) when it has them.

Around it: ``api`` (the Python API, ``mlops.monitor``: drift, record, alerts, acknowledge…),
``quality`` (scikit-learn metrics of predictions), ``distributions`` (binned histograms for
plots), ``evidently_engine`` (Evidently's own Report), ``rules`` (thresholds and actions),
``store`` and ``orm`` (monitors, points and alerts in the state DB), ``actions`` (what the
jobs area calls to take the actions alerts ask for).
"""

from .drift import check_drift
from .models import ColumnDrift, DatasetDrift, DriftReport

__all__ = ["ColumnDrift", "DatasetDrift", "DriftReport", "check_drift"]
