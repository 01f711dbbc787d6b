"""Online lookups: a service's (or a view's) values for a batch of entities.

One read of the online store per call (each view's meta and rows from one snapshot). The
ttl is honoured at read time: a value older than its view's ttl now is ``expired`` and
given as null, a missing entity is ``missing``. Resolving a service to its views is
cached per process for a few seconds (and dropped at once when this process defines
something), so a lookup costs the store's indexed reads, not the state DB's.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import Invalid
from .models import FeatureView, OnlineFeature, OnlineResult, OnlineRow
from .online_store import OnlineStore, TableMeta, project
from .resolution import join_keys, output_columns, selected
from .store import FeatureStore
from .timing import NS_PER_SECOND, from_ns

RESOLVED_SECONDS = 5.0
KeyValue = str | int | float | bool | None


@dataclass(frozen=True)
class Target:
    """A service or a view, resolved: its views, their features and output columns."""

    views: list[tuple[FeatureView, list[str], list[str]]]
    keys: dict[str, str]


_cache: dict[tuple[str, str | None, str | None, bool], tuple[float, int, Target]] = {}
_cache_lock = threading.Lock()


def resolve_target(
    store: FeatureStore, service: str | None, view: str | None, full_names: bool = False
) -> Target:
    """The views and keys behind ``service`` or ``view`` (cached for a few seconds)."""
    key = (store.url, service, view, full_names)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] > now and hit[1] == store.generation:
        return hit[2]
    _, chosen = selected(store, service, None if view is None else [view])
    columns = output_columns(chosen, [], full_names)
    keys: dict[str, str] = {}
    for found, _ in chosen:
        keys.update(join_keys(store, found))
    target = Target([(v, n, c) for (v, n), c in zip(chosen, columns, strict=True)], keys)
    with _cache_lock:
        _cache[key] = (now + RESOLVED_SECONDS, store.generation, target)
    return target


def _key_tuples(target: Target, entities: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    missing = [k for k in target.keys if k not in entities]
    extra = [k for k in entities if k not in target.keys]
    if missing or extra:
        raise Invalid(
            f"entities must give the join keys {list(target.keys)}"
            + (f"; missing {missing}" if missing else "")
            + (f"; unknown {extra}" if extra else "")
        )
    columns = [entities[k] for k in target.keys]
    if len({len(c) for c in columns}) != 1:
        raise Invalid("entities: every join key needs the same number of values")
    for (name, dtype), values in zip(target.keys.items(), columns, strict=True):
        _check_values(name, dtype, values)
    return list(zip(*columns, strict=True))


def _check_values(name: str, dtype: str, values: list[Any]) -> None:
    if dtype in ("Int32", "Int64"):
        bad = [v for v in values if not isinstance(v, int) or isinstance(v, bool)]
    elif dtype == "String":
        bad = [v for v in values if not isinstance(v, str)]
    else:
        bad = [v for v in values if v is None]
    if bad:
        raise Invalid(f"join key {name!r} is {dtype}: {bad[0]!r} is not one")


@dataclass
class OnlineValues:
    """A lookup's answer, by column: ``to_dict()`` (as Feast's), ``to_df()``, ``model()``."""

    keys: dict[str, list[Any]]
    values: dict[str, list[Any]]
    views: dict[str, tuple[list[str], list[int | None]]]  # view → (statuses, event ns)
    now_ns: int
    dtypes: dict[str, str] = field(default_factory=dict)  # value column → Feast type

    def to_dict(self) -> dict[str, list[Any]]:
        return {**self.keys, **self.values}

    def to_df(self) -> Any:
        import pandas as pd

        frame = pd.DataFrame(self.to_dict())
        for column, dtype in self.dtypes.items():
            if dtype in ("Int32", "Int64"):  # nulls keep an integer column integral
                frame[column] = pd.array(self.values[column], dtype="Int64")
        for view, (status, event) in self.views.items():
            frame[f"{view}__status"] = status
            frame[f"{view}__age_s"] = [self._age(e) for e in event]
        return frame

    def _age(self, event: int | None) -> float | None:
        return None if event is None else (self.now_ns - event) / NS_PER_SECOND

    def model(self) -> OnlineResult:
        """The REST answer: one row per entity, in the request's order."""
        count = len(next(iter(self.keys.values()), []))
        rows = []
        for i in range(count):
            views = [
                OnlineFeature(
                    view=view,
                    status=status[i],  # type: ignore[arg-type]
                    event_time=None if event[i] is None else from_ns(event[i]),  # type: ignore[arg-type]
                    age_seconds=self._age(event[i]),
                )
                for view, (status, event) in self.views.items()
            ]
            key = {k: v[i] for k, v in self.keys.items()}
            values = {c: _wire(v[i]) for c, v in self.values.items()}
            rows.append(OnlineRow(key=key, values=values, views=views))
        return OnlineResult(features=list(self.values), rows=rows)


