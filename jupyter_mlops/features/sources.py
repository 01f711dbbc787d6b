"""A feature view's source: the dataset version it reads, as a verified local Parquet file.

The source is resolved when it is used (``NAME`` follows the latest version, ``NAME@vN``
or a tag pins one), and its Parquet schema is checked against the view: every join key,
time column and feature must be there with a type the view's declared type can hold. The
same check runs when a view is defined and when it is read, since a followed dataset may
change shape between the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datasets.models import DatasetVersion
from ..datasets.store import DatasetStore
from ..errors import Invalid
from .models import FeatureView

_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32")
_FLOATS = ("float", "double", "halffloat")


@dataclass(frozen=True)
class Source:
    """A resolved source: the dataset version and its verified Parquet file."""

    version: DatasetVersion
    path: Path
    schema: dict[str, str]  # column → Arrow type name

    def sql(self) -> str:
        """The file as a DuckDB table expression (the path quoted as a string literal)."""
        return "read_parquet('" + str(self.path).replace("'", "''") + "')"


def resolve(datasets: DatasetStore, view: FeatureView, keys: dict[str, str]) -> Source:
    """The source of ``view`` as it is now, checked against the view's columns and its
    entities' join ``keys`` (name → Feast type)."""
    version = datasets.resolve(view.source)
    if version.manifest.kind != "dataframe":
        raise Invalid(
            f"view {view.name!r}: source {view.source!r} is a {version.manifest.kind}, not a "
            "DataFrame; save the feature rows with mlops.datasets.save(name, df)"
        )
    path = datasets.objects.verified_path(version.manifest.object_id)
    import pyarrow.parquet as pq

    schema = arrow_names(pq.read_schema(path))
    where = f"{version.name}@v{version.version}"
    check_keys(view, keys, schema, where)
    check_columns(view, schema, where)
    return Source(version, path, schema)


def accepts(dtype: str, arrow_type: str) -> bool:
    """Whether a column of ``arrow_type`` can be read as the Feast type ``dtype``."""
    if dtype in ("Int32", "Int64"):
        return arrow_type in _INTS or arrow_type == "uint64"
    if dtype in ("Float32", "Float64"):
        return arrow_type in _FLOATS or arrow_type in _INTS
    if dtype == "String":
        return arrow_type in ("string", "large_string") or arrow_type.startswith("dictionary<")
    if dtype == "Bool":
        return arrow_type == "bool"
    return arrow_type.startswith("timestamp[")  # UnixTimestamp


def check_columns(view: FeatureView, schema: dict[str, str], where: str) -> None:
    """Invalid naming every column of ``view`` that ``schema`` lacks or cannot hold."""
    problems: list[str] = []
    for name in (view.timestamp_field, view.created_timestamp_column):
        if name is not None and not schema.get(name, "").startswith("timestamp["):
            found = schema.get(name)
            problems.append(
                f"time column {name!r} " + ("is missing" if found is None else f"is {found}")
            )
    naive = schema.get(view.timestamp_field, "").startswith("timestamp[") and ", tz=" not in (
        schema.get(view.timestamp_field, "")
    )
    if naive and view.timezone is None:
        problems.append(
            f"time column {view.timestamp_field!r} holds naive times: set timezone='UTC' (or "
            "the zone they were written in) on the view"
        )
    for field in view.features:
        found = schema.get(field.name)
        if found is None:
            problems.append(f"feature {field.name!r} is missing")
        elif not accepts(field.dtype, found):
            problems.append(f"feature {field.name!r} is {found}, not {field.dtype}")
    if problems:
        raise Invalid(f"view {view.name!r} does not fit its source {where}: " + "; ".join(problems))


def check_keys(view: FeatureView, keys: dict[str, str], schema: dict[str, str], where: str) -> None:
    """Invalid naming a join key (``keys``: name → Feast type) the source lacks or types
    differently (an int key against a string column never matches: refused, not joined)."""
    problems = []
    for name, dtype in keys.items():
        found = schema.get(name)
        if found is None:
            problems.append(f"join key {name!r} is missing")
        elif not accepts(dtype, found):
            problems.append(f"join key {name!r} is {found}, not {dtype}")
    if problems:
        raise Invalid(f"view {view.name!r} does not fit its source {where}: " + "; ".join(problems))


def arrow_names(schema: Any) -> dict[str, str]:
    """Column → Arrow type name of a pyarrow schema."""
    return {field.name: str(field.type) for field in schema}
