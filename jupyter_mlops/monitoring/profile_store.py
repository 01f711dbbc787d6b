"""Reference profiles of dataset versions, kept so that later checks skip the reference.

A monitor checks new batches against the same reference version again and again. The
first check against a version stores each column's profile (``profiles.py``: sorted usable
numbers with their standard deviation, or string categories with their counts, and the
missing and infinite counts) as an object of the workspace's object store, named by its own
digest; the state DB row ``mlops_reference_profiles`` says which object is the profile of
(the version's content object id, the column, the profile ``FORMAT``). A later check reads
those objects instead of reading, verifying and sorting the reference's data.

Why a profile is never stale: a dataset version's content never changes, and a changed
dataset is a new version with a new content object id, which has no profile until a check
computes one; a new ``FORMAT`` finds no profile of the old one. Why it is never wrong: an
object is verified against its digest when read, and its header must agree with the version
(rows) and with itself (value counts); a missing, corrupted or unreadable profile is left
aside with a warning and the column is computed from the data, as in a first check.

Object layout (format 1): ``MAGIC``, the header's length (8 bytes, little-endian), the
header (JSON), zero padding to a multiple of 8 bytes, then the sorted values' bytes (a number
column only; little-endian, the column's own dtype).
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, get_args

import numpy as np
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..errors import Corrupt, NotFound
from ..objects import ObjectStore
from ..state import StateStore, now
from .column_types import ValueKind
from .orm import ReferenceProfileRow
from .profiles import NUMBER_DTYPE_KINDS, Categories, ColumnProfile, Usable

FORMAT = 1
MAGIC = b"jupyter-mlops reference profile\n"
MAX_STORED_CATEGORIES = 100_000  # more distinct strings than this: computed each check

log = logging.getLogger(__name__)


class BadProfile(ValueError):
    """A stored profile that cannot be used (wrong layout, or disagreeing with its data)."""


def storable(profile: ColumnProfile) -> bool:
    """Whether a profile can be stored: sorted values of a numpy number dtype, or strings
    (an object column holding only strings) with not too many distinct values."""
    if profile.sorted_values is not None:
        return profile.sorted_values.dtype.kind in NUMBER_DTYPE_KINDS
    counted = profile.counted
    return (
        counted is not None
        and profile.dtype == "object"
        and profile.value_kind == "string"
        and profile.usable.infinite == 0
        and len(counted.values) <= MAX_STORED_CATEGORIES
        and all(isinstance(v, str) for v in counted.values)
    )


def encode(profile: ColumnProfile) -> bytes:
    """The bytes of a storable profile (deterministic: the same profile, the same digest)."""
    usable = profile.usable
    header: dict[str, Any] = {
        "format": FORMAT,
        "rows": usable.rows,
        "missing": usable.missing,
        "infinite": usable.infinite,
        "dtype": profile.dtype,
        "value_kind": profile.value_kind,
    }
    payload = b""
    if profile.sorted_values is not None:
        values = profile.sorted_values
        little = values.astype(values.dtype.newbyteorder("<"), copy=False)
        std = profile.standard_deviation() if values.size else None
        header |= {"sorted": values.dtype.str.lstrip("<>|="), "std": std}
        payload = little.tobytes()
    else:
        assert profile.counted is not None
        header |= {
            "categories": [str(v) for v in profile.counted.values],
            "counts": [int(c) for c in profile.counted.counts],
        }
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-(len(MAGIC) + 8 + len(text)) % 8)
    return MAGIC + struct.pack("<Q", len(text)) + text + payload


def decode(data: bytes, rows: int | None = None) -> ColumnProfile:
    """A profile from its bytes; ``rows``, when known, must be the version's row count."""
    start = len(MAGIC) + 8
    if len(data) < start or not data.startswith(MAGIC):
        raise BadProfile("not a reference profile")
    (length,) = struct.unpack_from("<Q", data, len(MAGIC))
    try:
        header = json.loads(data[start : start + length])
        if header["format"] != FORMAT:
            raise BadProfile(f"format {header['format']}, not {FORMAT}")
        usable = Usable(int(header["rows"]), int(header["missing"]), int(header["infinite"]))
        if rows is not None and usable.rows != rows:
            raise BadProfile(f"{usable.rows} rows, where the version has {rows}")
        if header["value_kind"] not in get_args(ValueKind):
            raise BadProfile(f"unknown value kind {header['value_kind']!r}")
        common = {"usable": usable, "dtype": str(header["dtype"])}
        common["value_kind"] = header["value_kind"]
        if "sorted" in header:
            return _numbers(data, start + length, header, common)
        return _strings(header, common)
    except BadProfile:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise BadProfile(f"unreadable header ({error!r})") from error


