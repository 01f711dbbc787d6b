"""Peak memory of ``DatasetStore.save`` of a DataFrame against the frame's own size.

Each measurement runs in a fresh Python process that builds the frame, makes one small save
first (so imports, the state database and the Arrow memory pool are warm), resets the
kernel's peak-RSS counter (``/proc/self/clear_refs``), saves, then reads the peak
(``VmHWM``). The ratio is that peak minus the RSS just before the save, over the frame's
``memory_usage(deep=True)`` (every Python string counted). RSS counts everything the
process touches: pandas' copies, Arrow's pool (jemalloc/mimalloc keep freed memory), the
statistics of the manifest, and the pages of the Parquet file mapped while it is hashed
(file pages the kernel may drop, but RSS all the same). For comparison, the same is
measured for pandas' own one-shot ``frame.to_parquet(path)``.

The same module times the whole save against ``frame.to_parquet(path)`` of the same frame
(the row ``datasets_save_frame``): in one more fresh process, after a small warm-up of
each, ``DatasetStore.save`` (Parquet written into the store, fsynced and hashed, the
manifest's column statistics, the version recorded) and ``to_parquet`` (no fsync)
alternate, each first in turn; every save is a first save (the stored object is removed
after each), and its statistics are checked equal to ``stats.column_stats`` of the frame
(pandas), value for value.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .timing import Result

ROWS = 6_000_000
CITIES = ["Oslo", "Lima", "Pune", "Kyiv"]
TARGET = 1.0
TIME_TARGET = 1.5
TIME_REPEAT = 4  # even: each side goes first equally often


def _status_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    assert match, f"no {field} in /proc/self/status"
    return int(match.group(1))


def make_frame(rows: int) -> Any:
    """Numbers, timestamps, a category, short repeated and long unique text."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, rows)
    x[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "id": np.arange(rows, dtype="int64"),
            "ts": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 10**9, rows), "s"),
            "x": x,
            "qty": rng.integers(0, 100, rows, dtype="int32"),
            "city": pd.Categorical.from_codes(rng.integers(0, 4, rows), CITIES),
            "customer": [f"customer-{i:09d}" for i in rng.permutation(rows)],
        }
    )


def _child(root: str, side: str, rows: int) -> dict[str, Any]:
    """Runs in the measuring process: one save (or to_parquet) of a fresh frame."""
    import gc
    import time

    import pyarrow as pa

    from jupyter_mlops.datasets.store import DatasetStore
    from jupyter_mlops.workspace import resolve_workspace

    store = DatasetStore(resolve_workspace(root))
    frame = make_frame(rows)
    store.save("warm-up", make_frame(1000))
    make_frame(1000).to_parquet(Path(root) / "warm-up.parquet")
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    if side == "ours":
        store.save("big", frame)
    else:
        frame.to_parquet(Path(root) / "big.parquet")
    seconds = time.perf_counter() - start
    return {
        "frame_bytes": int(frame.memory_usage(deep=True, index=True).sum()),
        "peak_increase_bytes": (_status_kib("VmHWM") - before) * 1024,
        "arrow_pool_peak_bytes": pa.default_memory_pool().max_memory(),
        "arrow_pool": pa.default_memory_pool().backend_name,
        "seconds": seconds,
    }


