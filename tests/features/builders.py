"""The feature definitions most tests share: a ``driver`` entity, a ``driver_stats`` view
of the ``driver_rows`` dataset (trips, rating) and an ``eta`` service of all of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

import jupyter_mlops as mlops


def define_drivers(
    rows: pd.DataFrame | None = None, ttl: timedelta | None = timedelta(hours=1)
) -> Any:
    """Save ``rows`` (if given) as ``driver_rows``, then define the entity, the view with
    ``ttl`` and the service; returns the view."""
    if rows is not None:
        mlops.datasets.save("driver_rows", rows)
    mlops.features.entity("driver", {"driver_id": "Int64"})
    view = mlops.features.view(
        "driver_stats",
        entities=["driver"],
        source="driver_rows",
        features={"trips": "Int64", "rating": "Float64"},
        ttl=ttl,
    )
    mlops.features.service("eta", ["driver_stats"])
    return view