def _numbers(
    data: bytes, offset: int, header: Mapping[str, Any], common: dict[str, Any]
) -> ColumnProfile:
    dtype = np.dtype("<" + str(header["sorted"]))
    count = common["usable"].values
    if dtype.kind not in NUMBER_DTYPE_KINDS or dtype.itemsize * count != len(data) - offset:
        raise BadProfile(f"{len(data) - offset} bytes of {dtype} for {count} values")
    values = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    values = values.astype(dtype.newbyteorder("="), copy=False)
    std = header["std"]
    return ColumnProfile(
        **common,
        sorted_values=values,
        std=None if std is None else float(std),
        _floats=values if values.dtype == np.float64 else None,
    )


def _strings(header: Mapping[str, Any], common: dict[str, Any]) -> ColumnProfile:
    names, counts = header["categories"], np.asarray(header["counts"], dtype=np.int64)
    if not all(isinstance(v, str) for v in names) or len(names) != counts.size:
        raise BadProfile("categories and counts do not pair up")
    expected = common["usable"].values
    if int(counts.sum()) != expected or (counts <= 0).any():
        raise BadProfile(f"counts add up to {int(counts.sum())}, not {expected} values")
    values = pd.Index(names, dtype=object)
    return ColumnProfile(**common, counted=Categories(values, counts))


def _bytes_of(source: Path | IO[bytes]) -> bytes:
    return source.read_bytes() if isinstance(source, Path) else source.read()


class ReferenceProfiles:
    """The stored profiles of the state DB and object store behind ``store``."""

    def __init__(self, store: StateStore, objects: ObjectStore) -> None:
        self.store = store
        self.objects = objects

    def stored(self, source_object_id: str, columns: Iterable[str]) -> dict[str, str]:
        """The profile object id of each of ``columns`` that has one."""
        wanted = set(columns)
        with self.store.session() as session:
            rows = session.execute(
                select(ReferenceProfileRow.column_name, ReferenceProfileRow.profile_object_id)
                .where(ReferenceProfileRow.source_object_id == source_object_id)
                .where(ReferenceProfileRow.format == FORMAT)
            ).all()
        return {name: digest for name, digest in rows if name in wanted}

    def read(self, digest: str, rows: int | None) -> ColumnProfile | None:
        """The profile stored under ``digest``, verified; None (and a warning) if it is
        missing, corrupted or unusable."""
        try:
            return decode(self.objects.read_verified(digest, _bytes_of), rows)
        except (NotFound, Corrupt, BadProfile, OSError) as error:
            log.warning("reference profile %s left aside (%s): computing it again", digest, error)
            return None

    def put(self, profile: ColumnProfile) -> str:
        """Store a profile's object; returns its digest."""
        return self.objects.put_bytes(encode(profile))

    def remember(self, source_object_id: str, digests: Mapping[Hashable, str]) -> None:
        """Record ``digests`` (column -> profile object id) as the profiles of the content
        ``source_object_id``, replacing what was recorded for those columns."""
        if not digests:
            return
        names = [str(name) for name in digests]
        try:
            with self.store.session() as session:
                session.execute(
                    delete(ReferenceProfileRow)
                    .where(ReferenceProfileRow.source_object_id == source_object_id)
                    .where(ReferenceProfileRow.format == FORMAT)
                    .where(ReferenceProfileRow.column_name.in_(names))
                )
                created = now()
                session.add_all(
                    ReferenceProfileRow(
                        source_object_id=source_object_id,
                        column_name=str(name),
                        format=FORMAT,
                        profile_object_id=digest,
                        created_at=created,
                    )
                    for name, digest in digests.items()
                )
        except IntegrityError:  # another process recorded the same columns at once
            log.info("reference profiles of %s recorded by another check", source_object_id)
