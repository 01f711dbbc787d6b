"""The worker process of one job run: ``python -m jupyter_mlops.pipelines.worker RUN_ID``.

It runs the version's steps in DAG order, each in its own kernel (``execute.py``; a standby
worker offers the first one a kernel it started ahead, ``kernels.py``); a step
whose upstream did not succeed is skipped while independent branches still run. A
heartbeat thread keeps the run's ``heartbeat_at`` fresh, watches for a cancel request and
the run's deadline, and stops the kernel on either. At the end the run's status is set by a
compare-and-set from ``running``: finished, or queued again for another attempt after a
failure when the job has retries left (steps that succeeded are not run again).
"""

from __future__ import annotations

# a worker process skips an import nbformat never needs before papermill pulls it in (lean.py)
if __name__ == "__main__":
    from jupyter_mlops.pipelines.lean import skip_unused_imports

    skip_unused_imports()

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from sqlalchemy import select, update

from .. import db
from ..errors import Conflict
from ..state import now
from ..workspace import resolve_workspace
from .definitions import order_steps, upstream_of
from .execute import RunControl, StepOutcome, execute_step
from .kernels import PreparedKernel
from .mlflow_runs import StoreWatch, import_mlflow, tagged_runs
from .models import JobRun, JobSpec, RunStatus, StepSpec
from .notebook_html import warm_up
from .orm import JobRunRow
from .publish import publish_step
from .runtime import staged_notebook, step_log
from .store import JobStore

log = logging.getLogger(__name__)
HEARTBEAT_S = 5.0  # how often the run's heartbeat_at is written
POLL_S = 0.5  # how often cancel requests and the deadline are checked


class Heartbeat(threading.Thread):
    """Keeps ``heartbeat_at`` fresh; stops the run on a cancel request, when its row left
    ``running`` (someone else ended it) or at its deadline; calls ``also`` at every poll."""

    def __init__(
        self,
        store: JobStore,
        run_id: int,
        control: RunControl,
        also: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name=f"heartbeat-{run_id}", daemon=True)
        self.store, self.run_id, self.control, self.also = store, run_id, control, also
        self.done = threading.Event()

    def run(self) -> None:
        last = 0.0
        while not self.done.wait(POLL_S):
            if self.also is not None:
                try:
                    self.also()
                except Exception as exc:  # a watch that fails must not stop the heartbeat
                    log.warning("run %s: %s", self.run_id, exc)
            remaining = self.control.remaining()
            if remaining is not None and remaining <= 0:
                self.control.stop("timed_out")
            try:
                beat = time.monotonic() - last >= HEARTBEAT_S
                status, cancel = self._check(beat)
                last = time.monotonic() if beat else last
            except Exception as exc:  # a busy DB must not end the run; try again next poll
                log.warning("heartbeat of run %s failed: %s", self.run_id, exc)
                continue
            if cancel or status != "running":
                self.control.stop("cancelled")

    def _check(self, beat: bool) -> tuple[str, bool]:
        with db.session_scope(self.store.url) as session:
            if beat:
                session.execute(
                    update(JobRunRow)
                    .where(JobRunRow.id == self.run_id, JobRunRow.status == "running")
                    .values(heartbeat_at=now())
                )
            row = session.execute(
                select(JobRunRow.status, JobRunRow.cancel_requested).where(
                    JobRunRow.id == self.run_id
                )
            ).one()
            return str(row.status), bool(row.cancel_requested)


def _run_step(
    store: JobStore,
    run: JobRun,
    spec: JobSpec,
    step: StepSpec,
    control: RunControl,
    kernel: PreparedKernel | None = None,
) -> StepOutcome:
    store.update_step(
        run.id,
        step.name,
        status="running",
        attempt=run.attempt,
        started_at=now(),
        finished_at=None,
        error=None,
        failed_cell=None,
        kernel_pid=None,
        kernel_started_at=None,
        outputs={},
    )
    path = step_log(store.ws, run.id, step.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # an earlier attempt's notebook was published: never publish it again as this one's
    staged_notebook(store.ws, run.id, step.name).unlink(missing_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"--- job run {run.id}, step {step.name}, attempt {run.attempt} ---\n")
    upstream = {s.name: s.outputs for s in store.get_run(run.id).steps}
    log.info("run %s: step %s starts", run.id, step.name)
    try:
        outcome = execute_step(store, run, spec, step, upstream, control, kernel)
    except Exception as exc:  # e.g. the snapshot is missing or corrupt
        log.exception("run %s step %s could not run", run.id, step.name)
        outcome = StepOutcome("failed", f"{type(exc).__name__}: {exc}")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"--- {outcome.status}{': ' + outcome.error if outcome.error else ''} ---\n")
    log.info("run %s: step %s %s; publishing its files", run.id, step.name, outcome.status)
    try:
        publish_step(store, run.id, step.name)
    except Exception:
        log.exception("run %s step %s: publishing its files failed", run.id, step.name)
    store.update_step(
        run.id,
        step.name,
        status=outcome.status,
        finished_at=now(),
        error=outcome.error,
        failed_cell=outcome.failed_cell,
    )
    return outcome


