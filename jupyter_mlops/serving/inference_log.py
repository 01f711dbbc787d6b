"""The inference log of an endpoint: every answered request, as rows.

A row is written to the log's tail (a JSON-lines file, one ``write`` per row) before its
answer leaves the router, so a router killed at any moment has logged every request it
answered: the bytes are in the operating system, which a killed process cannot lose (a
power cut can: the tail is not fsynced per row). The tail is rolled by rows and by time into
a Parquet segment, written to a temporary file, fsynced and renamed onto the name its tail
determines, then the tail is removed; a tail left by a crash is rolled at the next start. A
segment is never half-written and never holds a row twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from ..objects import fsync_dir, fsync_file

COLUMNS: dict[str, pa.DataType] = {
    "time": pa.timestamp("ns", tz="UTC"),
    "endpoint": pa.string(),
    "arm": pa.string(),
    "model_version": pa.string(),
    "request_id": pa.string(),
    "input": pa.string(),  # the request body, as sent (MLflow's JSON formats)
    "prediction": pa.string(),  # the answer's body
    "latency_ms": pa.float64(),
    "status": pa.int32(),
}
SCHEMA = pa.schema(list(COLUMNS.items()))
# as a tail holds it: the time in integer nanoseconds (cast to SCHEMA's timestamp after)
_TAIL_SCHEMA = SCHEMA.set(0, pa.field("time", pa.int64()))
ROLL_ROWS = 10_000
ROLL_SECONDS = 5.0
_TAIL = "tail-"
# one encoder for every row (``json.dumps`` with options builds one a call)
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)
_SEGMENT = "segment-"


def _read_tail(path: Path) -> list[dict[str, Any]]:
    """The rows of a tail; a last line cut short (a power cut) is left out."""
    rows = []
    for line in path.read_bytes().splitlines():
        with contextlib.suppress(ValueError):
            rows.append(json.loads(line))
    return rows


def _tail_table(path: Path) -> pa.Table | None:
    """The rows of a tail as a table (None when it has none), parsed by Arrow's JSON reader:
    in C++, without Python's interpreter lock, so rolling a segment in the background does
    not hold up the router answering requests. A tail Arrow refuses (a last line cut short
    by a power cut) is read line by line instead, that line left out."""
    try:
        if path.stat().st_size == 0:
            return None
        try:
            options = pa_json.ParseOptions(explicit_schema=_TAIL_SCHEMA)
            raw = pa_json.read_json(path, parse_options=options).select(list(COLUMNS))
            return raw.set_column(0, "time", raw["time"].cast(COLUMNS["time"]))
        except pa.ArrowInvalid:
            rows = _read_tail(path)
            return _table(rows) if rows else None
    except FileNotFoundError:  # rolled into its segment meanwhile, which the reader reads
        return None


def _segment_of(tail: Path) -> Path:
    """The segment a tail becomes (its name follows from the tail's)."""
    return tail.with_name(_SEGMENT + tail.name.removeprefix(_TAIL)).with_suffix(".parquet")


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in COLUMNS}
    return pa.table(
        {name: pa.array(values, type=COLUMNS[name]) for name, values in columns.items()},
        schema=SCHEMA,
    )


class InferenceLog:
    """The log of one endpoint in ``directory``: :meth:`append` a row per answered request."""

    def __init__(
        self, directory: Path, roll_rows: int = ROLL_ROWS, roll_seconds: float = ROLL_SECONDS
    ) -> None:
        self.directory = directory
        self.roll_rows = roll_rows
        self.roll_seconds = roll_seconds
        directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._segmenting = threading.Lock()  # one writer of segments at a time
        self._rolled: list[Path] = sorted(directory.glob(f"{_TAIL}*.jsonl"))  # a crash's
        self._open_tail()
        self._stop = threading.Event()
        self._roller = threading.Thread(target=self._roll_on_time, daemon=True)
        self._roller.start()
        self.segment_pending()

    def _open_tail(self) -> None:
        self._tail = self.directory / f"{_TAIL}{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.jsonl"
        self._fd = os.open(self._tail, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._rows = 0
        self._opened = time.monotonic()

    def append(self, row: Mapping[str, Any]) -> None:
        """Write one row (``time`` in UTC nanoseconds) to the tail; it is in the operating
        system when this returns."""
        line = _ENCODER.encode(row).encode() + b"\n"
        with self._lock:
            os.write(self._fd, line)
            self._rows += 1
            full = self._rows >= self.roll_rows
            if full:
                self._roll_locked()
        if full:
            threading.Thread(target=self.segment_pending, daemon=True).start()

    def _roll_locked(self) -> None:
        if self._rows == 0:
            return
        os.close(self._fd)
        self._rolled.append(self._tail)
        self._open_tail()

    def roll(self) -> None:
        """Close the tail (if it has rows) and write every closed tail as a segment."""
        with self._lock:
            self._roll_locked()
        self.segment_pending()

    def segment_pending(self) -> None:
        """Write each closed tail as its Parquet segment, then remove the tail; returns once
        every tail closed before the call is a segment."""
        with self._segmenting:
            while True:
                with self._lock:
                    if not self._rolled:
                        return
                    tail = self._rolled.pop(0)
                self._segment(tail)

    def _segment(self, tail: Path) -> None:
        segment = _segment_of(tail)
        if not segment.exists():  # else a crash came between the rename and the unlink
            table = _tail_table(tail)
            if table is not None:
                partial = segment.with_suffix(".parquet.partial")
                pq.write_table(table, partial)
                fsync_file(partial)
                os.replace(partial, segment)
                fsync_dir(self.directory)
        tail.unlink(missing_ok=True)

    def _roll_on_time(self) -> None:
        while not self._stop.wait(min(1.0, self.roll_seconds)):
            with self._lock:
                due = self._rows and time.monotonic() - self._opened >= self.roll_seconds
            if due:
                self.roll()

    def close(self) -> None:
        """Roll what is left into a segment and stop rolling."""
        self._stop.set()
        self._roller.join()
        with self._lock:
            self._roll_locked()
            os.close(self._fd)
            self._tail.unlink(missing_ok=True)  # the new, empty tail
        self.segment_pending()


def read_log(
    directory: Path, since: pd.Timestamp | None = None, last: int | None = None
) -> pd.DataFrame:
    """Every row of a log (segments and tails), oldest first; rows from ``since`` on; only
    the ``last`` newest when given (reading the newest files only)."""
    tails = [
        t  # a tail whose segment exists is being removed: its rows are in the segment
        for t in sorted(directory.glob(f"{_TAIL}*.jsonl"))
        if not _segment_of(t).exists()
    ]
    segments = sorted(directory.glob(f"{_SEGMENT}*.parquet"))
    tables: list[pa.Table] = []
    rows = 0
    # newest first: the tails (not yet segments), then the segments backwards
    for path in [*reversed(tails), *reversed(segments)]:
        if last is not None and rows >= last:
            break
        table = _tail_table(path) if path.suffix == ".jsonl" else _segment_table(path)
        if table is not None:
            tables.append(table)
            rows += table.num_rows
    frame = (pa.concat_tables(tables) if tables else SCHEMA.empty_table()).to_pandas()
    if since is not None:
        frame = frame[frame["time"] >= pd.Timestamp(since)]
    frame = frame.sort_values("time", kind="stable").reset_index(drop=True)
    return frame if last is None else frame.tail(last).reset_index(drop=True)


def _segment_table(path: Path) -> pa.Table | None:
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        return None
