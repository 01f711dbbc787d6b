"""Training/serving skew: do the online values equal the offline point-in-time values as
of the materialization that wrote them, and is the materialization fresh?

For each view of a service, a sample of the entities in its online table is joined point
in time (``training.build``) at the materialization's time; each online value must equal
the offline one (floats within 1e-9, relatively). Fresh means the online table was written
from the dataset version and view version in use now, and its newest value is within the
ttl now. The
jobs area's promotion gate ``feature_freshness`` reads this verdict (``gates.py``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ..contract import Count, StrictModel, UtcDateTime
from ..datasets.store import DatasetStore
from ..errors import Invalid
from .join import quote
from .online_store import OnlineStore, TableMeta
from .resolution import join_keys, selected
from .sources import resolve
from .store import FeatureStore
from .timing import NS_PER_SECOND, from_ns
from .training import DEFAULT_TIMESTAMP, build

if TYPE_CHECKING:
    from ..workspace import Workspace

MAX_SAMPLE = 10_000


class ViewSkew(StrictModel):
    view: str
    materialized_at: UtcDateTime | None = None
    materialized_version: int | None = None  # the view version the online table holds
    online_dataset_version: int | None = None
    current_dataset_version: int
    sampled: Count = 0
    mismatched: Count = 0
    examples: list[str] = Field(default_factory=list)  # "driver_id=3: trips online 4, offline 5"
    newest_event_age_seconds: float | None = None
    fresh: bool
    consistent: bool
    reason: str


class SkewReport(StrictModel):
    service: str
    views: list[ViewSkew]
    passed: bool  # every view fresh and consistent

    @property
    def reason(self) -> str:
        return "; ".join(f"{v.view}: {v.reason}" for v in self.views)


def skew(
    features: FeatureStore, datasets: DatasetStore, online: OnlineStore, service: str, sample: int
) -> SkewReport:
    """The skew report of ``service``: ``sample`` entities per view."""
    if not 1 <= sample <= MAX_SAMPLE:
        raise Invalid(f"sample must be between 1 and {MAX_SAMPLE}, not {sample}")
    _, chosen = selected(features, service, None)
    views = [_view_skew(features, datasets, online, view, sample) for view, _ in chosen]
    return SkewReport(
        service=service, views=views, passed=all(v.fresh and v.consistent for v in views)
    )


def _sample_keys(online: OnlineStore, meta: TableMeta, sample: int) -> list[tuple[Any, ...]]:
    keys = ", ".join(quote(n) for n, _ in meta.keys)
    with online.transaction(write=False) as conn:
        rows = conn.execute(
            f"SELECT {keys} FROM {quote(meta.table)} ORDER BY random() LIMIT {int(sample)}"
        ).fetchall()
    return [tuple(r) for r in rows]


def _view_skew(
    features: FeatureStore, datasets: DatasetStore, online: OnlineStore, view: Any, sample: int
) -> ViewSkew:
    source = resolve(datasets, view, join_keys(features, view))
    last = features.last_done(view.name)
    with online.transaction(write=False) as conn:
        meta = online.meta(conn, view.name)
    current = source.version.version
    if meta is None or last is None:
        return ViewSkew(
            view=view.name, current_dataset_version=current, fresh=False, consistent=False,
            reason="never materialized: run materialize first",
        )  # fmt: skip
    keys = _sample_keys(online, meta, sample)
    mismatches = _mismatches(features, datasets, online, view.name, meta, keys)
    age = (
        None
        if meta.watermark_ns is None
        else (meta.materialized_ns - meta.watermark_ns) / NS_PER_SECOND
    )
    stale = []
    if last.dataset_version != current:
        stale.append(f"written from dataset v{last.dataset_version}, the view now reads v{current}")
    if meta.view_version != view.version:
        stale.append(f"written for view v{meta.view_version}, the view is now v{view.version}")
    if age is not None and meta.ttl_ns is not None and age * NS_PER_SECOND > meta.ttl_ns:
        stale.append(f"the newest online value is {age:.0f} s old, past the ttl")
    consistent = not mismatches
    reason = "; ".join(
        stale
        + ([f"{len(mismatches)} of {len(keys)} sampled entities differ"] if mismatches else [])
    )
    return ViewSkew(
        view=view.name,
        materialized_at=from_ns(meta.materialized_ns),
        materialized_version=meta.view_version,
        online_dataset_version=last.dataset_version,
        current_dataset_version=current,
        sampled=len(keys),
        mismatched=len(mismatches),
        examples=mismatches[:5],
        newest_event_age_seconds=age,
        fresh=not stale,
        consistent=consistent,
        reason=reason or f"fresh, and {len(keys)} sampled entities equal offline",
    )


def _mismatches(
    features: FeatureStore,
    datasets: DatasetStore,
    online: OnlineStore,
    view: str,
    meta: TableMeta,
    keys: list[tuple[Any, ...]],
) -> list[str]:
    """Entities whose stored online values differ from the offline point-in-time values
    at the materialization time (raw stored values: the ttl is not applied twice)."""
    import pandas as pd

    if not keys:
        return []
    names = [n for n, _ in meta.keys]
    entity = pd.DataFrame([list(k) for k in keys], columns=names)
    entity[DEFAULT_TIMESTAMP] = pd.Timestamp(meta.materialized_ns, unit="ns", tz="UTC")
    refs = [f"{view}:{n}" for n, _ in meta.features]
    offline = build(features, datasets, entity, refs=refs).to_df()
    _, stored = online.read([view], names, keys)[view]
    found = []
    for i, key in enumerate(keys):
        row = stored.get(key)
        for j, (name, _) in enumerate(meta.features):
            ours, theirs = (None if row is None else row[j + 1]), offline[name].iloc[i]
            if not _same(ours, theirs):
                label = ", ".join(f"{n}={v}" for n, v in zip(names, key, strict=True))
                found.append(f"{label}: {name} online {ours!r}, offline {_plain(theirs)!r}")
                break
    return found


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _same(online: Any, offline: Any) -> bool:
    import pandas as pd

    if online is None or (isinstance(online, float) and math.isnan(online)):
        return bool(pd.isna(offline))
    if pd.isna(offline):
        return False
    if isinstance(online, float) or isinstance(offline, float):
        return math.isclose(float(online), float(offline), rel_tol=1e-9, abs_tol=1e-12)
    return bool(_plain(offline) == online)


def skew_for(ws: Workspace, service: str, sample: int = 100) -> SkewReport:
    """The skew report of ``service`` in workspace ``ws`` (its stores, its online store)."""
    from ..state import store_of
    from .online_store import online_store_of

    features, datasets = store_of(FeatureStore, ws), store_of(DatasetStore, ws)
    return skew(features, datasets, online_store_of(ws.online_store_url), service, sample)
