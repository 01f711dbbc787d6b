"""Training sets: an entity frame joined point-in-time with the features of a service.

``build`` resolves the features, reads each view's verified source, joins (``join.py``)
and returns a :class:`TrainingSet`: the frame (the entity frame's rows, index and order,
then the features), each row's match status per view, and what it was made from
(:class:`TrainingSetInfo`, recorded on the MLflow run that uses it).

Without an entity frame (``start``/``end``), the rows are every (keys, event time) of the
selected views in that range: each entity's values as of every one of its events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from ..datasets.models import SaveResult
from ..datasets.store import DatasetStore
from ..errors import Invalid
from ..progress import Progress
from .join import (
    MATCH_STATUSES,
    ViewJoin,
    ViewPlan,
    connection,
    entity_table,
    join_view,
    quote,
)
from .models import FeatureService, TrainingSetInfo, ViewCoverage, ViewUse
from .resolution import join_keys, output_columns, selected
from .sources import resolve
from .store import FeatureStore
from .timing import series_ns, to_ns, ttl_ns

DEFAULT_TIMESTAMP = "event_timestamp"  # Feast's name for the entity frame's time column


@dataclass
class TrainingSet:
    """A point-in-time correct training set (``to_df()`` as in Feast)."""

    df: Any
    status: Any  # DataFrame: one categorical column per view (matched, no_key, …)
    info: TrainingSetInfo
    _digest: str | None = field(default=None, repr=False)

    def to_df(self) -> Any:
        """The frame: the entity frame's columns, then the features."""
        return self.df

    @property
    def coverage(self) -> list[ViewCoverage]:
        return self.info.coverage

    def digest(self) -> str:
        """A BLAKE3 digest of the frame's full content (columns, types and values)."""
        if self._digest is None:
            self._digest = frame_digest(self.df)
        return self._digest

    def save(self, name: str, message: str = "", *, tag: str | None = None) -> SaveResult:
        """Save the frame as the next version of dataset ``name`` (its message says what it
        was made from, unless ``message`` is given); inside ``%%track`` the run records it
        as produced."""
        from ..datasets import api as datasets

        used = ", ".join(
            f"{u.view} v{u.view_version} on {u.dataset}@v{u.dataset_version}"
            for u in self.info.views
        )
        what = f"service {self.info.service}" if self.info.service else "features"
        return datasets.save(name, self.df, message or f"training set of {what}: {used}", tag=tag)

    def __repr__(self) -> str:
        rows, cols = self.df.shape
        parts = [f"{c.view}: {c.share:.1%} matched" for c in self.coverage]
        return f"<TrainingSet {rows:,} rows × {cols} columns; " + "; ".join(parts) + ">"


def frame_digest(frame: Any) -> str:
    """BLAKE3 over a frame's column names, dtypes and pandas' per-row value hashes."""
    import blake3
    import pandas as pd

    hasher = blake3.blake3()
    for name in frame.columns:
        hasher.update(f"{name}\x00{frame[name].dtype}\x00".encode())
        hashed = pd.util.hash_pandas_object(frame[name], index=False)
        hasher.update(hashed.to_numpy().tobytes())
    return str(hasher.hexdigest())


