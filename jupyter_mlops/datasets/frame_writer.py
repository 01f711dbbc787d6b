"""Writing a DataFrame as Parquet, with its manifest's statistics computed alongside.

The frame is converted to Arrow in batches and written in row groups of ``ROW_GROUP`` rows
(a page of the Datasets panel reads one row group, never the whole file), straight into the
object store's staging file: no second copy of the frame is ever made. Converting a batch
needs the GIL (Python objects); encoding one into Parquet does not, so the batch before is
encoded by another thread meanwhile. Two more threads compute the statistics: one the
numbers, datetimes and counts of ``stats.column_entry`` for every column but text, the
other hashes each batch of a text column and, once the last is hashed, counts its most
frequent values (``text_counts``) while that batch is encoded and the file fsynced. The
statistics are those of ``stats.column_stats`` (pandas), value for value.

A dictionary page is kept to ``DICTIONARY_PAGE_LIMIT``: a column with many distinct values
per row group (ids, measurements, free text) falls back to plain encoding after a few
thousand values instead of building a dictionary for every row group, which costs time
and makes the file larger; a column of few distinct values stays dictionary-encoded.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from types import TracebackType
from typing import Any

from ..progress import Progress
from .models import ColumnStats
from .stats import column_entry
from .text_counts import TextCounts, is_text

ROW_GROUP = 65_536
BATCH_GROUPS = 16  # row groups converted to Arrow at once (a text column's: hashed at once)
DICTIONARY_PAGE_LIMIT = 64 * 1024


class FrameWriter:
    """Writes one frame (``write``, the staging callable of ``ObjectStore.put_staged``)
    and gathers its statistics (``finish``, while the file is fsynced) into ``columns``.
    Use it as a context manager: its threads end with the block."""

    def __init__(self, frame: Any, progress: Progress | None = None) -> None:
        self.frame = frame
        self.progress = progress
        # The schema (and the index metadata) of the whole frame; data goes in batches.
        self.schema = arrow_schema(frame)
        self.columns: list[ColumnStats] = []
        fields = {field.name: field.type for field in self.schema}
        self._text = {
            name: TextCounts()
            for name in frame.columns
            if is_text(frame[name], fields.get(str(name)))
        }
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="mlops-frame-stats")
        self._entries = self._pool.submit(self._entries_of_every_column)
        self._hashing: list[Future[None]] = []
        self._text_entries: Future[dict[Any, ColumnStats]] | None = None
        self._local = threading.local()
        self._duckdb: Any = None
        self._duckdb_lock = threading.Lock()

    def __enter__(self) -> FrameWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._duckdb is not None:
            self._duckdb.close()

    def write(self, path: Path) -> None:
        """Write the frame to ``path`` as Parquet, its statistics computed alongside. Each
        batch of rows is converted to Arrow (which needs the GIL for Python objects) while
        the one before is encoded into the file by another thread (which does not)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame = self.frame
        batch = BATCH_GROUPS * ROW_GROUP
        encoder = ThreadPoolExecutor(1, thread_name_prefix="mlops-parquet-writer")
        previous: tuple[Future[None], int, int] | None = None
        try:
            with pq.ParquetWriter(
                path, self.schema, dictionary_pagesize_limit=DICTIONARY_PAGE_LIMIT
            ) as writer:
                try:
                    for start in range(0, max(len(frame), 1), batch):
                        chunk = frame.iloc[start : start + batch]
                        table = pa.Table.from_pandas(chunk, schema=self.schema, preserve_index=None)
                        for name, counts in self._text.items():
                            column = table.column(str(name))
                            hashed = self._pool.submit(self._hash, counts, start, column)
                            self._hashing.append(hashed)
                        if previous is not None:
                            self._written(*previous)
                        previous = (encoder.submit(_row_groups, writer, table), start, len(table))
                    # the text columns' counts: while the last batch is encoded
                    self._text_entries = self._pool.submit(self._entries_of_text_columns)
                    if previous is not None:
                        self._written(*previous)
                finally:  # never close the file under the encoder
                    if previous is not None:
                        wait([previous[0]])
        finally:
            encoder.shutdown(wait=True)

    def _written(self, encoded: Future[None], start: int, rows: int) -> None:
        """Wait for a batch of ``rows`` rows from ``start`` to be encoded; report it."""
        encoded.result()
        if self.progress is not None:
            for offset in range(0, max(rows, 1), ROW_GROUP):
                done = start + min(offset + ROW_GROUP, rows)
                self.progress(done, len(self.frame), "writing rows")

    def finish(self) -> None:
        """Complete the statistics into ``columns`` (waiting for the threads' part)."""
        assert self._text_entries is not None, "write() first"
        text = self._text_entries.result()
        entries = self._entries.result()
        self.columns = [
            entry if entry is not None else text[name]
            for entry, name in zip(entries, self.frame.columns, strict=True)
        ]

    def _entries_of_every_column(self) -> list[ColumnStats | None]:
        """``stats.column_entry`` of every column but the text ones (None)."""
        return [
            None if name in self._text else column_entry(name, self.frame[name], numpy_numbers=True)
            for name in self.frame.columns
        ]

    def _entries_of_text_columns(self) -> dict[Any, ColumnStats]:
        """The text columns' statistics, ``column_entry``'s, from the hashes of their
        values (once every batch is hashed: those tasks were queued before this one)."""
        for hashed in self._hashing:
            hashed.result()
        entries = {}
        for name, counts in self._text.items():
            series = self.frame[name]
            entries[name] = ColumnStats(
                name=str(name),
                dtype=str(series.dtype),
                nulls=counts.nulls,
                top_values=counts.top(series),
            )
        return entries

    def _hash(self, counts: TextCounts, start: int, column: Any) -> None:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:  # one DuckDB cursor per thread of the pool
            cursor = self._local.cursor = self._connection().cursor()
        counts.add(cursor, start, column)

    def _connection(self) -> Any:
        with self._duckdb_lock:
            if self._duckdb is None:
                import duckdb

                self._duckdb = duckdb.connect()
            return self._duckdb


