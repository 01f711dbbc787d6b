"""Executing one step of a job run with papermill, in its own kernel.

The kernel is a new one, or one a standby worker started ahead for this step
(``kernels.py``); either way the step's own, stopped when it ends.

The step's status comes from the exception papermill raises (``PapermillExecutionError``: a
cell raised; ``CellTimeoutError``: the run's deadline; ``DeadKernelError``: the kernel
died), never from the saved notebook's metadata, which after a timeout or a dead kernel
reads as if every cell completed. A kernel stopped on purpose (cancel, deadline) gives the
reason recorded by whoever stopped it.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager

from ..errors import Invalid
from ..job_context import JobContext
from ..objects import ObjectStore
from ..remote import hub_tokens
from ..remote.children import team_service_url, user_code_env, withheld
from ..remote.config import SERVICE_TOKEN_ENV
from ..state import now
from ..workspace import Workspace
from .kernels import PreparedKernel, stop_kernel
from .models import JobRun, JobSpec, StepSpec, StepStatus
from .outputs import OUTPUTS_FILE_ENV, store_published
from .parameters import read_parameters, validate_parameters
from .processes import signal_group
from .publish import publish_ahead
from .runtime import run_dir, staged_notebook, step_log
from .store import JobStore

log = logging.getLogger(__name__)
TOKEN_DEFAULT_S = 24 * 3600  # a step's Hub token when its run has no timeout


@dataclass(frozen=True)
class StepOutcome:
    status: StepStatus
    error: str | None = None
    failed_cell: int | None = None


class RunControl:
    """What the worker's threads share: the kernel running now, the run's deadline (on the
    monotonic clock) and why the run was stopped (``cancelled`` or ``timed_out``)."""

    def __init__(self, timeout_s: float | None = None) -> None:
        self.deadline: float | None = None
        self.timeout_s: float | None = None
        self.stop_reason: str | None = None
        self._kernel_pid: int | None = None
        self._lock = threading.Lock()
        self.start_clock(timeout_s)

    def start_clock(self, timeout_s: float | None) -> None:
        """The run's deadline is ``timeout_s`` from now (None: no deadline)."""
        self.timeout_s = timeout_s
        self.deadline = time.monotonic() + timeout_s if timeout_s else None

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def stop(self, reason: str) -> None:
        """Stop the run for ``reason`` (the first reason given wins): kill its kernel."""
        with self._lock:
            if self.stop_reason is None:
                self.stop_reason = reason
                log.info("stopping the run: %s", reason)
            pid = self._kernel_pid
        if pid:
            signal_group(pid, signal.SIGKILL)

    def kernel_started(self, pid: int | None) -> None:
        with self._lock:
            self._kernel_pid = pid
            stopped = self.stop_reason is not None
        if stopped and pid:  # stopped while the kernel was starting
            signal_group(pid, signal.SIGKILL)

    def kernel_ended(self) -> None:
        with self._lock:
            self._kernel_pid = None


def _record_kernel(
    store: JobStore, run_id: int, step: str, pid: int | None, control: RunControl
) -> None:
    """The step's kernel is ``pid``: the run's control can stop it, and its step row (which
    recovery and cancel read after a restart) says so."""
    control.kernel_started(pid)
    try:
        store.update_step(run_id, step, kernel_pid=pid, kernel_started_at=now())
    except Exception as exc:  # the step runs on (only a cancel after a restart needs it)
        log.warning("run %s step %s: kernel pid not recorded: %s", run_id, step, exc)


def kernel_manager_class(
    store: JobStore, run_id: int, step: str, env: Mapping[str, str], control: RunControl
) -> type[AsyncKernelManager]:
    """A kernel manager (handed to nbclient through papermill) that starts the kernel with
    the step's environment and records its pid and start time on the step row."""

    class StepKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            launch_env = user_code_env(kw.pop("env", None) or os.environ, env)
            await super().start_kernel(env=launch_env, **kw)
            _record_kernel(store, run_id, step, getattr(self.provisioner, "pid", None), control)

    return StepKernelManager


