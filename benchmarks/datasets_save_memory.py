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
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .timing import Result

ROWS = 6_000_000
CITIES = ["Oslo", "Lima", "Pune", "Kyiv"]
TARGET = 1.5


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
    elif side == "write":
        store._put_frame(frame)
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
    """Measure; returns the one result (values in bytes, not seconds)."""
    ours = _measure("ours", rows)
    write = _measure("write", rows)
    pandas = _measure("pandas", rows)
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
                "ours, the whole save": line(ours),
                "ours, the Parquet write into the store alone (_put_frame)": line(write),
                "ours, the rest (the manifest's column statistics)": (
                    f"{ours['seconds'] - write['seconds']:.1f} s"
                ),
                "pandas frame.to_parquet(path), one shot, for comparison": line(pandas),
                "Arrow memory pool": ours["arrow_pool"],
            },
        )
    ]


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
