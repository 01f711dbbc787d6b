"""A job run against a bare papermill run of the same notebook, end to end, ≤ 0.7×.

The notebook trains a random forest on scikit-learn's wine data (a few seconds of real
work) with one parameter. Ours: ``mlops.jobs.run(JOB, parameters=…, wait=True)``: the run
is queued, handed to the standby worker the process keeps after a run (imports done, a
fresh kernel started ahead, ``pipelines/standby.py``), which runs papermill on the snapshot
in that kernel, publishes the executed notebook, its HTML and the log to the object store
and records the outputs. Baseline: what a user runs without jupyter-mlops, the
``papermill`` command with the same parameter (a new process and a new kernel), which writes
the executed notebook and nothing else. Both are timed from the request to the executed
notebook being complete; samples alternate so both see the same machine load. The first
job run of the process has no standby yet (a new worker process, shown apart); after each
job run the next standby starts, and the papermill sample waits until it is warm, so the
two never share the CPU. Checked: every run succeeded with the same score, each in its own
kernel (no pid twice), each measured one in a kernel started ahead for it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_mlops.pipelines.standby import ENABLED_ENV

from .timing import Result, ms
from .workspace import fresh_workspace

if TYPE_CHECKING:
    from jupyter_mlops.pipelines.models import JobRun
    from jupyter_mlops.pipelines.store import JobStore

SAMPLES = 5
TARGET = 0.7
WARM_S = 120.0  # the next standby worker warm (imports, kernel), on a loaded machine
JOB = "bench-train"
CELLS = [
    "import jupyter_mlops as mlops\n"
    "from sklearn.datasets import load_wine\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from sklearn.model_selection import cross_val_score",
    "wine = load_wine(as_frame=True)\n"
    "model = RandomForestClassifier(n_estimators=n_estimators, random_state=0)\n"
    "score = cross_val_score(model, wine.data, wine.target, cv=5).mean()",
    "import os\nmlops.output('score', float(score))\nmlops.output('kernel', os.getpid())",
]


def _write_notebook(path: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [new_code_cell("n_estimators = 10", metadata={"tags": ["parameters"]})]
    nb.cells += [new_code_cell(source) for source in CELLS]
    nbformat.write(nb, path)


def _wait_standby(store: JobStore) -> None:
    """Wait until the standby for the next job run is warm (untimed)."""
    from jupyter_mlops.pipelines.standby import standbys

    deadline = time.monotonic() + WARM_S
    while (standby := standbys().waiting(store)) is None:
        assert time.monotonic() < deadline, "no standby worker was started after the run"
        time.sleep(0.01)
    assert standby.wait_warm(WARM_S), "the standby worker did not get warm"


def run() -> list[Result]:
    """Alternate ``SAMPLES`` job runs and bare papermill runs; returns the one result."""
    from jupyter_mlops.pipelines import api as jobs
    from jupyter_mlops.pipelines.runtime import WORKER_LOG, run_dir
    from jupyter_mlops.pipelines.store import JobStore

    os.environ.pop(ENABLED_ENV, None)  # standby workers on, as by default
    ws, _ = fresh_workspace("job-run")
    store = JobStore(ws)
    notebook = ws.root / "train.ipynb"
    _write_notebook(notebook)
    jobs.promote("train.ipynb", name=JOB)
    papermill = [str(Path(sys.executable).parent / "papermill"), "--no-progress-bar"]
    finished: list[JobRun] = []

    def ours() -> float:
        start = time.perf_counter()
        run = jobs.run(JOB, parameters={"n_estimators": 200}, wait=True, timeout=300)
        took = time.perf_counter() - start
        assert run.status == "succeeded", run.error
        finished.append(run)
        _wait_standby(store)
        return took

    def bare(i: int) -> float:
        out = ws.root / f"bare-{i}.ipynb"
        start = time.perf_counter()
        subprocess.run(
            [
                *papermill,
                str(notebook),
                str(out),
                "-p",
                "n_estimators",
                "200",
                "--cwd",
                str(ws.root),
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start

    cold = ours()  # the process's first run: no standby yet (and warms the disk caches)
    bare(-1)
    mine, theirs = [], []
    for i in range(SAMPLES):
        mine.append(ours())
        theirs.append(bare(i))
        print(f"  sample {i + 1}: job {ms(mine[-1])}, papermill {ms(theirs[-1])}", file=sys.stderr)
    outputs = [run.steps[0].outputs for run in finished]
    assert len({o["kernel"] for o in outputs}) == len(finished), "a kernel ran two runs"
    assert len({o["score"] for o in outputs}) == 1, "runs disagree on the score"
    for run in finished[1:]:
        log = (run_dir(ws, run.id) / WORKER_LOG).read_text()
        assert "started ahead" in log, f"run {run.id} did not run in a kernel started ahead"
    return [
        Result(
            name="job_run_vs_papermill",
            ours=(
                "mlops.jobs.run(..., wait=True): queue, standby worker with a fresh kernel "
                "started ahead, papermill, publish"
            ),
            ours_seconds=statistics.median(mine),
            baseline="the papermill command on the same notebook and parameter",
            baseline_seconds=statistics.median(theirs),
            target=f"≤ {TARGET}×, a fresh kernel per run",
            kind="overhead",
            limit=TARGET,
            notes=f"median of {SAMPLES} alternating samples; a random forest on the wine data",
            details={
                "checked": (
                    f"{len(finished)} runs succeeded with the same score, {len(finished)} "
                    "kernels (one per run), the measured ones each started ahead for its run"
                ),
                "job runs": ", ".join(ms(s) for s in mine),
                "papermill runs": ", ".join(ms(s) for s in theirs),
                "the process's first job run (no standby yet: a new worker process)": ms(cold),
            },
        )
    ]