def _timed_child(root: str, rows: int) -> dict[str, Any]:
    """Runs in the timing process: saves and ``to_parquet`` calls of one frame, alternating."""
    import time

    from jupyter_mlops.datasets.stats import column_stats
    from jupyter_mlops.datasets.store import DatasetStore
    from jupyter_mlops.workspace import resolve_workspace

    store = DatasetStore(resolve_workspace(root))
    frame = make_frame(rows)
    store.save("warm-up", make_frame(1000))
    make_frame(1000).to_parquet(Path(root) / "warm-up.parquet")
    seconds: dict[str, list[float]] = {"ours": [], "pandas": []}
    cpu: dict[str, list[float]] = {"ours": [], "pandas": []}
    saved = []
    for i in range(TIME_REPEAT):
        for side in ("ours", "pandas") if i % 2 == 0 else ("pandas", "ours"):
            os.sync()
            cpu_start, start = time.process_time(), time.perf_counter()
            if side == "ours":
                saved.append(store.save(f"big-{i}", frame).version.manifest)
            else:
                frame.to_parquet(Path(root) / f"big-{i}.parquet")
            seconds[side].append(time.perf_counter() - start)
            cpu[side].append(time.process_time() - cpu_start)
        stored = store.objects.path(saved[-1].object_id)
        stored.chmod(0o644)
        stored.unlink()
        (Path(root) / f"big-{i}.parquet").unlink()
    expected = [c.model_dump() for c in column_stats(frame)]
    for manifest in saved:
        assert [c.model_dump() for c in manifest.columns] == expected, "statistics differ"
    return {
        "ours": seconds["ours"],
        "pandas": seconds["pandas"],
        "ours_cpu": cpu["ours"],
        "pandas_cpu": cpu["pandas"],
        "parquet_bytes": saved[0].size,
    }


def _measure(side: str, rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mlops-bench-memory-") as root:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.datasets_save_memory", root, side, str(rows)],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "JUPYTER_MLOPS_ROOT": root},
        )
        if done.returncode:
            raise RuntimeError(f"memory measurement of {side} failed:\n{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def run(rows: int = ROWS) -> list[Result]:
    """Measure; returns the memory result (values in bytes) and the time result."""
    ours = _measure("ours", rows)
    pandas = _measure("pandas", rows)
    timed = _measure("time", rows)
    size = ours["frame_bytes"]

    def line(m: dict[str, Any]) -> str:
        return (
            f"{_mib(m['peak_increase_bytes'])} ({m['peak_increase_bytes'] / size:.2f}× the "
            f"frame) / {_mib(m['arrow_pool_peak_bytes'])} / {m['seconds']:.1f} s"
        )

    return [
        Result(
            name="datasets_save_memory",
            ours=f"peak RSS increase of DatasetStore.save of a {rows:,}-row DataFrame",
            ours_seconds=ours["peak_increase_bytes"],
            baseline="the DataFrame's memory_usage(deep=True)",
            baseline_seconds=size,
            target=f"≤ {TARGET}× the frame",
            kind="memory",
            limit=TARGET,
            notes="peak RSS of a fresh process, reset just before the save (VmHWM)",
            details={
                "frame in memory": _mib(size),
                "each side below": "peak RSS increase / Arrow memory pool peak / time",
                "ours, the whole save (Parquet and statistics in one pass)": line(ours),
                "pandas frame.to_parquet(path), one shot, for comparison": line(pandas),
                "Arrow memory pool": ours["arrow_pool"],
            },
        ),
        Result(
            name="datasets_save_frame",
            ours=f"DatasetStore.save of a {rows:,}-row DataFrame (fsynced, with statistics)",
            ours_seconds=statistics.median(timed["ours"]),
            baseline="frame.to_parquet(path) of the same frame (no fsync)",
            baseline_seconds=statistics.median(timed["pandas"]),
            target=f"≤ {TIME_TARGET}×",
            kind="overhead",
            limit=TIME_TARGET,
            notes=(
                f"median of {TIME_REPEAT} alternating calls in one fresh process; every save's "
                "statistics equal to pandas' column_stats of the frame (checked)"
            ),
            details={
                "each save (ours first in the 1st, 3rd, ...)": ", ".join(
                    f"{s:.2f} s" for s in timed["ours"]
                ),
                "each to_parquet": ", ".join(f"{s:.2f} s" for s in timed["pandas"]),
                "CPU time (user + system, all threads), median, ours / to_parquet": (
                    f"{statistics.median(timed['ours_cpu']):.2f} s / "
                    f"{statistics.median(timed['pandas_cpu']):.2f} s"
                ),
                "Parquet object": f"{timed['parquet_bytes'] / 2**20:.0f} MiB",
            },
        ),
    ]


if __name__ == "__main__":
    if sys.argv[2] == "time":
        print(json.dumps(_timed_child(sys.argv[1], int(sys.argv[3]))))
    else:
        print(json.dumps(_child(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