def run_steps(
    store: JobStore,
    run: JobRun,
    spec: JobSpec,
    control: RunControl,
    kernel: PreparedKernel | None = None,
) -> dict[str, tuple[str, str | None]]:
    """Run the steps not yet succeeded in DAG order; returns each step's (status, error).
    ``kernel`` (started ahead) is offered to the first step that runs, and to no other."""
    by_name = {s.name: s for s in spec.steps}
    upstream = upstream_of(spec)
    state: dict[str, tuple[str, str | None]] = {s.name: (s.status, None) for s in run.steps}
    for name in order_steps(upstream):
        if state[name][0] == "succeeded":
            continue  # kept from an earlier attempt
        blocked = sorted(u for u in upstream[name] if state[u][0] != "succeeded")
        reason = None
        if control.stop_reason:
            reason = "not run: the run was " + control.stop_reason.replace("_", " ")
        elif blocked:
            reason = f"not run: upstream step(s) {', '.join(blocked)} did not succeed"
        if reason:
            store.update_step(run.id, name, status="skipped", error=reason, finished_at=now())
            state[name] = ("skipped", reason)
            continue
        outcome = _run_step(store, run, spec, by_name[name], control, kernel)
        kernel = None
        state[name] = (outcome.status, outcome.error)
    return state


def run_status(state: dict[str, tuple[str, str | None]], control: RunControl) -> RunStatus:
    statuses = {status for status, _ in state.values()}
    if control.stop_reason == "cancelled" or "cancelled" in statuses:
        return "cancelled"
    if control.stop_reason == "timed_out" or "timed_out" in statuses:
        return "timed_out"
    return "succeeded" if statuses <= {"succeeded"} else "failed"


class MlflowPrewarm:
    """Imports MLflow in a thread as soon as the run has written to the MLflow store (seen
    at a heartbeat poll), so collecting its MLflow runs at the end costs no import."""

    def __init__(self, watch: StoreWatch) -> None:
        self.watch = watch
        self.started = False

    def __call__(self) -> None:
        if not self.started and self.watch.changed():
            self.started = True
            threading.Thread(target=import_mlflow, name="import-mlflow", daemon=True).start()


def finish(
    store: JobStore,
    run: JobRun,
    spec: JobSpec,
    state: dict[str, tuple[str, str | None]],
    control: RunControl,
    mlflow_store: StoreWatch,
) -> JobRun:
    """Set the run's final status, or queue it again when a failure has attempts left;
    record the MLflow runs it tracked (looked for only if the MLflow store was written)."""
    status = run_status(state, control)
    errors = [f"step {name!r}: {error}" for name, (s, error) in state.items() if s != "succeeded"]
    first = next((e for e in errors if "not run:" not in e), errors[0] if errors else None)
    values: dict[str, Any] = {"error": first}
    try:
        if mlflow_store.changed():
            values["mlflow_run_ids"] = json.dumps(tagged_runs(store.ws, run.id))
    except Exception as exc:
        log.warning("run %s: MLflow runs not collected: %s", run.id, exc)
    try:
        if status in ("failed", "timed_out") and run.attempt < run.max_attempts:
            values["error"] = f"attempt {run.attempt} {status.replace('_', ' ')}: {first}"
            again = store.requeue_run(run.id, spec, **values)
            if again.status == "queued":
                for name, (step_status, _) in state.items():
                    if step_status != "succeeded":
                        store.update_step(run.id, name, status="pending")
            return again
        return store.move_run(run.id, ["running"], status=status, finished_at=now(), **values)
    except Conflict as exc:  # cancel() or recovery ended it meanwhile: theirs stands
        log.warning("run %s: %s", run.id, exc)
        return store.get_run(run.id)


def stop_on_signals(control: RunControl) -> None:
    """SIGTERM (what ``cancel`` sends) and SIGINT stop the run as cancelled."""

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        control.stop("cancelled")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


def run_worker(
    store: JobStore,
    run_id: int,
    control: RunControl | None = None,
    kernel: PreparedKernel | None = None,
) -> JobRun:
    """Execute run ``run_id`` (already moved to ``running`` by ``launch``) to its end;
    ``kernel``, started ahead, is offered to its first step (and stopped if unused)."""
    try:
        return _run(store, run_id, control, kernel)
    finally:
        if kernel is not None:
            kernel.discard()


def _run(
    store: JobStore, run_id: int, control: RunControl | None, kernel: PreparedKernel | None
) -> JobRun:
    run = store.get_run(run_id)
    try:
        store.move_run(run_id, ["running"], worker_pid=os.getpid())
    except Conflict:
        log.warning("run %s is %s, not running: nothing to do", run_id, run.status)
        return store.get_run(run_id)
    if control is None:
        control = RunControl()
        stop_on_signals(control)
    spec = store.version(run.job, run.version).spec
    control.start_clock(spec.timeout_s)
    if kernel is None:  # a standby worker warmed up before its run came
        threading.Thread(target=warm_up, name="warm-up-html", daemon=True).start()
    mlflow_store = StoreWatch(store.ws)
    heartbeat = Heartbeat(store, run_id, control, MlflowPrewarm(mlflow_store))
    heartbeat.start()
    try:
        state = run_steps(store, run, spec, control, kernel)
    finally:
        heartbeat.done.set()
        heartbeat.join()
    return finish(store, run, spec, state, control, mlflow_store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jupyter_mlops.pipelines.worker")
    parser.add_argument("run_id", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    control = RunControl()
    stop_on_signals(control)  # first: a cancel may come while the worker starts
    store = JobStore(resolve_workspace())
    run = run_worker(store, args.run_id, control)
    log.info("run %s ended %s", run.id, run.status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
