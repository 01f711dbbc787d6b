"""What changed between two versions of a DataFrame dataset.

Schema: columns added, removed, retyped. Rows: counts; with a key, rows added, removed and
changed, counted by DuckDB in one full outer join over the two versions' Parquet objects
(after their hashes are checked), without loading either into pandas. The counts are those
of a pandas outer merge on the key: null keys match null keys, a null (or NaN) staying null
is no change, values of types that cannot be compared (text against numbers) differ unless
both are null. Columns present in both: the shift of each statistic of the manifests (no
data read for that).
"""

from __future__ import annotations

import re
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..contract import StrictModel
from ..errors import Invalid
from ..objects import ObjectStore
from .models import ColumnStats, DatasetVersion
from .reading import naming_version

SHIFTED_STATS = ("nulls", "min", "max", "mean", "std")


class Retyped(StrictModel):
    column: str
    before: str
    after: str


class StatShift(StrictModel):
    column: str
    stat: str
    before: float | None
    after: float | None


class DatasetDiff(StrictModel):
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


_NUMERIC = re.compile(
    r"^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|BOOLEAN)$"
)
_NAIVE_TIME = re.compile(r"^TIMESTAMP(_NS|_MS|_S)?$")
_FLOATS = ("FLOAT", "DOUBLE")


def _family(duckdb_type: str) -> str:
    """Types whose values compare with each other as pandas compares them."""
    if _NUMERIC.fullmatch(duckdb_type):
        return "number"
    if _NAIVE_TIME.fullmatch(duckdb_type):
        return "timestamp"
    if "TZ" in duckdb_type or "TIME ZONE" in duckdb_type:
        return "timestamp with time zone"
    return duckdb_type


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parquet_file(objects: ObjectStore, version: DatasetVersion, stack: ExitStack) -> Path:
    """A local Parquet file of ``version`` whose bytes hash to its id (a verified copy, in a
    temp folder ``stack`` removes, when the store is remote)."""
    digest = version.manifest.object_id
    with naming_version(version):
        if objects.root is not None:
            return objects.verified_path(digest)
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="mlops-diff-"))
        return objects.copy_to(digest, Path(tmp) / "data.parquet")


def keyed_row_changes(
    objects: ObjectStore, a: DatasetVersion, b: DatasetVersion, key: list[str]
) -> dict[str, int]:
    """Rows added, removed and changed from ``a`` to ``b``, matched on ``key``."""
    columns_a = [c.name for c in a.manifest.columns]
    columns_b = [c.name for c in b.manifest.columns]
    for label, columns in (("first", columns_a), ("second", columns_b)):
        missing = [k for k in key if k not in columns]
        if missing:
            raise Invalid(f"key column(s) {missing} not in the {label} version")
    shared = [c for c in columns_a if c in columns_b and c not in key]
    with ExitStack() as stack:
        path_a = _parquet_file(objects, a, stack)
        path_b = _parquet_file(objects, b, stack)
        return _count(path_a, path_b, key, shared)


def _count(path_a: Path, path_b: Path, key: list[str], shared: list[str]) -> dict[str, int]:
    import duckdb

    con = duckdb.connect()
    try:
        types = []
        for path in (path_a, path_b):
            relation = con.read_parquet(str(path))
            types.append(dict(zip(relation.columns, map(str, relation.types), strict=True)))
        for k in key:
            if _family(types[0][k]) != _family(types[1][k]):
                raise Invalid(
                    f"key column {k!r} is {types[0][k]} in the first version and "
                    f"{types[1][k]} in the second: rows cannot be matched on it"
                )
        for label, path in (("first", path_a), ("second", path_b)):
            keys = ", ".join(map(_quote, key))
            duplicate = con.execute(
                f"SELECT 1 FROM read_parquet(?) GROUP BY {keys} HAVING count(*) > 1 LIMIT 1",
                [str(path)],
            ).fetchone()
            if duplicate:
                raise Invalid(f"key {key} is not unique in the {label} version")
        added, removed, changed = con.execute(
            _join_query(key, shared, types[0], types[1]), [str(path_a), str(path_b)]
        ).fetchone() or (0, 0, 0)
    finally:
        con.close()
    return {"rows_added": added, "rows_removed": removed, "rows_changed": changed or 0}


def _join_query(
    key: list[str], shared: list[str], types_a: dict[str, str], types_b: dict[str, str]
) -> str:
    """One full outer join on the key counting rows only in b, only in a, and changed.
    Columns are renamed k0.., c0.. on both sides, so no user column name can clash."""

    def side(types: dict[str, str], marker: str) -> str:
        def value(name: str) -> str:  # NaN counts as null, as pandas' isna does
            column = _quote(name)
            return f"nullif({column}, 'NaN')" if types[name] in _FLOATS else column

        picks = [f"{value(k)} AS k{i}" for i, k in enumerate(key)]
        picks += [f"{value(c)} AS c{i}" for i, c in enumerate(shared)]
        return f"(SELECT {', '.join(picks)}, true AS {marker} FROM read_parquet(?))"

    match = " AND ".join(f"a.k{i} IS NOT DISTINCT FROM b.k{i}" for i in range(len(key)))
    differs = [
        f"a.c{i} IS DISTINCT FROM b.c{i}"
        if _family(types_a[c]) == _family(types_b[c])
        else f"NOT (a.c{i} IS NULL AND b.c{i} IS NULL)"
        for i, c in enumerate(shared)
    ]
    changed = f"count(*) FILTER (WHERE ma AND mb AND ({' OR '.join(differs)}))" if differs else "0"
    return (
        "SELECT count(*) FILTER (WHERE ma IS NULL), count(*) FILTER (WHERE mb IS NULL), "
        f"{changed} FROM {side(types_a, 'ma')} a FULL OUTER JOIN {side(types_b, 'mb')} b "
        f"ON {match}"
    )