def build(
    features: FeatureStore,
    datasets: DatasetStore,
    entity_df: Any,
    *,
    service: str | None = None,
    refs: list[str] | None = None,
    timestamp_column: str = DEFAULT_TIMESTAMP,
    timezone: str | None = None,
    full_names: bool = False,
    progress: Progress | None = None,
) -> TrainingSet:
    """The training set of ``entity_df`` (its keys and ``timestamp_column``); ``progress``
    hears two steps per view: its source read (verified), its join."""
    import pandas as pd

    if not isinstance(entity_df, pd.DataFrame):
        raise Invalid(f"entity_df must be a pandas DataFrame, not {type(entity_df).__name__}")
    found, chosen = selected(features, service, refs)
    if timestamp_column not in entity_df.columns:
        raise Invalid(
            f"entity_df has no time column {timestamp_column!r} (give timestamp_column=…; "
            f"its columns: {list(entity_df.columns)[:20]})"
        )
    row_ts = series_ns(
        entity_df[timestamp_column], f"entity_df column {timestamp_column!r}", timezone
    )
    columns = output_columns(chosen, list(entity_df.columns), full_names)
    plans: list[ViewPlan] = []
    steps = 2 * len(chosen)  # each view's source read, then its join
    for (view, names), cols in zip(chosen, columns, strict=True):
        if progress is not None:
            progress(len(plans), steps, f"reading view {view.name}")
        keys = join_keys(features, view)
        source = resolve(datasets, view, keys)
        plans.append(ViewPlan(view, source, keys, names, cols, ttl_ns(view.ttl_seconds)))
    con = connection()
    joins: list[ViewJoin] = []
    for plan in plans:
        if progress is not None:
            progress(len(plans) + len(joins), steps, f"joining view {plan.view.name}")
        entity = entity_table(entity_df, plan.keys, row_ts)
        con.register("__entity", entity)
        try:
            joins.append(join_view(con, plan, entity))
        finally:
            con.unregister("__entity")
    if progress is not None:
        progress(steps, steps, f"{len(entity_df):,} rows joined")
    return _assemble(entity_df, found, joins)


def _assemble(entity_df: Any, service: FeatureService | None, joins: list[ViewJoin]) -> TrainingSet:
    import pandas as pd

    parts = [entity_df.reset_index(drop=True)] + [j.values for j in joins]
    frame = pd.concat(parts, axis=1)
    frame.index = entity_df.index
    status = pd.DataFrame(
        {
            j.plan.view.name: pd.Categorical.from_codes(j.status, categories=list(MATCH_STATUSES))
            for j in joins
        },
        index=entity_df.index,
    )
    info = TrainingSetInfo(
        service=service.name if service else None,
        service_version=service.version if service else None,
        features=[f"{j.plan.view.name}:{f}" for j in joins for f in j.plan.features],
        views=[_use(j.plan) for j in joins],
        coverage=[_coverage(j) for j in joins],
        rows=len(frame),
        digest=None,
    )
    return TrainingSet(frame, status, info)


def _use(plan: ViewPlan) -> ViewUse:
    version = plan.source.version
    return ViewUse(
        view=plan.view.name,
        view_version=plan.view.version,
        dataset=version.name,
        dataset_version=version.version,
        object_id=version.manifest.object_id,
        features=plan.features,
    )


def _coverage(join: ViewJoin) -> ViewCoverage:
    counts = np.bincount(join.status, minlength=len(MATCH_STATUSES))
    return ViewCoverage(
        view=join.plan.view.name,
        rows=len(join.status),
        **{name: int(counts[i]) for i, name in enumerate(MATCH_STATUSES)},
    )


def events_between(
    features: FeatureStore,
    datasets: DatasetStore,
    views: list[str],
    start: datetime,
    end: datetime,
    timezone: str | None = None,
) -> Any:
    """An entity frame of every (keys, event time) of ``views`` in [start, end]: all the
    views must share their join keys."""
    import pandas as pd

    lo, hi = to_ns(start, "start", timezone), to_ns(end, "end", timezone)
    if lo > hi:
        raise Invalid(f"start {start} is after end {end}")
    selects, keys = [], None
    for name in views:
        view = features.get("view", name)
        view_keys = join_keys(features, view)
        if keys is not None and view_keys != keys:
            raise Invalid(f"views {views} have different join keys: give an entity_df instead")
        keys = view_keys
        plan = ViewPlan(view, resolve(datasets, view, view_keys), view_keys, [], [], None)
        ets = plan.event_ns_sql(view.timestamp_field)
        cols = ", ".join(quote(k) for k in view_keys)
        selects.append(
            f"SELECT {cols}, {ets} AS __ets FROM {plan.source.sql()} "
            f"WHERE {ets} BETWEEN {lo} AND {hi}"
        )
    assert keys is not None
    order = ", ".join(["__ets", *(quote(k) for k in keys)])
    sql = f"SELECT DISTINCT * FROM ({' UNION ALL '.join(selects)}) ORDER BY {order}"
    con = connection()
    frame = con.sql(sql).df()
    stamps = pd.to_datetime(frame.pop("__ets").to_numpy(dtype=np.int64), unit="ns", utc=True)
    frame[DEFAULT_TIMESTAMP] = stamps
    return frame
