"""Fire latency: a stage's scheduled time to its run's kernel started, against 1 s.

A fresh state DB holds 1,000 other job definitions (as ``scheduler_tick``) and one job
promoted from a two-cell notebook. ``Scheduler(ws).start()`` serves it in a thread as the
Jupyter server does. Each sample sets the job's next fire 10 s ahead (the row a cron
minute leaves; waiting for real minutes would only make the benchmark slower) and lets
the loop sleep until then on its own (no ``wake()``). A fire that near gets a standby
worker (``standby.py``: started up to 20 s ahead, imports done, waiting for its run), so
this is any cron fire. From the fire time to: the run created (``created_at``), launched
(``started_at``, claimed and handed to the worker) and the step's kernel started
(``kernel_started_at``, recorded by the worker), all on the same clock; the next sample
starts once the run has ended. For comparison, the same with the standby off, so each fire
starts a new worker process. jupyter-scheduler polls every 10 s, so its fire latency is up
to 10 s.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta

from sqlalchemy import update

from jupyter_mlops import db
from jupyter_mlops.pipelines.definitions import promote_notebook
from jupyter_mlops.pipelines.models import FINISHED, JobRun
from jupyter_mlops.pipelines.orm import JobStageRow
from jupyter_mlops.pipelines.scheduler import Scheduler
from jupyter_mlops.pipelines.store import JobStore, job_row, now

from .scheduler_tick import seed_jobs
from .timing import Result, ms
from .workspace import fresh_workspace

SAMPLES = 5
COLD_SAMPLES = 3
AHEAD = timedelta(seconds=10)
BUDGET_S = 1.0
JOB = "fire-latency"


def _write_notebook(path: str) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        new_code_cell("greeting = 'hello'", metadata={"tags": ["parameters"]}),
        new_code_cell("print(greeting)"),
    ]
    nbformat.write(nb, path)


def _schedule(store: JobStore, fire: datetime) -> None:
    """Set the job's next fire in dev, as a cron minute about to come would have."""
    with db.session_scope(store.url) as session:
        job_id = job_row(session, JOB).id
        session.execute(
            update(JobStageRow)
            .where(JobStageRow.job_id == job_id, JobStageRow.stage == "dev")
            .values(next_fire_at=fire)
        )


def _wait(store: JobStore, fire: datetime, timeout: float = 120) -> JobRun:
    """The run of ``fire`` once it has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs, _ = store.runs(JOB, limit=5)
        run = next((r for r in runs if r.scheduled_for == fire), None)
        if run is not None and run.status in FINISHED:
            return run
        time.sleep(0.05)
    raise TimeoutError(f"no finished run of the fire at {fire} within {timeout} s")


def _seconds(moment: datetime | None, fire: datetime) -> float | None:
    return (moment - fire).total_seconds() if moment is not None else None


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _show(values: list[float | None]) -> str:
    return ", ".join("—" if v is None else f"{v * 1000:.0f}" for v in values) + " ms"


def _fires(
    store: JobStore, scheduler: Scheduler, samples: int, label: str
) -> tuple[list[float | None], list[float | None], list[float | None]]:
    """``samples`` fires served by ``scheduler``: seconds from each fire to its run created,
    launched and kernel started."""
    created: list[float | None] = []
    launched: list[float | None] = []
    kernel: list[float | None] = []
    scheduler.start()
    try:
        time.sleep(2)  # the first tick imports monitoring and takes the lease
        for i in range(samples):
            fire = now() + AHEAD
            _schedule(store, fire)
            done = _wait(store, fire)
            created.append(_seconds(done.created_at, fire))
            launched.append(_seconds(done.started_at, fire))
            kernel.append(_seconds(done.steps[0].kernel_started_at, fire))
            print(
                f"  {label} fire {i + 1}: created {_show(created[-1:])}, launched "
                f"{_show(launched[-1:])}, kernel {_show(kernel[-1:])} ({done.status})",
                file=sys.stderr,
                flush=True,
            )
    finally:
        scheduler.stop()
    return created, launched, kernel


def run() -> list[Result]:
    """Measure ``SAMPLES`` fires; returns the one result."""
    ws, _ = fresh_workspace("scheduler-fire")
    store = seed_jobs(ws)
    _write_notebook(str(ws.root / "fire.ipynb"))
    promote_notebook(store, "fire.ipynb", "bench", name=JOB, cron="0 0 1 1 *")
    created, launched, kernel = _fires(store, Scheduler(ws), SAMPLES, "standby")
    _, _, cold = _fires(store, Scheduler(ws, prewarm=False), COLD_SAMPLES, "no standby")
    measured = _median(kernel)
    assert measured is not None, "no kernel started"
    return [
        Result(
            name="scheduler_fire_latency",
            ours="scheduled time → kernel started, the scheduler serving in a thread",
            ours_seconds=measured,
            baseline="the budget of fire latency (issue 4); jupyter-scheduler polls every 10 s",
            baseline_seconds=BUDGET_S,
            target="≤ 1 s",
            kind="overhead",
            limit=1.0,
            notes=f"median of {SAMPLES} fires, 1,000 other job definitions in the DB",
            details={
                "fire → run created": _show(created),
                "fire → launched (claimed, handed to a worker)": _show(launched),
                "fire → kernel started": _show(kernel),
                "fire → kernel started, no standby (a new worker process per fire)": _show(cold),
                "medians (created, launched, kernel)": ", ".join(
                    "—" if m is None else ms(m)
                    for m in (_median(created), _median(launched), _median(kernel))
                ),
            },
        )
    ]
