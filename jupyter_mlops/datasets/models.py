"""The datasets contract: a version's manifest and references to versions."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..errors import Invalid
from .checks import CheckReport

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
VERSION_REF = re.compile(r"^v([1-9][0-9]{0,8})$")
HASH_PREFIX = re.compile(r"^[0-9a-f]{6,64}$")
# Tags start with a letter and are not of the form vN, so no reference is ambiguous
# (a tag of 6+ hex letters such as "cafe01" would read as a hash prefix: refused too).
TAG = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,99}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnStats(_Model):
    name: str
    dtype: str
    nulls: int
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    quantiles: dict[str, float | None] | None = None  # "0.25", "0.5", "0.75"
    top_values: list[tuple[str, int]] | None = None


class Manifest(_Model):
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


class DatasetVersion(_Model):
    name: str
    version: int
    created_at: datetime
    manifest: Manifest
    tags: list[str] = []
    checks_passed: bool | None = None  # None: no checks were evaluated on this version


class SaveResult(_Model):
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
