"""Pieces every area's REST contract shares: a strict base model, times in UTC with an
offset on the wire, integers a database column can hold, and integer ids read from a path.

The state DB stores naive UTC times. :data:`UtcDateTime` keeps them naive in Python (an
aware time given to a model is converted to naive UTC, so a request may send one) and
writes them in JSON with their offset (``2026-12-05T02:33:41Z``), which is what the
OpenAPI document's ``format: date-time`` means.

Every integer a request carries is bounded at 64 bits, so that it, and an offset computed
from it (``page * page_size``), fits in SQLite and in a PostgreSQL BIGINT; a PostgreSQL
INTEGER column (most ids) holds less, and a number past it is a 400 (``db._in_range``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, ValidationError

from .errors import Invalid

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class StrictModel(BaseModel):
    """A contract model: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorResponse(StrictModel):
    """The body of every 4xx and 5xx answer under ``/mlops/api/``: what went wrong, and
    which kind of error it is (the base handler's one mapper)."""

    message: str
    reason: Literal["NotFound", "Invalid", "Conflict", "Forbidden", "Error"]


def _naive_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _with_offset(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


UtcDateTime = Annotated[
    datetime,
    AfterValidator(_naive_utc),
    PlainSerializer(_with_offset, return_type=datetime, when_used="json"),
]
"""A time in UTC: naive in Python (as the DB stores it), with its offset in JSON."""

Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
"""Any integer a signed 64-bit column holds."""

Count = Annotated[int, Field(ge=0, le=INT64_MAX)]
"""An offset, a count: 0 up to the largest 64-bit integer."""

Id = Annotated[int, Field(ge=1, le=INT64_MAX)]
"""A row id or a version number: a positive 64-bit integer."""


def max_page(max_page_size: int) -> int:
    """The largest page number whose offset (``page * page_size``) still fits in 64 bits."""
    return INT64_MAX // max_page_size


def validation_message(exc: ValidationError) -> str:
    """A refused model's errors in one line, each naming where: ``field: problem; …``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "request"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_id(text: str, what: str) -> int:
    """An integer id from a path segment: digits only, at most :data:`INT64_MAX`.

    A bigger number can be no row's id, but it cannot reach the database either (it
    would overflow the driver): both mistakes are a 400 naming the real reason.
    """
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        raise Invalid(f"{what} id must be a whole number, not {str(text)[:40]!r}")
    if len(text.lstrip("0")) > len(str(INT64_MAX)) or int(text) > INT64_MAX:
        raise Invalid(f"{what} id must be at most {INT64_MAX}")
    return int(text)