def _take_prepared(
    kernel: PreparedKernel | None,
    wanted: str | None,
    env: Mapping[str, str],
    store: JobStore,
    run_id: int,
    step: str,
    control: RunControl,
) -> AsyncKernelManager | None:
    """The kernel started ahead, entered as this step, if it is the kernel the step wants;
    None: the step starts its own."""
    manager = kernel.take(wanted) if kernel is not None else None
    if kernel is None or manager is None:
        return None
    try:
        kernel.enter(env)
    except Exception as exc:
        log.warning("run %s step %s: the kernel started ahead failed (%s)", run_id, step, exc)
        stop_kernel(manager, now=True)
        return None
    log.info("run %s step %s: runs in kernel %s, started ahead", run_id, step, kernel.pid)
    _record_kernel(store, run_id, step, kernel.pid, control)
    return manager


def step_parameters(
    step: StepSpec,
    notebook: nbformat.NotebookNode,
    run_parameters: Mapping[str, Any],
    upstream_outputs: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """The step's parameters, overlaid by the run's (those the notebook declares) and by
    its inputs from upstream outputs; checked against the notebook's parameters cell."""
    declared = read_parameters(notebook)
    names = {p.name for p in declared}
    values = dict(step.parameters)
    values.update({k: v for k, v in run_parameters.items() if k in names})
    for param, source in step.inputs.items():
        producer, _, name = source.partition(".")
        published = upstream_outputs.get(producer, {})
        if name not in published:
            raise Invalid(f"input {param!r}: step {producer!r} published no output {name!r}")
        values[param] = published[name]
    return validate_parameters(declared, values)


def _failed_cell(path: os.PathLike[str], fallback: int | None) -> int | None:
    """Index of the cell papermill marked as raising, in the saved notebook."""
    try:
        nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except Exception:
        return fallback
    for index, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("papermill", {}).get("exception"):
            return index
    return fallback


def _outcome_of(
    exc: BaseException | None, output: os.PathLike[str], control: RunControl
) -> StepOutcome:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if exc is None:
        outcome = StepOutcome("succeeded")
    elif isinstance(exc, PapermillExecutionError):
        cell = _failed_cell(output, exc.cell_index)
        outcome = StepOutcome("failed", f"{exc.ename}: {exc.evalue}", cell)
    elif isinstance(exc, CellTimeoutError):
        outcome = StepOutcome("timed_out", _timeout_message(control))
    elif isinstance(exc, DeadKernelError):
        outcome = StepOutcome("failed", "kernel died")
    else:
        outcome = StepOutcome("failed", f"{type(exc).__name__}: {exc}")
    if outcome.status == "succeeded" or control.stop_reason is None:
        return outcome
    return _stopped(control, "cancelled")


def _stopped(control: RunControl, cancelled: str) -> StepOutcome:
    """The outcome of a step stopped by ``control`` (cancel or deadline)."""
    if control.stop_reason == "timed_out":
        return StepOutcome("timed_out", _timeout_message(control))
    return StepOutcome("cancelled", cancelled)


def _timeout_message(control: RunControl) -> str:
    if control.timeout_s is None:
        return "a cell timed out"
    return f"the run's timeout of {control.timeout_s:g} s passed"


def step_env(ws: Workspace, context: JobContext, step: StepSpec) -> dict[str, str]:
    """The environment of a step's kernel: the job step it runs as and the workspace (in
    the team service, without the workspace's secrets: ``remote/children.py``), whether
    the kernel starts with it or was started ahead and enters it."""
    return withheld(
        {
            **context.env(),
            **ws.env(),
            # as in Lab: %%track names its experiment after the notebook, records it as source
            "JPY_SESSION_NAME": str(ws.root / step.notebook),
        }
    )


def execute_step(
    store: JobStore,
    run: JobRun,
    spec: JobSpec,
    step: StepSpec,
    upstream_outputs: Mapping[str, Mapping[str, Any]],
    control: RunControl,
    kernel: PreparedKernel | None = None,
) -> StepOutcome:
    """Run one step's snapshot with papermill into its staging notebook, logging its
    output to the step log; returns how it ended. ``kernel``, started ahead, is offered to
    the step (taken if it is the kernel the step wants)."""
    ws: Workspace = store.ws
    folder = run_dir(ws, run.id)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f".{step.name}.input.ipynb"
    output = staged_notebook(ws, run.id, step.name)
    ObjectStore(ws.object_store_url).copy_to(step.notebook_object, source)
    try:
        notebook = nbformat.read(source, as_version=4)  # type: ignore[no-untyped-call]
        parameters = step_parameters(step, notebook, run.parameters, upstream_outputs)
    except Invalid as exc:
        source.unlink(missing_ok=True)
        return StepOutcome("failed", str(exc))
    remaining = control.remaining()
    if remaining is not None and remaining <= 0:
        control.stop("timed_out")
    if control.stop_reason:
        source.unlink(missing_ok=True)
        return _stopped(control, "the run stopped before this step started")
    context = JobContext(run.job, run.version, run.stage, run.id, step.name)
    env = step_env(ws, context, step)
    published = folder / f".{step.name}.outputs.jsonl"
    team = team_service_url() is not None
    if team:  # the kernel cannot store outputs itself
        published.unlink(missing_ok=True)
        env[OUTPUTS_FILE_ENV] = str(published)
    token = _acting_token(store, run, step, remaining)
    if token is not None:
        env[SERVICE_TOKEN_ENV] = token.token
    try:
        kernel_name = step.kernel or spec.kernel
        wanted = kernel_name or notebook.metadata.get("kernelspec", {}).get("name")
        prepared = _take_prepared(kernel, wanted, env, store, run.id, step.name, control)
        engine: dict[str, Any] = {"km": prepared}
        if prepared is None:
            manager_class = kernel_manager_class(store, run.id, step.name, env, control)
            engine = {"kernel_manager_class": manager_class}
        handler = logging.FileHandler(step_log(ws, run.id, step.name), encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        papermill_log = logging.getLogger("papermill")
        papermill_log.setLevel(logging.INFO)
        papermill_log.addHandler(handler)
        error: BaseException | None = None
        try:
            import papermill

            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=parameters,
                kernel_name=kernel_name,
                cwd=str(ws.root),
                log_output=True,
                progress_bar=False,
                execution_timeout=math.ceil(remaining) if remaining is not None else None,
                **engine,
            )
        except Exception as exc:  # the outcome is read from the exception's type
            error = exc
        finally:
            if prepared is not None:  # nbclient leaves a kernel it did not start to its owner
                ahead = publish_ahead(store, run.id, step.name)  # while the kernel shuts down
                stop_kernel(prepared)
                ahead.join()
            papermill_log.removeHandler(handler)
            handler.close()
            control.kernel_ended()
            source.unlink(missing_ok=True)
        return _outcome_of(error, output, control)
    finally:
        if token is not None:
            _revoke(token)
        if team:
            _store_published(store, context, published)


def _acting_token(
    store: JobStore, run: JobRun, step: StepSpec, remaining: float | None
) -> hub_tokens.HubToken | None:
    """In the team service: a Hub token of whoever the step acts as (``acting_user``) for
    its kernel, valid for the run's remaining time (a day without a timeout); None
    elsewhere, or when the Hub refuses it (the step log says why; it runs without one)."""
    if team_service_url() is None:
        return None
    note = f"jupyter-mlops job {run.job} run {run.id} step {step.name}"
    expires = math.ceil(remaining) + 60 if remaining is not None else TOKEN_DEFAULT_S
    try:
        user = acting_user(store, run)
        return hub_tokens.issue(user, expires_in_s=expires, note=note)
    except Exception as exc:  # the Hub's answer, or no answer: the step runs without
        with open(step_log(store.ws, run.id, step.name), "a", encoding="utf-8") as fh:
            fh.write(f"the step's kernel has no Hub token: {exc}\n")
        return None


def acting_user(store: JobStore, run: JobRun) -> str:
    """Who a run's notebooks act as in team mode: whoever started a manual run; for a run
    the scheduler or an alert started, whoever last set that stage up (created, promoted
    into, rolled back, scheduled, paused or resumed it; for dev, also snapshotted a new
    version), else the version's author. So nobody makes a job act as someone else by
    running it or by changing its schedule."""
    if run.trigger == "manual":
        return run.created_by
    for event in store.events(run.job):  # newest first
        if event.stage == run.stage or (run.stage == "dev" and event.action == "version"):
            return event.by
    return store.version(run.job, run.version).created_by


def _store_published(store: JobStore, context: JobContext, path: Path) -> None:
    """Store the outputs a team-mode kernel published; a failure is logged (the step's
    outcome stands)."""
    try:
        store_published(store.url, context, path)
    except Exception:
        log.exception("run %s step %s: outputs not stored", context.run_id, context.step)
    finally:
        path.unlink(missing_ok=True)


def _revoke(token: hub_tokens.HubToken) -> None:
    try:
        hub_tokens.revoke(token)
    except Exception as exc:  # it expires on its own
        log.warning("a step's Hub token was not revoked: %s", exc)
