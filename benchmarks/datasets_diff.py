"""``DatasetStore.diff`` of two 1M-row versions on a key vs a plain pandas merge on that key.

Ours is the whole call behind ``%dataset diff NAME@v1 NAME@v2 --key id``: resolve both
versions, compare the manifests (schema, statistic shifts), check both Parquet objects'
hashes, and count rows added, removed and changed (every shared column compared, a null
staying null is no change) in DuckDB. The baseline is what a user would otherwise write,
and only its first half: read both versions' Parquet files from disk with
``pd.read_parquet`` (the same object files) and ``a.merge(b, on="id", how="outer",
indicator=True)``; it does not yet compare a single column. Both sides' counts are checked
equal to those computed from the baseline's merged frame. The two sides alternate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jupyter_mlops.datasets.store import DatasetStore

from .timing import Result, interleaved_medians, median_seconds, ms
from .workspace import fresh_workspace

ROWS = 1_000_000
REPEAT = 7
TARGET = 2


def versions(rows: int = ROWS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Version 1, and version 2 with 1% of rows removed, 1% added, and some values changed
    in 5% of the rows (numbers, text, nulls appearing and disappearing)."""
    rng = np.random.default_rng(0)

    def draw(ids: np.ndarray) -> pd.DataFrame:
        n = len(ids)
        price = rng.normal(100, 20, n)
        price[rng.random(n) < 0.05] = np.nan
        return pd.DataFrame(
            {
                "id": ids,
                "price": price,
                "qty": rng.integers(0, 50, n),
                "city": rng.choice(np.array(["Oslo", "Lima", "Pune", "Kyiv", None]), n),
                "sku": [f"sku-{i:08d}" for i in rng.integers(0, 10**8, n)],
                "active": rng.random(n) < 0.5,
            }
        )

    before = draw(rng.permutation(rows).astype("int64"))
    after = before.drop(index=rng.choice(rows, rows // 100, replace=False))
    after = pd.concat([after, draw(np.arange(rows, rows + rows // 100))], ignore_index=True)
    redrawn = draw(after["id"].to_numpy())
    touched = rng.random(len(after)) < 0.05
    for column in ("price", "qty", "city", "active"):
        picked = touched & (rng.random(len(after)) < 0.5)
        after.loc[picked, column] = redrawn.loc[picked, column]
    return before, after.sample(frac=1.0, random_state=1, ignore_index=True)


def _counts(merged: pd.DataFrame, shared: list[str]) -> tuple[int, int, int]:
    both = merged[merged["_merge"] == "both"]
    changed = pd.Series(False, index=both.index)
    for column in shared:
        left, right = both[f"{column}_a"], both[f"{column}_b"]
        changed |= (left != right) & ~(left.isna() & right.isna())
    return (
        int((merged["_merge"] == "right_only").sum()),
        int((merged["_merge"] == "left_only").sum()),
        int(changed.sum()),
    )


def run() -> list[Result]:
    """Measure; returns the one result."""
    ws, _ = fresh_workspace("diff")
    store = DatasetStore(ws)
    before, after = versions()
    store.save("bench", before)
    store.save("bench", after)
    paths = [store.objects.path(store.resolve(f"bench@v{n}").manifest.object_id) for n in (1, 2)]
    shared = [c for c in before.columns if c != "id"]
    out: dict[str, Any] = {}

    def ours() -> None:
        out["ours"] = store.diff("bench@v1", "bench@v2", key=["id"])

    def read_both() -> tuple[pd.DataFrame, pd.DataFrame]:
        return pd.read_parquet(paths[0]), pd.read_parquet(paths[1])

    def baseline() -> None:
        a, b = read_both()
        out["merged"] = a.merge(b, on="id", how="outer", suffixes=("_a", "_b"), indicator=True)

    medians = interleaved_medians({"ours": ours, "baseline": baseline}, REPEAT, warmup=1)
    d = out["ours"]
    expected = _counts(out["merged"], shared)
    assert (d.rows_added, d.rows_removed, d.rows_changed) == expected, (d, expected)
    a, b = read_both()
    merge_alone = median_seconds(
        lambda: a.merge(b, on="id", how="outer", suffixes=("_a", "_b"), indicator=True), 3, 1
    )

    def full_diff_in_pandas() -> None:
        baseline()
        _counts(out["merged"], shared)

    whole_pandas = median_seconds(full_diff_in_pandas, 3, 1)
    return [
        Result(
            name="datasets_diff",
            ours=f"DatasetStore.diff of two {ROWS:,}-row versions on a key (DuckDB)",
            ours_seconds=medians["ours"],
            baseline="pd.read_parquet of both + outer merge on the key (no column compared)",
            baseline_seconds=medians["baseline"],
            target=f"≤ {TARGET}× the merge",
            kind="overhead",
            limit=TARGET,
            notes=(
                f"same counts as computed from the pandas merge (checked): {d.rows_added:,} "
                f"added, {d.rows_removed:,} removed, {d.rows_changed:,} changed"
            ),
            details={
                "pandas: reading both versions alone": ms(median_seconds(read_both, 3, 1)),
                "pandas: the merge alone (frames in memory)": ms(merge_alone),
                "pandas: read, merge and compare every column (the full diff in pandas)": ms(
                    whole_pandas
                ),
                "Parquet sizes": " / ".join(f"{p.stat().st_size / 2**20:.0f} MiB" for p in paths),
            },
        )
    ]
