"""A run's notebook: cells and outputs as text, and the notebook of a job step's run."""

from __future__ import annotations

import json
from typing import Any

import nbformat
from mlflow.tracking import MlflowClient

from jupyter_mlops.job_context import JobContext
from jupyter_mlops.objects import ObjectStore
from jupyter_mlops.pipelines.api import store_for
from jupyter_mlops.pipelines.definitions import promote_notebook
from jupyter_mlops.reviews.notebook_source import MAX_OUTPUT_CHARS, find_notebook, notebook_cells
from jupyter_mlops.tracking.tracker import track
from jupyter_mlops.workspace import Workspace


def _nb(*sources: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_outputs_become_trimmed_text() -> None:
    nb = _nb("boom()", "df", "print(big)")
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "error", ename="ValueError", evalue="bad", traceback=["\x1b[31mValueError\x1b[0m: bad"]
        )
    ]
    nb.cells[1].outputs = [
        nbformat.v4.new_output(
            "execute_result", data={"text/html": "<table/>", "image/png": "iVBOR"}
        )
    ]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="x" * (MAX_OUTPUT_CHARS + 5))]
    error, rich, stream = (c.outputs[0] for c in notebook_cells(nb))
    assert error.text == "ValueError: bad"
    assert rich.text == "[image/png, text/html]"
    assert len(stream.text) == MAX_OUTPUT_CHARS and stream.truncated


def test_a_run_tracked_in_a_job_step_reads_the_steps_notebook(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    ws = mlops_workspace
    nbformat.write(_nb("snapshot = 1"), str(ws.root / "train.ipynb"))
    jobs = store_for(ws)
    promote_notebook(jobs, "train.ipynb", "alice", name="train-job")
    nbformat.write(_nb("edited_since = 1"), str(ws.root / "train.ipynb"))
    job_run = jobs.create_run("train-job", "dev", "manual", "alice")
    context = JobContext(job_run.job, job_run.version, "dev", job_run.id, "train")
    with track(autolog=False, notebook=str(ws.root / "train.ipynb"), tags=context.tags()) as run:
        pass

    def read() -> tuple[str | None, list[str]]:
        found, reason = find_notebook(mlops_client, ws, mlops_client.get_run(run.run_id))
        assert found is not None, reason
        return found.ref.note, [c.source for c in notebook_cells(found.node)]

    assert read() == (
        f"the snapshot run by step 'train' of job run {job_run.id} (train-job)",
        ["snapshot = 1"],
    )
    executed = _nb("snapshot = 1")
    executed.cells[0].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    object_id = ObjectStore(ws.object_store_url).put_bytes(nbformat.writes(executed).encode())
    jobs.update_step(job_run.id, "train", notebook_object=object_id)
    note, sources = read()
    assert note == f"the executed step 'train' of job run {job_run.id} (train-job)"
    assert sources == ["snapshot = 1"]


def test_a_broken_notebook_is_a_reason_and_missing_ids_stay_missing(
    mlops_workspace: Workspace, mlops_client: MlflowClient, tmp_path: Any
) -> None:
    with track(autolog=False) as run:
        pass
    broken = tmp_path / "notebook.ipynb"
    broken.write_text('{"nbformat": 4, "cells": 3}')
    mlops_client.log_artifact(run.run_id, str(broken), "mlops")
    found, reason = find_notebook(mlops_client, mlops_workspace, mlops_client.get_run(run.run_id))
    assert found is None
    assert reason.startswith("the run's notebook could not be read: not a readable notebook")

    with track(autolog=False) as run:
        pass
    old = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {
                "cell_type": "code",
                "source": ["a = 1\n", "b = 2"],
                "metadata": {},
                "outputs": [],
                "execution_count": None,
            }
        ],
    }
    broken.write_text(json.dumps(old))  # a 4.5 notebook whose cells lack ids
    mlops_client.log_artifact(run.run_id, str(broken), "mlops")
    found, _ = find_notebook(mlops_client, mlops_workspace, mlops_client.get_run(run.run_id))
    assert found is not None
    [cell] = notebook_cells(found.node)
    assert (cell.id, cell.index, cell.source) == (None, 0, "a = 1\nb = 2")
