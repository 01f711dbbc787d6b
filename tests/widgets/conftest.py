"""A workspace with online feature values: a ``driver_rows`` dataset of recent events, a
``driver`` entity, a ``driver_stats`` view (ttl 1 h), an ``eta`` service, materialized."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

import jupyter_mlops as mlops
from jupyter_mlops.workspace import Workspace
from tests.features.builders import define_drivers


@pytest.fixture
def online_features(mlops_workspace: Workspace) -> Workspace:
    now = pd.Timestamp.now(tz="UTC")
    rows = pd.DataFrame(
        {
            "driver_id": [1, 2, 3],
            "event_timestamp": [now - pd.Timedelta(minutes=5)] * 3,
            "trips": [10, 20, 30],
            "rating": [4.5, 3.25, 5.0],
        }
    )
    define_drivers(rows, ttl=timedelta(hours=1))
    mlops.features.materialize("driver_stats")
    return mlops_workspace
