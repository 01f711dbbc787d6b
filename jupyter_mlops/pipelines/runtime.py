"""Where a run's files live while it runs, and reading them back.

``<mlops_dir>/jobs/runs/<run id>/`` holds ``{step}.ipynb`` (papermill's staging output,
rewritten in place after every cell), ``{step}.log`` and ``_worker.log``. When a step ends
its notebook, HTML and log are published into the object store; readers get the published
object, or, while the step is still running, a parsed copy of the staging file (never a
half-written one).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import NotFound
from ..objects import ObjectStore
from ..progress import Progress
from ..workspace import Workspace
from .models import JobRun, StepRun
from .store import JobStore

DEFAULT_TAIL_BYTES = 64 * 1024
WORKER_LOG = "_worker.log"  # a step name cannot start with "_": no step log is this file


def run_dir(ws: Workspace, run_id: int) -> Path:
    """The folder of run ``run_id``'s staging notebooks and logs (not created here)."""
    return ws.mlops_dir / "jobs" / "runs" / str(int(run_id))


def staged_notebook(ws: Workspace, run_id: int, step: str) -> Path:
    return run_dir(ws, run_id) / f"{step}.ipynb"


def step_log(ws: Workspace, run_id: int, step: str) -> Path:
    return run_dir(ws, run_id) / f"{step}.log"


def _step(run: JobRun, step: str) -> StepRun:
    """The step row named ``step`` (a name the run does not have is NotFound, so a client
    cannot reach other files through it)."""
    for found in run.steps:
        if found.name == step:
            return found
    raise NotFound(f"job run {run.id} has no step {step!r}")


def _tail(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        data = data[-max_bytes:]
        cut = data.find(b"\n")
        if 0 <= cut < len(data) - 1:
            data = data[cut + 1 :]  # start on a whole line
    return data.decode("utf-8", errors="replace")


def _read_tail(path: Path, max_bytes: int) -> bytes:
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - max_bytes - 1))
        return fh.read()


def log_tail(
    store: JobStore, run_id: int, step: str | None = None, max_bytes: int = DEFAULT_TAIL_BYTES
) -> str:
    """The last ``max_bytes`` of a step's log (``step=None``: the worker's log), starting on
    a whole line; the published log once the step's files are gone."""
    max_bytes = max(1, min(int(max_bytes), 16 * 1024 * 1024))
    run = store.get_run(run_id)
    if step is None:
        path = run_dir(store.ws, run_id) / WORKER_LOG
        if not path.is_file():
            raise NotFound(f"job run {run_id} has no worker log yet")
        return _tail(_read_tail(path, max_bytes), max_bytes)
    row = _step(run, step)
    path = step_log(store.ws, run_id, step)
    if path.is_file():
        return _tail(_read_tail(path, max_bytes), max_bytes)
    if row.log_object:
        data = ObjectStore(store.ws.object_store_url).read_bytes(row.log_object)
        return _tail(data, max_bytes)
    raise NotFound(f"step {step!r} of job run {run_id} has no log yet ({row.status})")


def read_staged(path: Path, attempts: int = 5) -> bytes | None:
    """The bytes of a staging notebook if they parse as JSON (papermill rewrites the file in
    place: a read that catches it mid-write is retried); None if missing or unreadable."""
    for _ in range(attempts):
        try:
            data = path.read_bytes()
            json.loads(data)
            return data
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            time.sleep(0.05)
    return None


def executed_cells(ws: Workspace, run_id: int, step: str) -> tuple[int, int] | None:
    """How far a running step got: (cells papermill ended, cells) in its staging notebook,
    which papermill rewrites as each cell starts and ends; None before it is written."""
    data = read_staged(staged_notebook(ws, run_id, step))
    if data is None:
        return None
    cells = json.loads(data).get("cells", [])
    ended = sum(
        1
        for cell in cells
        if cell.get("metadata", {}).get("papermill", {}).get("status") in ("completed", "failed")
    )
    return ended, len(cells)


def report_progress(store: JobStore, run: JobRun, progress: Progress) -> None:
    """Tell ``progress`` how far ``run`` is: its running step's executed cells, else the
    steps ended so far (while it is queued, between steps, once it finished, and while a
    running step's notebook is not yet written: its cell count is not known then)."""
    count = len(run.steps)
    for index, step in enumerate(run.steps, 1):
        if step.status == "running":
            cells = executed_cells(store.ws, run.id, step.name)
            if cells is None:
                break
            progress(*cells, f"step {step.name} ({index} of {count}), cells")
            return
    ended = sum(1 for s in run.steps if s.status not in ("pending", "running"))
    progress(ended, max(count, 1), f"job run {run.id} {run.status}, steps")


def executed_notebook(store: JobStore, run_id: int, step: str) -> bytes:
    """The executed notebook of a step (.ipynb JSON bytes): the published one, or while the
    step runs, a copy of its staging file as far as it got."""
    row = _step(store.get_run(run_id), step)
    if row.status != "running" and row.notebook_object:
        return ObjectStore(store.ws.object_store_url).read_bytes(row.notebook_object)
    staged = read_staged(staged_notebook(store.ws, run_id, step))
    if staged is not None:
        return staged
    if row.notebook_object:
        return ObjectStore(store.ws.object_store_url).read_bytes(row.notebook_object)
    raise NotFound(f"step {step!r} of job run {run_id} has no executed notebook yet ({row.status})")


def notebook_html(store: JobStore, run_id: int, step: str) -> str:
    """The HTML rendering of a step's executed notebook (rendered now while it runs)."""
    row = _step(store.get_run(run_id), step)
    if row.status != "running" and row.html_object:
        data = ObjectStore(store.ws.object_store_url).read_bytes(row.html_object)
        return data.decode("utf-8")
    from .notebook_html import render_html  # nbconvert: imported on first use

    return render_html(executed_notebook(store, run_id, step))
