"""``mlops.monitor.drift`` vs Evidently's ``Report([DataDriftPreset()])`` on 1,000,000 rows ×
25 columns (20 numeric, 2 of them with 1% missing values, and 5 categorical of 8 to 12 string
values; 11 numeric and 2 categorical columns shifted, by margins far from the thresholds):
a first check of two DataFrames, and a monitor's later check of a DataFrame against the same
dataset version (``NAME@v1``) whose reference profile an earlier check stored.

Each side runs in a fresh Python process that builds the same two frames (same seed), makes
one small check first (imports and first calls warm), resets the kernel's peak-RSS counter
(``/proc/self/clear_refs``), runs the check once, and reads the peak (``VmHWM``): the memory
figure is that peak minus the RSS just before the check. Ours is the whole Python API call
(every column's test, the dataset verdict, binned distributions of the drifted columns),
timed twice more for a median of three. For the later check, one process saves the
reference as a dataset version and checks against it once (its time is reported: the
version's data read and verified, the profile computed and stored); a second, fresh process
then times the later checks (``drift("bench-ref@v1", current)``: the stored profile read, the
reference's data never loaded). Evidently's ``Report.run`` (with its tests, as
``DataDriftPreset`` builds them) runs once (it takes minutes), on the two DataFrames; both
rows compare with that run. Every check's per-column verdicts and dataset verdict must be
identical to Evidently's and its scores within 1e-9 of them, else the benchmark fails.
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
TARGET = 100  # a first check against a reference
TARGET_LATER = 200  # a later check against the same dataset version
SCORE_GAP = 1e-9  # the largest score difference from Evidently's the benchmark accepts
DATASET = "bench-ref"
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


def _outcome(check: Any) -> dict[str, Any]:
    return {
        "columns": {c.column: [c.drifted, c.score, c.test_label] for c in check.columns},
        "dataset": check.dataset.drifted,
        "drifted": check.dataset.number_of_drifted_columns,
    }


def _ours(reference: Any, current: Any) -> dict[str, Any]:
    from jupyter_mlops.monitoring import api

    return _outcome(api.drift(reference, current))


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


def _measured(check: Any, *args: Any, repeat: int) -> dict[str, Any]:
    """One check with its peak-RSS increase, then ``repeat - 1`` more timed."""
    import gc

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    outcome = check(*args)
    seconds = [time.perf_counter() - start]
    peak = (_status_kib("VmHWM") - before) * 1024
    for _ in range(repeat - 1):
        start = time.perf_counter()
        check(*args)
        seconds.append(time.perf_counter() - start)
    return {**outcome, "seconds": seconds, "peak_increase_bytes": peak}


def _child(side: str, rows: int) -> dict[str, Any]:
    """Runs in the measuring process: warm up, then the measured check(s) of ``side``."""
    if side == "evidently":
        _evidently(*make_frames(1000))
        return _measured(_evidently, *make_frames(rows), repeat=1)
    if side == "ours":
        _ours(*make_frames(1000))
        return _measured(_ours, *make_frames(rows), repeat=3)
    import jupyter_mlops as mlops
    from jupyter_mlops.monitoring import api

    small_reference, small_current = make_frames(1000)
    mlops.datasets.save(f"{DATASET}-{side}", small_reference)
    for _ in range(2):  # profiles computed and stored, then read
        api.drift(f"{DATASET}-{side}@v1", small_current)
    reference, current = make_frames(rows)
    if side == "ours-first-dataset":  # stores the profile the later checks read
        mlops.datasets.save(DATASET, reference)
        del reference
        return _measured(_ours, f"{DATASET}@v1", current, repeat=1)
    del reference  # a later check never loads the reference
    return _measured(_ours, f"{DATASET}@v1", current, repeat=3)


def _measure(side: str, rows: int, root: str) -> dict[str, Any]:
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


def _agreement(label: str, ours: dict[str, Any], theirs: dict[str, Any]) -> float:
    """The largest score difference from Evidently's; raises unless every verdict is the
    same and every score within ``SCORE_GAP``."""
    names = sorted(set(ours["columns"]) | set(theirs["columns"]))
    differ = [
        name
        for name in names
        if ours["columns"].get(name, [None])[0] != theirs["columns"].get(name, [None])[0]
    ]
    if differ or ours["dataset"] != theirs["dataset"]:
        raise RuntimeError(
            f"{label}: verdicts differ: columns {differ}, dataset {ours['dataset']} vs "
            f"{theirs['dataset']}"
        )
    gap = float(
        max(abs(ours["columns"][n][1] - theirs["columns"][n][1]) for n in theirs["columns"])
    )
    if gap > SCORE_GAP:
        raise RuntimeError(f"{label}: a score differs from Evidently's by {gap:.2g}")
    return gap


def _seconds(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f} s" for s in seconds)


def run(rows: int = ROWS) -> list[Result]:
    """Measure both sides; returns the first check's result and the later check's."""
    import evidently

    with tempfile.TemporaryDirectory(prefix="mlops-bench-drift-") as root:
        ours = _measure("ours", rows, root)
        first = _measure("ours-first-dataset", rows, root)
        later = _measure("ours-later", rows, root)
    with tempfile.TemporaryDirectory(prefix="mlops-bench-drift-") as root:
        theirs = _measure("evidently", rows, root)
    gaps = {
        label: _agreement(label, outcome, theirs)
        for label, outcome in (("first", ours), ("dataset", first), ("later", later))
    }
    tests = sorted({entry[2] for entry in theirs["columns"].values()})
    baseline = f"Evidently {evidently.__version__} Report([DataDriftPreset()]).run"
    shape = (
        f"{rows:,} × {NUMERIC + CATEGORICAL} columns ({NUMERIC} numeric, {CATEGORICAL} categorical)"
    )
    verdicts = (
        f"identical: {ours['drifted']} of {len(theirs['columns'])} columns drifted on both "
        f"sides, dataset drift {ours['dataset']}"
    )
    evidently_memory = theirs["peak_increase_bytes"]
    first_result = Result(
        name="drift_vs_evidently",
        ours=f"mlops.monitor.drift of {shape}",
        ours_seconds=statistics.median(ours["seconds"]),
        baseline=baseline,
        baseline_seconds=theirs["seconds"][0],
        target=f"≥ {TARGET}× faster",
        kind="speed-up",
        limit=TARGET,
        notes="each side in a fresh process; identical per-column and dataset verdicts",
        details={
            "verdicts": verdicts,
            "tests Evidently chose": ", ".join(tests),
            "largest score difference": f"{gaps['first']:.2g}",
            "ours, three timed runs": _seconds(ours["seconds"]),
            "peak RSS increase, ours": _mib(ours["peak_increase_bytes"]),
            "peak RSS increase, Evidently": _mib(evidently_memory),
            "peak memory no higher than Evidently's": (
                "yes" if ours["peak_increase_bytes"] <= evidently_memory else "NO"
            ),
        },
    )
    later_result = Result(
        name="drift_later_vs_evidently",
        ours=(
            f"a monitor's later mlops.monitor.drift of the same current frame against "
            f"{DATASET}@v1 (the reference profile stored by an earlier check)"
        ),
        ours_seconds=statistics.median(later["seconds"]),
        baseline=f"{baseline} on the two frames (the same run)",
        baseline_seconds=theirs["seconds"][0],
        target=f"≥ {TARGET_LATER}× faster",
        kind="speed-up",
        limit=TARGET_LATER,
        notes=(
            "a fresh process, the reference's data never loaded; identical per-column and "
            "dataset verdicts"
        ),
        details={
            "largest score difference": f"{gaps['later']:.2g}",
            "ours, three timed runs": _seconds(later["seconds"]),
            "the first check against the dataset version (its data read and verified, the "
            "profile computed and stored)": f"{first['seconds'][0]:.2f} s",
            "peak RSS increase, ours": _mib(later["peak_increase_bytes"]),
        },
    )
    return [first_result, later_result]


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], int(sys.argv[2]))))
