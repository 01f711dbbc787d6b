"""Monitoring: data drift with Evidently's semantics, computed by our own vectorized code.

Core only (no Jupyter imports). ``check_drift(reference, current)`` returns a ``DriftReport``:
per column the test, threshold and verdict Evidently's ``DataDriftPreset`` picks by default,
and the dataset verdict by drifted share. Modules: ``column_types`` (which kind a column is),
``samples`` (the usable values, sorted or counted), ``stattests`` (the scores), ``selection``
(which test, threshold and rule), ``drift`` (the check), ``models`` (the results).
"""

from .drift import check_drift
from .models import ColumnDrift, DatasetDrift, DriftReport

__all__ = ["ColumnDrift", "DatasetDrift", "DriftReport", "check_drift"]
