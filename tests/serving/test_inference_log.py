"""The inference log: rows in the operating system before the answer leaves, rolled into
Parquet segments by rows and by time, a crash's tail rolled at the next start, never a row
twice."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from jupyter_mlops.serving.inference_log import InferenceLog, read_log


def row(i: int, at: int | None = None) -> dict[str, object]:
    return {
        "time": at if at is not None else time.time_ns(),
        "endpoint": "cancer",
        "arm": "champion",
        "model_version": "1",
        "request_id": f"r{i}",
        "input": '{"inputs": [[1, 2]]}',
        "prediction": '{"predictions": [0]}',
        "latency_ms": 1.5,
        "status": 200,
    }


def segments(directory: Path) -> list[Path]:
    return sorted(directory.glob("segment-*.parquet"))


def test_rows_roll_into_segments_by_count_and_read_back_in_order(tmp_path: Path) -> None:
    log = InferenceLog(tmp_path, roll_rows=100, roll_seconds=3600)
    for i in range(250):
        log.append(row(i))
    log.segment_pending()
    assert len(segments(tmp_path)) == 2  # 250 rows: two full tails rolled, 50 in the tail
    frame = read_log(tmp_path)
    assert list(frame["request_id"]) == [f"r{i}" for i in range(250)]
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert frame["status"].tolist() == [200] * 250
    log.close()
    assert len(segments(tmp_path)) == 3 and not list(tmp_path.glob("tail-*"))
    assert read_log(tmp_path)["request_id"].tolist() == [f"r{i}" for i in range(250)]


def test_a_quiet_tail_rolls_by_time(tmp_path: Path) -> None:
    log = InferenceLog(tmp_path, roll_rows=10_000, roll_seconds=0.2)
    log.append(row(0))
    deadline = time.monotonic() + 10
    while not segments(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(segments(tmp_path)) == 1
    log.close()


WRITER = """
import os, signal, sys, time
from pathlib import Path
from jupyter_mlops.serving.inference_log import InferenceLog
log = InferenceLog(Path(sys.argv[1]), roll_rows=300, roll_seconds=3600)
for i in range(1000):
    log.append({"time": time.time_ns(), "request_id": f"r{i}", "status": 200})
    if i == 999:
        os.kill(os.getpid(), signal.SIGKILL)  # killed the moment its last answer left
"""


def test_a_killed_writer_loses_no_row_and_its_tail_rolls_at_the_next_start(
    tmp_path: Path,
) -> None:
    done = subprocess.run([sys.executable, "-c", WRITER, str(tmp_path)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert read_log(tmp_path)["request_id"].tolist() == [f"r{i}" for i in range(1000)]
    log = InferenceLog(tmp_path)  # the next start
    log.segment_pending()
    log.close()
    assert not list(tmp_path.glob("tail-*"))
    assert read_log(tmp_path)["request_id"].tolist() == [f"r{i}" for i in range(1000)]


def test_a_crash_between_segment_and_unlink_never_gives_a_row_twice(tmp_path: Path) -> None:
    log = InferenceLog(tmp_path, roll_rows=10, roll_seconds=3600)
    for i in range(10):
        log.append(row(i))
    log.segment_pending()
    [segment] = segments(tmp_path)
    # as if killed after the segment's rename, before its tail's removal
    tail = segment.with_name(segment.name.replace("segment-", "tail-")).with_suffix(".jsonl")
    tail.write_text("".join(json.dumps(row(i)) + "\n" for i in range(10)))
    assert len(read_log(tmp_path)) == 10
    log.close()
    again = InferenceLog(tmp_path)
    again.close()
    assert len(read_log(tmp_path)) == 10 and not tail.exists()


def test_a_line_cut_short_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "tail-00000000000000000001-abcd.jsonl").write_text(
        '{"time": 1, "request_id": "a", "status": 200}\n{"time": 2, "request_id": "b", "sta'
    )
    assert read_log(tmp_path)["request_id"].tolist() == ["a"]


def test_rows_since_a_time(tmp_path: Path) -> None:
    log = InferenceLog(tmp_path)
    base = pd.Timestamp("2026-12-05T10:00:00Z").value
    for i in range(5):
        log.append(row(i, at=base + i * 60 * 10**9))
    log.close()
    since = pd.Timestamp("2026-12-05T10:02:00Z")
    assert read_log(tmp_path, since)["request_id"].tolist() == ["r2", "r3", "r4"]


def test_an_empty_log_reads_as_an_empty_frame_with_its_columns(tmp_path: Path) -> None:
    frame = read_log(tmp_path)
    assert frame.empty and "prediction" in frame.columns


def test_rolls_while_appending_lose_no_row(tmp_path: Path) -> None:
    """10,000 rows with a roll every 400 (segments written in threads meanwhile)."""
    log = InferenceLog(tmp_path, roll_rows=400)
    for i in range(10_000):
        log.append(row(i))
    log.close()
    assert read_log(tmp_path)["request_id"].tolist() == [f"r{i}" for i in range(10_000)]
    assert len(segments(tmp_path)) == 25
