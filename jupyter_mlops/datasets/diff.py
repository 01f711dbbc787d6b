"""What changed between two versions of a DataFrame dataset.

Schema: columns added, removed, retyped. Rows: counts; with a key, rows added, removed and
changed (one merge on the key, so the cost stays close to a plain pandas merge). Columns
present in both: the shift of each statistic of the manifests (no data read for that).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from ..errors import Invalid
from .models import ColumnStats, DatasetVersion

SHIFTED_STATS = ("nulls", "min", "max", "mean", "std")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Retyped(_Model):
    column: str
    before: str
    after: str


class StatShift(_Model):
    column: str
    stat: str
    before: float | None
    after: float | None


class DatasetDiff(_Model):
    a: str  # NAME@vN
    b: str
    columns_added: list[str]
    columns_removed: list[str]
    columns_retyped: list[Retyped]
    rows_a: int | None
    rows_b: int | None
    key: list[str] | None = None
    rows_added: int | None = None
    rows_removed: int | None = None
    rows_changed: int | None = None
    stat_shifts: list[StatShift]


def _by_name(columns: list[ColumnStats]) -> dict[str, ColumnStats]:
    return {c.name: c for c in columns}


def schema_and_stats(a: DatasetVersion, b: DatasetVersion) -> dict[str, Any]:
    """The part of the diff that the two manifests alone answer."""
    ca, cb = _by_name(a.manifest.columns), _by_name(b.manifest.columns)
    shifts = []
    for name in (n for n in ca if n in cb):
        for stat in SHIFTED_STATS:
            before, after = getattr(ca[name], stat), getattr(cb[name], stat)
            if before != after:
                shifts.append(StatShift(column=name, stat=stat, before=before, after=after))
    return {
        "columns_added": [n for n in cb if n not in ca],
        "columns_removed": [n for n in ca if n not in cb],
        "columns_retyped": [
            Retyped(column=n, before=ca[n].dtype, after=cb[n].dtype)
            for n in ca
            if n in cb and ca[n].dtype != cb[n].dtype
        ],
        "stat_shifts": shifts,
    }


def keyed_row_changes(frame_a: Any, frame_b: Any, key: list[str]) -> dict[str, int]:
    """Rows added, removed and changed between two frames, matched on ``key``."""
    for label, frame in (("first", frame_a), ("second", frame_b)):
        missing = [k for k in key if k not in frame.columns]
        if missing:
            raise Invalid(f"key column(s) {missing} not in the {label} version")
        if frame.duplicated(subset=key).any():
            raise Invalid(f"key {key} is not unique in the {label} version")
    shared = [c for c in frame_a.columns if c in frame_b.columns and c not in key]
    merged = frame_a[key + shared].merge(
        frame_b[key + shared], on=key, how="outer", suffixes=("__a", "__b"), indicator=True
    )
    both = merged[merged["_merge"] == "both"]
    changed = None
    for column in shared:
        left, right = both[f"{column}__a"], both[f"{column}__b"]
        differs = (left != right) & ~(left.isna() & right.isna())
        changed = differs if changed is None else (changed | differs)
    return {
        "rows_added": int((merged["_merge"] == "right_only").sum()),
        "rows_removed": int((merged["_merge"] == "left_only").sum()),
        "rows_changed": int(changed.sum()) if changed is not None else 0,
    }
