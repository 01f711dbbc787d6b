"""The features contract, in Feast's vocabulary: entities, feature views, feature services.

A *spec* is what a user defines; the stored definition adds its version and who made it.
Every change of a spec is a new version (an unchanged spec answers the latest one), so a
training set records the exact view versions it used and resolves to them again later.

A view's ``source`` is a dataset of the datasets area: ``NAME`` follows its latest
version, ``NAME@vN`` (or a tag) pins one. Names of entities, views, services, join keys
and features are identifiers (they become column names, and ``view__feature`` with
``full_names``), so they are checked here once.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from ..contract import Count, Id, StrictModel, UtcDateTime
from ..errors import Invalid
from ..identity import ActorSource

# Feast's value types (feast.types), spelled as Feast spells them in a repository.
FeatureType = Literal["Int32", "Int64", "Float32", "Float64", "String", "Bool", "UnixTimestamp"]
FEATURE_TYPES: tuple[str, ...] = FeatureType.__args__  # type: ignore[attr-defined]

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,62}", re.ASCII)
COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}", re.ASCII)
MAX_TTL_SECONDS = 100 * 366 * 86_400  # a century: any real ttl, and far from overflowing ns

DefinitionKind = Literal["entity", "view", "service"]
MatchStatus = Literal["matched", "no_key", "only_later", "expired"]
OnlineStatus = Literal["present", "missing", "expired"]


def check_name(name: str, what: str = "name") -> str:
    """Entity, view and service names: a letter, then letters, digits, ``_`` (≤ 63), never
    ``__`` (which separates view and feature in full names)."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or "__" in name:
        raise Invalid(
            f"{what} {str(name)[:80]!r} is not valid: use a letter, then letters, digits "
            "or single underscores (at most 63 characters)"
        )
    return name


def check_column(name: str, what: str) -> str:
    """Join keys, feature names and time columns: identifiers of at most 128 characters."""
    if not isinstance(name, str) or not COLUMN.fullmatch(name):
        raise Invalid(
            f"{what} {str(name)[:80]!r} is not a valid column name: use letters, digits "
            "and underscores, not starting with a digit"
        )
    return name


class FieldSpec(StrictModel):
    """A typed column: a join key of an entity or a feature of a view."""

    name: str
    dtype: FeatureType
    description: str = Field(default="", max_length=2000)

    @field_validator("name")
    @classmethod
    def _column(cls, value: str) -> str:
        return check_column(value, "column")


class _Described(StrictModel):
    description: str = Field(default="", max_length=2000)
    owner: str = Field(default="", max_length=200)
    tags: dict[str, str] = {}

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 50 or any(len(k) > 100 or len(v) > 500 for k, v in value.items()):
            raise Invalid("tags: at most 50, keys ≤ 100 and values ≤ 500 characters")
        return value


class EntitySpec(_Described):
    """An entity: what feature rows are about (a driver, a customer), and its join keys."""

    name: str
    join_keys: list[FieldSpec] = Field(min_length=1, max_length=8)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_name(value, "entity name")


class FeatureViewSpec(_Described):
    """Features of one or more entities, read from a dataset, in event time.

    ``ttl_seconds``: how old a value may be, as of the row it is joined to (None: any).
    ``timezone``: how to read naive timestamps of the source (None: refuse them).
    """

    name: str
    entities: list[str] = Field(min_length=1, max_length=8)
    source: str = Field(min_length=1, max_length=300)
    timestamp_field: str
    created_timestamp_column: str | None = None
    ttl_seconds: int | None = Field(default=None, ge=1, le=MAX_TTL_SECONDS)
    features: list[FieldSpec] = Field(min_length=1, max_length=500)
    timezone: str | None = Field(default=None, max_length=64)
    online: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_name(value, "view name")

    @field_validator("entities")
    @classmethod
    def _entities(cls, value: list[str]) -> list[str]:
        return [check_name(name, "entity name") for name in value]

    @field_validator("timestamp_field", "created_timestamp_column")
    @classmethod
    def _time_columns(cls, value: str | None) -> str | None:
        return None if value is None else check_column(value, "timestamp column")


class FeatureServiceSpec(_Described):
    """The features a model consumes: ``view:feature`` references, or ``view`` for all of
    a view's features."""

    name: str
    features: list[str] = Field(min_length=1, max_length=2000)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_name(value, "service name")


class Versioned(StrictModel):
    """What the store adds to a spec: its version and who saved it, when."""

    version: Id
    created_at: UtcDateTime
    author: str
    author_source: ActorSource | None = None


class Entity(EntitySpec, Versioned):
    pass


class FeatureView(FeatureViewSpec, Versioned):
    pass


class FeatureService(FeatureServiceSpec, Versioned):
    pass


Definition = Entity | FeatureView | FeatureService


class FeatureRef(StrictModel):
    """One feature of one view, as a training set or a lookup resolves it."""

    view: str
    feature: str

    def __str__(self) -> str:
        return f"{self.view}:{self.feature}"


def parse_ref(text: str) -> tuple[str, str | None]:
    """``view:feature`` → (view, feature); ``view`` → (view, None) for all its features."""
    if not isinstance(text, str):
        raise Invalid(f"feature reference {text!r} must be a string 'view:feature'")
    view, sep, feature = text.partition(":")
    check_name(view, f"view in feature reference {text!r}:")
    if sep and feature != "*":
        check_column(feature, f"feature in reference {text!r}:")
        return view, feature
    return view, None


# -- what the surfaces read back -------------------------------------------------------------
class ViewUse(StrictModel):
    """A view as one training set or lookup used it: its version and its source's bytes."""

    view: str
    view_version: Id
    dataset: str
    dataset_version: Id
    object_id: str
    features: list[str]


class ViewCoverage(StrictModel):
    """How the rows of a training set matched one view."""

    view: str
    rows: Count
    matched: Count
    no_key: Count  # the key never occurs in the view
    only_later: Count  # the key's values are all newer than the row
    expired: Count  # the newest value at or before the row is older than the ttl

    @property
    def share(self) -> float:
        return self.matched / self.rows if self.rows else 1.0


class TrainingSetInfo(StrictModel):
    """What a training set was made from, and how well it matched (recorded on runs)."""

    service: str | None = None
    service_version: Id | None = None
    features: list[str]  # view:feature references, in column order
    views: list[ViewUse]
    coverage: list[ViewCoverage]
    rows: Count
    digest: str | None = None  # BLAKE3 of the frame's content, once recorded or saved


class Materialization(StrictModel):
    """One write of a view's latest values into the online store."""

    id: Id
    view: str
    view_version: Id
    dataset: str
    dataset_version: Id
    mode: Literal["full", "incremental"]
    status: Literal["running", "done", "failed"]
    rows: Count = 0  # entities written
    watermark: UtcDateTime | None = None  # the newest event time written so far
    started_at: UtcDateTime
    finished_at: UtcDateTime | None = None
    author: str
    author_source: ActorSource | None = None
    error: str | None = None


class OnlineFeature(StrictModel):
    """One view's values for one entity, as the online store answers them."""

    view: str
    status: OnlineStatus
    event_time: UtcDateTime | None = None
    age_seconds: float | None = None


class OnlineRow(StrictModel):
    key: dict[str, str | int | float | bool | None]
    values: dict[str, str | int | float | bool | None]
    views: list[OnlineFeature]


class OnlineResult(StrictModel):
    """The answer of a lookup, one row per requested entity, in the request's order."""

    features: list[str]
    rows: list[OnlineRow]
