"""The data of the features benchmark, and the joins a user would otherwise write.

Shared by ``features_vs_feast`` (the product's virtualenv) and nothing else: Feast runs in
its own virtualenv (``feast_side.py``), which reads the files written here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

FEATURES = [f"f{i}" for i in range(10)]
TTL = timedelta(days=3)
TTL_SECONDS = int(TTL.total_seconds())
SPAN_SECONDS = 30 * 86_400  # feature rows: 30 days; entity rows: those and 3 more
KEY, TIME, ROW = "driver_id", "event_timestamp", "row_id"


def start_seconds(now: float) -> int:
    """The first second of the feature rows: midnight UTC 30 days before ``now``'s, so the
    newest values are recent and an online lookup finds most of them within the ttl."""
    return int(now // 86_400) * 86_400 - SPAN_SECONDS


def make_frames(entity_rows: int, feature_rows: int, start: int, seed: int = 0) -> tuple[Any, Any]:
    """The entity frame and the feature rows, from ``start`` (seconds since the epoch).

    ``entity_rows`` drivers, so about ten feature rows per driver over 30 days (a value
    every three days on average: about as many rows expire under the 3-day ttl as match).
    Feature rows: whole-second UTC event times, unique per driver (no created timestamp
    breaks ties), ten normal Float64 values. Entity rows: a ``row_id`` (their position,
    carried through every join to align the results), a driver of which 5% never occur in
    the feature rows, a time over the same 30 days and three more (some rows precede all of
    their driver's values); of them, 1% fall exactly on one of their driver's feature times,
    1% exactly the ttl after one, 1% a second later, so the edges of both comparisons are
    joined too.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    drivers = entity_rows
    ids = rng.integers(0, drivers, feature_rows)
    seconds = start + rng.integers(0, SPAN_SECONDS, feature_rows)
    while True:  # unique (driver, time): move a repeated time on by a second
        order = np.lexsort((seconds, ids))
        same = (np.diff(ids[order]) == 0) & (np.diff(seconds[order]) == 0)
        if not same.any():
            break
        seconds[order[1:][same]] += 1
    features = pd.DataFrame({KEY: ids, TIME: pd.to_datetime(seconds, unit="s", utc=True)})
    for name in FEATURES:
        features[name] = rng.normal(size=feature_rows)

    e_ids = rng.integers(0, drivers + drivers // 20, entity_rows)  # ids ≥ drivers: no rows
    e_seconds = start + rng.integers(0, SPAN_SECONDS + TTL_SECONDS, entity_rows)
    edge = max(entity_rows // 100, 1)
    for i, offset in enumerate((0, TTL_SECONDS, TTL_SECONDS + 1)):
        rows = np.arange(i * edge, (i + 1) * edge)
        picked = rng.integers(0, feature_rows, edge)
        e_ids[rows] = ids[picked]
        e_seconds[rows] = seconds[picked] + offset
    entity = pd.DataFrame(
        {
            ROW: np.arange(entity_rows),
            KEY: e_ids,
            TIME: pd.to_datetime(e_seconds, unit="s", utc=True),
        }
    )
    return entity, features


def duckdb_join(connection: Any, entity: Any, path: str) -> Any:
    """The floor: one DuckDB ASOF LEFT JOIN of the entity frame (in memory) with the feature
    rows' Parquet file, the ttl as a filter on the match, back in the entity frame's order.

    ASOF picks each row's newest feature row at or before it; when that one is older than
    the ttl, every earlier one is too, so nulling its values is the ttl's whole effect.
    Positions go in as a column (an ASOF join does not keep the input's order)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(entity, preserve_index=False)
    table = table.append_column("_pos", pa.array(np.arange(len(entity), dtype=np.int64)))
    keep = f"f.{TIME} >= e.{TIME} - to_seconds({TTL_SECONDS})"
    values = ", ".join(f"CASE WHEN {keep} THEN f.{name} END AS {name}" for name in FEATURES)
    columns = ", ".join(f"e.{c}" for c in entity.columns)
    sql = f"""
        SELECT {columns}, {values}
        FROM entity_rows e ASOF LEFT JOIN read_parquet(?) f
          ON e.{KEY} = f.{KEY} AND e.{TIME} >= f.{TIME}
        ORDER BY e._pos
    """
    connection.register("entity_rows", table)
    try:
        return connection.execute(sql, [path]).df()
    finally:
        connection.unregister("entity_rows")


def pandas_join(entity: Any, path: str) -> Any:
    """``pd.read_parquet`` of the feature rows, then ``pd.merge_asof`` by driver, backward,
    exact times matching, tolerance the ttl; both sides sorted by time first (as
    ``merge_asof`` requires), the result put back in the entity frame's order."""
    import pandas as pd

    features = pd.read_parquet(path)
    left = entity.assign(_pos=np.arange(len(entity))).sort_values(TIME, kind="stable")
    right = features.sort_values(TIME, kind="stable")
    joined = pd.merge_asof(
        left,
        right,
        on=TIME,
        by=KEY,
        direction="backward",
        tolerance=pd.Timedelta(TTL),
        allow_exact_matches=True,
    )
    joined = joined.take(np.argsort(joined["_pos"].to_numpy(), kind="stable"))
    return joined.drop(columns="_pos").reset_index(drop=True)


def compare(result: Any, reference: Any) -> dict[str, Any]:
    """How a join's result differs from the reference's, row by row (aligned by
    ``row_id``): rows missing or repeated, and rows whose ten values differ (two nulls are
    equal; values must be bit-identical otherwise), with a few examples."""
    result_ids = result[ROW].to_numpy()
    reference_ids = reference[ROW].to_numpy()
    missing = np.setdiff1d(reference_ids, result_ids)
    repeated = len(result_ids) - len(np.unique(result_ids))
    ours = result.drop_duplicates(ROW).set_index(ROW)
    theirs = reference.drop_duplicates(ROW).set_index(ROW)
    common = theirs.index.intersection(ours.index)
    a = ours.loc[common, FEATURES].to_numpy(dtype=np.float64)
    b = theirs.loc[common, FEATURES].to_numpy(dtype=np.float64)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    bad = ~same.all(axis=1)
    examples = []
    for pos in np.flatnonzero(bad)[:3]:
        column = FEATURES[int(np.flatnonzero(~same[pos])[0])]
        examples.append(
            f"row {int(common[pos])} {column}: {a[pos][FEATURES.index(column)]!r} "
            f"vs {b[pos][FEATURES.index(column)]!r}"
        )
    return {
        "rows": len(result_ids),
        "missing": len(missing),
        "repeated": int(repeated),
        "differ": int(bad.sum()),
        "examples": examples,
    }


def coverage(entity: Any, features: Any) -> dict[str, int]:
    """How the entity rows match, by the definition of a match, computed with a binary
    search in numpy (none of the joins measured): the driver's newest value at or before
    the row, no older than the ttl (times are whole seconds: driver and second pack into
    one int64)."""

    def packed(frame: Any) -> Any:
        seconds = frame[TIME].astype("int64").to_numpy() // 1_000_000_000
        return (frame[KEY].to_numpy().astype(np.int64) << 32) | seconds

    rows, values = packed(entity), np.sort(packed(features))
    at = np.searchsorted(values, rows, side="right") - 1
    newest = values[np.maximum(at, 0)]
    found = (at >= 0) & (newest >> 32 == rows >> 32)
    known = np.isin(rows >> 32, values >> 32)
    expired = found & ((rows & 0xFFFFFFFF) - (newest & 0xFFFFFFFF) > TTL_SECONDS)
    return {
        "matched": int((found & ~expired).sum()),
        "no_key": int((~known).sum()),
        "only_later": int((known & ~found).sum()),
        "expired": int(expired.sum()),
    }
