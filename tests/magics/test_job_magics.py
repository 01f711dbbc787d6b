"""``%mlops promote|run|jobs|gates|promote-stage|rollback|…`` in a real IPython shell, with
real papermill runs in worker processes."""

import pytest
from IPython.core.interactiveshell import InteractiveShell

import jupyter_mlops as mlops
from jupyter_mlops.pytest_plugin import html_of, text_of, write_notebook
from jupyter_mlops.pytest_plugin import run_cell as run
from jupyter_mlops.workspace import Workspace


@pytest.fixture
def shell(mlops_shell: InteractiveShell, mlops_workspace: Workspace) -> InteractiveShell:
    write_notebook(
        mlops_workspace.root / "nbs" / "train.ipynb",
        "import jupyter_mlops as mlops\nmlops.output('score', alpha * 2)",
        parameters="alpha = 0.5\nlabel = 'base'",
    )
    return mlops_shell


def test_promote_run_list_gates_and_promote(shell: InteractiveShell) -> None:
    result, out = run(
        shell,
        "%mlops promote nbs/train.ipynb --name train --cron '0 6 * * *' --tz Europe/Paris "
        "--param alpha=2 --param label='\"a b\"' --retries 2 --backoff 5 --timeout 600",
    )
    assert result.success, result.error_in_exec
    assert "promoted job train v1" in text_of(out)
    assert "<table>" in html_of(out) and "0 6 * * * (Europe/Paris)" in html_of(out)
    job = mlops.jobs.job("train")
    spec = mlops.jobs.versions("train")[0].spec
    assert spec.steps[0].parameters == {"alpha": 2.0, "label": "a b"}
    assert (spec.retries, spec.retry_backoff_s, spec.timeout_s) == (2, 5.0, 600.0)
    assert job.stages[0].cron == "0 6 * * *"

    result, out = run(shell, "%mlops run train --param alpha=3 --wait")
    assert result.success, result.error_in_exec
    assert "succeeded" in text_of(out)
    [finished] = mlops.jobs.runs("train")
    assert finished.status == "succeeded" and finished.steps[0].outputs == {"score": 6.0}

    _, out = run(shell, "%mlops jobs")
    assert "1 jobs" in text_of(out) and "train" in html_of(out)
    _, out = run(shell, "%mlops jobs train")
    assert f"<td>{finished.id}</td>" in html_of(out) and "succeeded" in html_of(out)

    _, out = run(shell, "%mlops gates train --to staging")
    assert "dev → staging: may be promoted" in text_of(out)
    result, out = run(shell, "%mlops promote-stage train --to staging")
    assert result.success, result.error_in_exec
    assert "train staging: — → v1" in text_of(out)
    assert mlops.jobs.job("train").stages[1].version == 1

    _, out = run(shell, "%mlops pause train --stage dev")
    assert "paused" in out.stdout and mlops.jobs.job("train").stages[0].paused
    _, out = run(shell, "%mlops resume train --stage dev")
    assert not mlops.jobs.job("train").stages[0].paused


def test_promote_defaults_to_the_running_notebook(
    shell: InteractiveShell, mlops_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", str(mlops_workspace.root / "nbs" / "train.ipynb"))
    result, _ = run(shell, "%mlops promote")
    assert result.success, result.error_in_exec
    [job] = mlops.jobs.jobs()
    assert job.name == "train"
    assert mlops.jobs.versions("train")[0].spec.steps[0].notebook == "nbs/train.ipynb"


def test_cancel_a_queued_run(shell: InteractiveShell) -> None:
    mlops.jobs.promote("nbs/train.ipynb", by="alice")
    queued = mlops.jobs.store().create_run("train", "dev", "manual", "alice")
    _, out = run(shell, f"%mlops cancel {queued.id}")
    assert f"job run {queued.id} of train: cancelled" in out.stdout


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%mlops promote nbs/train.ipynb --cron '61 * * * *'", "minute"),
        ("%mlops promote nbs/train.ipynb --tz Mars/Olympus", "Mars/Olympus"),
        ("%mlops promote nbs/train.ipynb --param 'x;import os#=1'", "not a valid Python"),
        ("%mlops promote nbs/train.ipynb --param alpha=high", "expects float, got str"),
        ("%mlops promote nbs/train.ipynb --param alpha", "--param expects NAME=VALUE"),
        ("%mlops promote ../outside.ipynb", "outside the workspace"),
        ("%mlops promote", "give the notebook to promote"),
        ("%mlops run nope", "no job named 'nope'"),
        ("%mlops run train --stage qa", "invalid choice: 'qa'"),
        ("%mlops run train --stage prod", "no version in prod"),
        ("%mlops jobs nope", "no job named 'nope'"),
        ("%mlops gates train --to dev", "invalid choice: 'dev'"),
        ("%mlops promote-stage train --to staging", "cannot be promoted to staging"),
        ("%mlops rollback train --stage prod", "no version in prod"),
        ("%mlops cancel 999", "no job run 999"),
        ("%mlops update train", "no notebook of job 'train' changed"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(
    shell: InteractiveShell, cell: str, message: str
) -> None:
    mlops.jobs.promote("nbs/train.ipynb", by="alice")
    result, _ = run(shell, cell)
    assert not result.success
    error = str(result.error_in_exec)
    assert message in error and "Traceback" not in error
    assert [j.latest_version for j in mlops.jobs.jobs()] == [1]
    assert mlops.jobs.runs("train") == []
