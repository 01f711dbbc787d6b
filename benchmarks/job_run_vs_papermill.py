"""A job run against a bare papermill run of the same notebook, end to end, ≤ 1.2×.

The notebook trains a random forest on scikit-learn's wine data (a few seconds of real
work) with one parameter. Ours: ``mlops.jobs.run(JOB, parameters=…, wait=True)``: the run
is queued, launched as a worker process that runs papermill on the snapshot in its own
kernel, publishes the executed notebook, its HTML and the log to the object store and
records the outputs. Baseline: what a user runs without jupyter-mlops, the ``papermill``
command with the same parameter (also a new process and a new kernel), which writes the
executed notebook and nothing else. Both are timed from the request to the executed
notebook being complete; samples alternate so both see the same machine load.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from .timing import Result, ms
from .workspace import fresh_workspace

SAMPLES = 5
TARGET = 1.2
JOB = "bench-train"
CELLS = [
    "import jupyter_mlops as mlops\n"
    "from sklearn.datasets import load_wine\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from sklearn.model_selection import cross_val_score",
    "wine = load_wine(as_frame=True)\n"
    "model = RandomForestClassifier(n_estimators=n_estimators, random_state=0)\n"
    "score = cross_val_score(model, wine.data, wine.target, cv=5).mean()",
    "mlops.output('score', float(score))",
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


def run() -> list[Result]:
    """Alternate ``SAMPLES`` job runs and bare papermill runs; returns the one result."""
    from jupyter_mlops.pipelines import api as jobs

    ws, _ = fresh_workspace("job-run")
    notebook = ws.root / "train.ipynb"
    _write_notebook(notebook)
    jobs.promote("train.ipynb", name=JOB)
    papermill = [str(Path(sys.executable).parent / "papermill"), "--no-progress-bar"]

    def ours() -> float:
        start = time.perf_counter()
        finished = jobs.run(JOB, parameters={"n_estimators": 200}, wait=True, timeout=300)
        took = time.perf_counter() - start
        assert finished.status == "succeeded", finished.error
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

    ours(), bare(-1)  # warm the disk caches of both paths
    mine, theirs = [], []
    for i in range(SAMPLES):
        mine.append(ours())
        theirs.append(bare(i))
        print(f"  sample {i + 1}: job {ms(mine[-1])}, papermill {ms(theirs[-1])}", file=sys.stderr)
    return [
        Result(
            name="job_run_vs_papermill",
            ours="mlops.jobs.run(..., wait=True): queue, worker process, papermill, publish",
            ours_seconds=statistics.median(mine),
            baseline="the papermill command on the same notebook and parameter",
            baseline_seconds=statistics.median(theirs),
            target=f"≤ {TARGET}×",
            kind="overhead",
            limit=TARGET,
            notes=f"median of {SAMPLES} alternating samples; a random forest on the wine data",
            details={
                "job runs": ", ".join(ms(s) for s in mine),
                "papermill runs": ", ".join(ms(s) for s in theirs),
            },
        )
    ]
