"""The datasets contract: a version's manifest and references to versions."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from ..contract import StrictModel, UtcDateTime, max_page
from ..errors import Invalid
from .checks import Check, CheckReport

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
VERSION_REF = re.compile(r"^v([1-9][0-9]{0,8})$")
HASH_PREFIX = re.compile(r"^[0-9a-f]{6,64}$")
# Tags start with a letter and are not of the form vN, so no reference is ambiguous
# (a tag of 6+ hex letters such as "cafe01" would read as a hash prefix: refused too).
TAG = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,99}$")


class ColumnStats(StrictModel):
    name: str
    dtype: str
    nulls: int
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    quantiles: dict[str, float | None] | None = None  # "0.25", "0.5", "0.75"
    top_values: list[tuple[str, int]] | None = None


class Manifest(StrictModel):
    """What is known about one version without reading its data."""

    kind: Literal["dataframe", "file", "folder"]
    object_id: str  # for a folder: the id of its tree (see folders.py)
    size: int
    rows: int | None = None
    columns: list[ColumnStats] = []
    key: list[str] | None = None  # columns that identify a row (the default key of diffs)
    file_name: str | None = None
    files: int | None = None  # for a folder: how many files it holds
    parent_version: int | None = None
    author: str
    message: str = ""
    source_notebook: str | None = None
    source_cell: str | None = None


class DatasetVersion(StrictModel):
    name: str
    version: int
    created_at: UtcDateTime
    manifest: Manifest
    tags: list[str] = []
    checks_passed: bool | None = None  # None: no checks were evaluated on this version


class SaveResult(StrictModel):
    version: DatasetVersion
    created: bool  # False when identical content was already the latest version
    checks: CheckReport | None = None


def check_name(name: str) -> str:
    """Dataset names: letters, digits, ``.``, ``_``, ``-``; 1–128 characters."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise Invalid(
            f"{name!r} is not a dataset name (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 128 characters)"
        )
    return name


def check_tag(tag: str) -> str:
    """Tags: a letter, then letters, digits, ``.``, ``_``, ``-``; never ``vN`` or hex-like."""
    if (
        not isinstance(tag, str)
        or not TAG.fullmatch(tag)
        or VERSION_REF.fullmatch(tag)
        or HASH_PREFIX.fullmatch(tag)
    ):
        raise Invalid(
            f"{tag!r} is not a tag (start with a letter; not v1, v2, … nor hex digits, "
            "which name versions and hashes)"
        )
    return tag


def parse_ref(ref: str) -> tuple[str, str | None]:
    """``NAME``, ``NAME@vN``, ``NAME@TAG`` or ``NAME@HASHPREFIX`` → (name, selector)."""
    name, sep, selector = ref.partition("@")
    check_name(name)
    if not sep:
        return name, None
    if VERSION_REF.fullmatch(selector) or HASH_PREFIX.fullmatch(selector):
        return name, selector
    if TAG.fullmatch(selector) and not re.fullmatch(r"v[0-9]+", selector):
        return name, selector
    raise Invalid(
        f"{ref!r}: after '@' give a version (v1, v2, …), a tag, or at least 6 hex digits "
        "of its hash"
    )


# -- the REST contract of the Datasets panel ---------------------------------------------
MAX_PAGE_SIZE = 500


class ListDatasetsQuery(StrictModel):
    """Query of ``GET /mlops/api/datasets``: a name search and a page."""

    search: str = Field(default="", max_length=128, description="Part of the dataset name")
    page: int = Field(default=0, ge=0, le=max_page(MAX_PAGE_SIZE))
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class DatasetSummary(StrictModel):
    name: str
    versions: int
    latest: DatasetVersion | None = None
    checks: int = 0  # how many checks are attached


class ListDatasetsResponse(StrictModel):
    datasets: list[DatasetSummary]
    total: int


class DatasetDetail(StrictModel):
    """A dataset's version timeline (newest first) and its checks."""

    name: str
    versions: list[DatasetVersion]
    checks: list[Check]


class LineageRun(StrictModel):
    """A tracked run that consumed or produced a version."""

    run_id: str
    run_name: str | None = None
    experiment_id: str
    status: str
    start_time: int | None = None
    context: str  # consumed | produced


class FolderFile(StrictModel):
    path: str
    object: str
    size: int


class VersionDetail(StrictModel):
    """One version: manifest, lineage to runs, its check report, its files (folders)."""

    version: DatasetVersion
    lineage: list[LineageRun]
    report: CheckReport | None = None
    files: list[FolderFile] | None = None


class RowsQuery(StrictModel):
    page: int = Field(default=0, ge=0, le=max_page(MAX_PAGE_SIZE))
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class RowsPage(StrictModel):
    """A page of a table version's rows, values as JSON (dates as ISO text, NaN as null)."""

    columns: list[str]
    dtypes: list[str]
    rows: list[list[Any]]
    page: int
    page_size: int
    total: int


class RecordVersionBody(StrictModel):
    """Body of ``POST /mlops/api/datasets/{name}/versions`` (team mode): record as the next
    version a DataFrame whose Parquet bytes are in the object store already, under the id
    they hash to. Who saved it is the signed-in user."""

    object_id: str = Field(pattern=r"^[0-9a-f]{64}$", description="BLAKE3 of the Parquet bytes")
    message: str = Field(default="", max_length=10_000)
    key: list[str] | None = Field(default=None, max_length=100)
    tag: str | None = Field(default=None, min_length=1, max_length=80)
    notebook: str | None = Field(default=None, max_length=4096)
    cell: str | None = Field(default=None, max_length=200)


class DiffQuery(StrictModel):
    """Query of the diff route: two version selectors of one dataset, an optional key."""

    a: str = Field(min_length=1, max_length=80, description="v1, a tag or a hash prefix")
    b: str = Field(min_length=1, max_length=80)
    key: list[str] = Field(default_factory=list, description="Columns to match rows on")