def lookup(online: OnlineStore, target: Target, entities: dict[str, list[Any]]) -> OnlineValues:
    """The online values of ``target`` for ``entities`` (join key → values)."""
    keys = _key_tuples(target, entities)
    names = list(target.keys)
    found = online.read([v.name for v, _, _ in target.views], names, keys)
    now_ns = time.time_ns()
    values: dict[str, list[Any]] = {}
    dtypes: dict[str, str] = {}
    views: dict[str, tuple[list[str], list[int | None]]] = {}
    for view, features, columns in target.views:
        meta, rows = found[view.name]
        got = _rows_in_order(meta, names, keys, rows)
        ttl = None if meta is None else meta.ttl_ns
        fresh = [r is not None and (ttl is None or now_ns - r[0] <= ttl) for r in got]
        views[view.name] = (
            [_STATUS[(r is None, f)] for r, f in zip(got, fresh, strict=True)],
            [None if r is None else r[0] for r in got],
        )
        layout = _layout(meta, tuple(features))
        nulls = (None,) * layout.width
        table = list(
            zip(*(r if f else nulls for r, f in zip(got, fresh, strict=True)), strict=True)
        )
        table = table or [() for _ in range(layout.width)]  # no entities: empty columns
        for column, pos, dtype in zip(columns, layout.positions, layout.dtypes, strict=True):
            stored = list(table[pos]) if pos is not None else [None] * len(keys)
            values[column] = _typed(dtype, stored) if dtype in _CONVERTED else stored
            dtypes[column] = dtype
    key_lists = {k: [key[i] for key in keys] for i, k in enumerate(names)}
    return OnlineValues(key_lists, values, views, now_ns, dtypes)


_STATUS = {(True, False): "missing", (False, False): "expired", (False, True): "present"}


def _rows_in_order(
    meta: TableMeta | None,
    names: list[str],
    keys: list[tuple[Any, ...]],
    rows: dict[tuple[Any, ...], tuple[Any, ...]],
) -> list[tuple[Any, ...] | None]:
    """The stored row of each requested entity, in the request's order (None: none)."""
    index = None if meta is None else project(meta, names)
    if index is None:
        return [None] * len(keys)
    if index == list(range(len(names))):
        return [rows.get(k) for k in keys]
    return [rows.get(tuple(k[i] for i in index)) for k in keys]


def _typed(dtype: str | None, column: list[Any]) -> list[Any]:
    """Stored values in their feature's type: a Bool as bool (SQLite stores 0/1), a
    UnixTimestamp (stored as UTC nanoseconds) as an aware datetime."""
    if dtype == "Bool":
        return [None if v is None else bool(v) for v in column]
    if dtype == "UnixTimestamp":
        return [None if v is None else from_ns(v).replace(tzinfo=UTC) for v in column]
    return column


def _wire(value: Any) -> Any:
    """A value as JSON carries it (a time as ISO 8601 with its offset)."""
    return value.isoformat() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class _Layout:
    """Where each requested feature sits in a stored row (after ``__ets``), and its type."""

    width: int
    positions: tuple[int | None, ...]  # None: not stored (a feature added since)
    dtypes: tuple[str, ...]


_layouts: dict[tuple[int, tuple[str, ...]], tuple[TableMeta, _Layout]] = {}
_CONVERTED = ("Bool", "UnixTimestamp")


def _layout(meta: TableMeta | None, features: tuple[str, ...]) -> _Layout:
    """The layout of ``features`` in rows of ``meta``'s table (remembered per meta)."""
    if meta is None:
        return _Layout(1, tuple(None for _ in features), tuple("" for _ in features))
    hit = _layouts.get((id(meta), features))
    if hit is not None and hit[0] is meta:
        return hit[1]
    stored = [n for n, _ in meta.features]
    kinds = dict(meta.features)
    layout = _Layout(
        1 + len(stored),
        tuple(stored.index(n) + 1 if n in stored else None for n in features),
        tuple(kinds.get(n, "") for n in features),
    )
    if len(_layouts) > 512:
        _layouts.clear()
    _layouts[(id(meta), features)] = (meta, layout)
    return layout
