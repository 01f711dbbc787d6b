"""``mlops.monitor.drift`` vs Evidently's ``Report([DataDriftPreset()])`` on 1,000,000 rows ×
25 columns (20 numeric, 2 of them with 1% missing values, and 5 categorical of 8 to 12 string
values; 11 numeric and 2 categorical columns shifted, by margins far from the thresholds).

Each side runs in a fresh Python process that builds the same two frames (same seed), makes
one small check first (imports and first calls warm), resets the kernel's peak-RSS counter
(``/proc/self/clear_refs``), runs the check once, and reads the peak (``VmHWM``): the memory
figure is that peak minus the RSS just before the check. Ours is the whole Python API call
(every column's test, the dataset verdict, binned distributions of the drifted columns),
timed twice more for a median of three; Evidently's ``Report.run`` (with its tests, as
``DataDriftPreset`` builds them) runs once (it takes minutes). Both sides' per-column
verdicts and the dataset verdict must be identical, else the benchmark fails; the largest
score difference is reported.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from .timing import Result

ROWS = 1_000_000
NUMERIC, CATEGORICAL = 20, 5
SHIFTED_NUMERIC, SHIFTED_CATEGORICAL = 11, 2
TARGET = 10
ROOT = Path(__file__).resolve().parents[1]


def make_frames(rows: int) -> tuple[Any, Any]:
    """The reference and the current frame (see the module doc)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)

    def side(current: bool) -> Any:
        data: dict[str, Any] = {}
        for i in range(NUMERIC):
            shift = 0.25 + 0.05 * i if current and i < SHIFTED_NUMERIC else 0.0
            values = rng.normal(10 * i + shift, 1.0, rows)
            if i in (3, 17):
                values[rng.random(rows) < 0.01] = np.nan
            data[f"num_{i:02d}"] = values
        for j in range(CATEGORICAL):
            labels = np.array([f"value-{k}" for k in range(8 + j)], dtype=object)
            weights = np.ones(len(labels))
            if current and j < SHIFTED_CATEGORICAL:
                weights[: len(labels) // 2] = 4.0
            data[f"cat_{j}"] = rng.choice(labels, rows, p=weights / weights.sum())
        return pd.DataFrame(data)

    return side(False), side(True)


def _status_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    assert match, f"no {field} in /proc/self/status"
    return int(match.group(1))


def _ours(reference: Any, current: Any) -> dict[str, Any]:
    from jupyter_mlops.monitoring import api

    check = api.drift(reference, current)
    return {
        "columns": {c.column: [c.drifted, c.score, c.test_label] for c in check.columns},
        "dataset": check.dataset.drifted,
        "drifted": check.dataset.number_of_drifted_columns,
    }


def _evidently(reference: Any, current: Any) -> dict[str, Any]:
    from evidently import Report
    from evidently.presets import DataDriftPreset

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snapshot = Report([DataDriftPreset()], include_tests=True).run(current, reference)
    result = snapshot.dict()
    failed = {
        t["metric_config"]["params"]["column"]: str(t["status"]).endswith("FAIL")
        for t in result["tests"]
        if t["id"] == "drift"
    }
    dataset = next(str(t["status"]).endswith("FAIL") for t in result["tests"] if t["id"] == "lt")
    columns = {
        m["config"]["column"]: [
            failed[m["config"]["column"]],
            float(m["value"]),
            m["config"]["method"],
        ]
        for m in result["metrics"]
        if m["config"]["type"].endswith(":ValueDrift")
    }
    return {"columns": columns, "dataset": dataset, "drifted": sum(failed.values())}


def _child(side: str, rows: int) -> dict[str, Any]:
    """Runs in the measuring process: warm up, then one measured check (ours: two more)."""
    import gc

    check = _ours if side == "ours" else _evidently
    check(*make_frames(1000))
    reference, current = make_frames(rows)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    outcome = check(reference, current)
    seconds = [time.perf_counter() - start]
    peak = (_status_kib("VmHWM") - before) * 1024
    if side == "ours":
        for _ in range(2):
            start = time.perf_counter()
            check(reference, current)
            seconds.append(time.perf_counter() - start)
    return {**outcome, "seconds": seconds, "peak_increase_bytes": peak}


def _measure(side: str, rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mlops-bench-drift-") as root:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.drift_vs_evidently", side, str(rows)],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            env={**os.environ, "JUPYTER_MLOPS_ROOT": root},
        )
    if done.returncode:
        raise RuntimeError(f"the {side} drift check failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def run(rows: int = ROWS) -> list[Result]:
    """Measure both sides; returns the one result."""
    import evidently

    ours = _measure("ours", rows)
    theirs = _measure("evidently", rows)
    differ = [
        name
        for name in sorted(set(ours["columns"]) | set(theirs["columns"]))
        if ours["columns"].get(name, [None])[0] != theirs["columns"].get(name, [None])[0]
    ]
    if differ or ours["dataset"] != theirs["dataset"]:
        raise RuntimeError(
            f"verdicts differ: columns {differ}, dataset {ours['dataset']} vs {theirs['dataset']}"
        )
    score_gap = max(
        abs(ours["columns"][name][1] - theirs["columns"][name][1]) for name in theirs["columns"]
    )
    tests = sorted({entry[2] for entry in theirs["columns"].values()})
    ours_seconds = statistics.median(ours["seconds"])
    memory_ok = ours["peak_increase_bytes"] <= theirs["peak_increase_bytes"]
    return [
        Result(
            name="drift_vs_evidently",
            ours=(
                f"mlops.monitor.drift of {rows:,} × {NUMERIC + CATEGORICAL} columns "
                f"({NUMERIC} numeric, {CATEGORICAL} categorical)"
            ),
            ours_seconds=ours_seconds,
            baseline=f"Evidently {evidently.__version__} Report([DataDriftPreset()]).run",
            baseline_seconds=theirs["seconds"][0],
            target=f"≥ {TARGET}× faster",
            kind="speed-up",
            limit=TARGET,
            notes="each side in a fresh process; identical per-column and dataset verdicts",
            details={
                "verdicts": (
                    f"identical: {ours['drifted']} of {len(theirs['columns'])} columns drifted "
                    f"on both sides, dataset drift {ours['dataset']}"
                ),
                "tests Evidently chose": ", ".join(tests),
                "largest score difference": f"{score_gap:.2g}",
                "ours, three timed runs": ", ".join(f"{s:.2f} s" for s in ours["seconds"]),
                "peak RSS increase, ours": _mib(ours["peak_increase_bytes"]),
                "peak RSS increase, Evidently": _mib(theirs["peak_increase_bytes"]),
                "peak memory no higher than Evidently's": "yes" if memory_ok else "NO",
            },
        )
    ]


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], int(sys.argv[2]))))
