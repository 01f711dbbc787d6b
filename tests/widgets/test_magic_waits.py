"""The magics' long waits through the one progress display (text lines in a terminal
shell): ``%dataset save`` of a large file shows its bytes, ``%mlops run --wait`` the
running step's executed cells, read from the staging notebook papermill rewrites."""

from __future__ import annotations

import os
import time

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

import jupyter_mlops as mlops
from jupyter_mlops import objects
from jupyter_mlops.pytest_plugin import run_cell, write_notebook
from jupyter_mlops.workspace import Workspace

MiB = 1 << 20


def test_dataset_save_of_a_large_file_shows_its_bytes(
    mlops_shell: InteractiveShell, mlops_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(objects, "RACY_NS", 50_000_000)  # trust timestamps 50 ms old
    (mlops_workspace.root / "big.bin").write_bytes(os.urandom(40 * MiB))
    time.sleep(0.1)
    result, out = run_cell(mlops_shell, "%dataset save big big.bin")
    assert result.success, result.error_in_exec
    lines = out.stdout.splitlines()
    assert lines[:4] == [
        "%dataset save big: copying big.bin: 16.0 MiB / 40.0 MiB (40%)",
        "%dataset save big: copying big.bin: 40.0 MiB / 40.0 MiB (100%)",
        lines[2],
        lines[3],
    ]
    assert lines[2].startswith("%dataset save big: done in ")
    assert lines[3].startswith("big saved v1 (object ")

    _, out = run_cell(mlops_shell, "%dataset save big big.bin")  # unchanged: not read again
    assert out.stdout.splitlines()[0] == (
        "%dataset save big: big.bin already stored: 40.0 MiB / 40.0 MiB (100%)"
    )


def test_dataset_save_of_a_frame_shows_its_rows(mlops_shell: InteractiveShell) -> None:
    mlops_shell.user_ns["frame"] = pd.DataFrame({"x": range(100_000)})
    _, out = run_cell(mlops_shell, "%dataset save numbers frame")
    assert out.stdout.splitlines()[:2] == [
        "%dataset save numbers: writing rows: 65,536/100,000 rows (66%)",
        "%dataset save numbers: writing rows: 100,000/100,000 rows (100%)",
    ]


SLOW_CELLS = ["import time"] + ["time.sleep(0.8)"] * 4


def test_a_waited_run_reports_its_steps_executed_cells(mlops_workspace: Workspace) -> None:
    write_notebook(mlops_workspace.root / "slow.ipynb", *SLOW_CELLS)
    mlops.jobs.promote("slow.ipynb", by="alice")
    heard: list[tuple[int, int, str]] = []
    run = mlops.jobs.run("slow", wait=True, progress=lambda *a: heard.append(a))
    assert run.status == "succeeded"
    cells = [(done, total) for done, total, label in heard if label == "step slow (1 of 1), cells"]
    assert cells and {total for _, total in cells} == {len(SLOW_CELLS)}
    assert [done for done, _ in cells] == sorted(done for done, _ in cells)
    assert any(0 < done < len(SLOW_CELLS) for done, _ in cells)  # seen while it ran
    assert heard[-1] == (1, 1, f"job run {run.id} succeeded, steps")


def test_mlops_run_wait_prints_the_step_and_how_the_run_ended(
    mlops_shell: InteractiveShell, mlops_workspace: Workspace
) -> None:
    write_notebook(mlops_workspace.root / "slow.ipynb", *SLOW_CELLS)
    mlops.jobs.promote("slow.ipynb", by="alice")
    result, out = run_cell(mlops_shell, "%mlops run slow --wait")
    assert result.success, result.error_in_exec
    [run] = mlops.jobs.runs("slow")
    lines = out.stdout.splitlines()
    assert any(line.startswith("%mlops run slow: step slow (1 of 1), cells: ") for line in lines)
    assert f"%mlops run slow: job run {run.id} succeeded, steps: 1/1 (100%)" in lines
    assert lines[-1].startswith("%mlops run slow: done in ")
    assert f"job run {run.id} of slow: succeeded" in out.outputs[-1].data["text/plain"]

    _, out = run_cell(mlops_shell, "%mlops run slow")  # not waited: nothing to show
    assert out.stdout == ""
