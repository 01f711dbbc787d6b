"""The join against a reference: pandas ``merge_asof`` (by key, backward, within the
ttl) on random data gives the same values, and every input row comes back in order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jupyter_mlops as mlops
from jupyter_mlops.workspace import Workspace

T0 = pd.Timestamp("2026-02-01", tz="UTC")


def reference(entity: pd.DataFrame, rows: pd.DataFrame, ttl: pd.Timedelta | None) -> pd.DataFrame:
    """merge_asof of each entity row with the newest row at or before it (then the ttl)."""
    left = entity.reset_index(drop=True).reset_index().sort_values("event_timestamp")
    right = rows.sort_values("event_timestamp").rename(columns={"event_timestamp": "ets"})
    merged = pd.merge_asof(
        left,
        right,
        left_on="event_timestamp",
        right_on="ets",
        by="k",
        direction="backward",
        tolerance=ttl,
    )
    return merged.sort_values("index").set_index("index")


@st.composite
def frames(draw: Any) -> tuple[pd.DataFrame, pd.DataFrame, int | None]:
    n_rows = draw(st.integers(1, 60))
    n_entity = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    ttl_hours = draw(st.one_of(st.none(), st.integers(1, 48)))
    rng = np.random.default_rng(seed)
    # distinct event times per key (ties are the created column's business, tested apart)
    seconds = rng.choice(200 * 3600, size=n_rows, replace=False)
    rows = pd.DataFrame(
        {
            "k": rng.integers(0, 8, n_rows),
            "event_timestamp": T0 + pd.to_timedelta(seconds, unit="s"),
            "v": rng.normal(size=n_rows),
        }
    )
    entity = pd.DataFrame(
        {
            "k": rng.integers(0, 10, n_entity),
            "event_timestamp": T0
            + pd.to_timedelta(rng.integers(-3600, 210 * 3600, n_entity), unit="s"),
        }
    )
    return rows, entity, ttl_hours


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=frames())
def test_same_values_as_merge_asof(mlops_workspace: Workspace, data: Any) -> None:
    rows, entity, ttl_hours = data
    mlops.datasets.save("rows", rows)
    mlops.features.entity("e", {"k": "Int64"})
    ttl = None if ttl_hours is None else timedelta(hours=ttl_hours)
    mlops.features.view("v", entities=["e"], source="rows", features={"v": "Float64"}, ttl=ttl)
    ts = mlops.features.training_set(entity, features=["v:v"])
    ours = ts.to_df()
    expected = reference(entity, rows, None if ttl is None else pd.Timedelta(ttl))
    assert len(ours) == len(entity)
    assert ours["k"].tolist() == entity["k"].tolist()
    assert ours["event_timestamp"].tolist() == entity["event_timestamp"].tolist()
    np.testing.assert_array_equal(ours["v"].to_numpy(), expected["v"].to_numpy())
    matched = ts.status["v"] == "matched"
    assert matched.tolist() == expected["v"].notna().tolist()