def _row_groups(writer: Any, table: Any) -> None:
    """Write ``table`` as row groups of ``ROW_GROUP`` rows."""
    for offset in range(0, max(len(table), 1), ROW_GROUP):
        writer.write_table(table.slice(offset, ROW_GROUP), row_group_size=ROW_GROUP)


def arrow_schema(frame: Any) -> Any:
    """``pa.Schema.from_pandas(frame, preserve_index=None)``, without converting the text.

    Arrow finds an object column's type by converting the whole column, which for text
    costs as much as writing it. When the index is a RangeIndex (kept as metadata only)
    and every object column holds only strings and missing values (pandas'
    ``infer_dtype``) or nothing at all, the schema is that of the frame's first zero rows
    with those columns typed as Arrow strings, their pandas type ``unicode``, and the
    range's end put back: the same schema (the tests compare the two). Any other frame
    gets Arrow's own."""
    import json

    import pandas as pd
    import pyarrow as pa

    kinds = {
        name: pd.api.types.infer_dtype(frame[name], skipna=True)
        for name in frame.columns
        if frame[name].dtype == object
    }
    fast = isinstance(frame.index, pd.RangeIndex) and frame.columns.is_unique
    if not fast or not set(kinds.values()) <= {"string", "empty"}:
        return pa.Schema.from_pandas(frame, preserve_index=None)
    empty = pa.Schema.from_pandas(frame.iloc[:0], preserve_index=None)
    meta = json.loads(empty.metadata[b"pandas"])
    [index] = meta["index_columns"]
    index["stop"] = frame.index.stop
    text = {str(name) for name, kind in kinds.items() if kind == "string"}
    for column in meta["columns"]:
        if column["field_name"] in text:
            column["pandas_type"] = "unicode"
    fields = [pa.field(f.name, pa.string()) if f.name in text else f for f in empty]
    return pa.schema(fields, metadata={**empty.metadata, b"pandas": json.dumps(meta).encode()})
