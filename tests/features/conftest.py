"""Feature rows saved as a real dataset, and the definitions over them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from jupyter_mlops.workspace import Workspace

from .builders import define_drivers

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def at(hours: float) -> pd.Timestamp:
    """T0 plus ``hours``, as an aware timestamp."""
    return pd.Timestamp(T0 + hours * HOUR)


def driver_rows() -> pd.DataFrame:
    """Driver 1: values at T0, T0+2h, T0+4h; driver 2: one value at T0+10h; driver 3:
    one value at T0-48h (old)."""
    return pd.DataFrame(
        {
            "driver_id": [1, 1, 1, 2, 3],
            "event_timestamp": [at(0), at(2), at(4), at(10), at(-48)],
            "trips": [10, 20, 40, 7, 3],
            "rating": [4.0, 4.5, 4.8, 3.9, 5.0],
        }
    )


@pytest.fixture
def drivers(mlops_workspace: Workspace) -> Any:
    """A ``drivers`` entity, a ``driver_stats`` view (ttl 24 h) over the ``driver_rows``
    dataset and an ``eta`` service using all of it."""
    return define_drivers(driver_rows(), ttl=timedelta(hours=24))
