"""The magics in a real IPython shell against a real MLflow store."""

import pytest
from IPython.core.interactiveshell import InteractiveShell
from mlflow.tracking import MlflowClient

from jupyter_mlops.magics.render import COMPARE_MIME, RUN_MIME
from jupyter_mlops.pytest_plugin import run_cell as run


@pytest.fixture
def shell(mlops_shell: InteractiveShell, mlops_client: MlflowClient) -> InteractiveShell:
    return mlops_shell


def test_track_cell_runs_logs_and_ends_with_a_summary(
    shell: InteractiveShell, mlops_client: MlflowClient
) -> None:
    result, out = run(
        shell,
        "%%track -e magic -m acc -n first -t team=ml\n"
        "import jupyter_mlops as mlops\n"
        "mlops.log_params({'C': 1})\nmlops.log_metrics({'acc': 0.8})\n41 + 1",
    )
    assert result.success and result.result == 42
    summary = out.outputs[-1].data[RUN_MIME]
    assert summary["run_name"] == "first" and summary["metrics"] == {"acc": 0.8}
    run_obj = mlops_client.get_run(summary["run_id"])
    assert run_obj.data.tags["team"] == "ml"
    assert run_obj.data.tags["mlops.execution_count"] == str(shell.execution_count - 1)
    with open(mlops_client.download_artifacts(summary["run_id"], "mlops/cell.py")) as fh:
        assert fh.read().startswith("%%track -e magic -m acc -n first -t team=ml\nimport")
    _, out = run(shell, "%%track -e magic\nmlops.log_metrics({'acc': 0.9})")
    second = out.outputs[-1].data[RUN_MIME]
    assert second["best_run_name"] == "first" and second["delta"] == pytest.approx(0.1)
    assert "better than best earlier run first" in out.outputs[-1].data["text/plain"]


def test_raising_cell_fails_its_run_with_the_users_exception_then_rerun_works(
    shell: InteractiveShell, mlops_client: MlflowClient
) -> None:
    result, out = run(shell, "%%track -e magic\nraise KeyError('missing column')")
    assert isinstance(result.error_in_exec, KeyError)
    assert str(result.error_in_exec) == "'missing column'"
    failed = out.outputs[-1].data[RUN_MIME]
    assert mlops_client.get_run(failed["run_id"]).info.status == "FAILED"
    result, out = run(shell, "%%track -e magic\nx = 1")
    assert result.success
    assert out.outputs[-1].data[RUN_MIME]["status"] == "FINISHED"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%%track --tag nonsense\npass", "--tag expects KEY=VALUE"),
        ("%%track --bogus\npass", "unrecognized arguments: --bogus"),
        ("%mlops runs --top 0", "--top must be between 1 and 1000"),
        ("%mlops runs nowhere", "no experiment named 'nowhere'"),
        ("%mlops compare abc", "'abc' is not a run id"),
        ("%mlops frobnicate", "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(
    shell: InteractiveShell, cell: str, message: str
) -> None:
    result, out = run(shell, cell)
    assert not result.success
    assert message in str(result.error_in_exec) or message in out.stderr + out.stdout


def test_runs_table_and_compare(shell: InteractiveShell) -> None:
    run(shell, "import jupyter_mlops as mlops")
    for acc in (0.3, 0.9, 0.6):
        result, _ = run(
            shell, f"%%track -e tbl -m acc --no-autolog\nmlops.log_metrics({{'acc': {acc}}})"
        )
        assert result.success
    result, _ = run(shell, "%mlops runs tbl --top 2")
    table = result.result
    assert list(table["metrics.acc"]) == [0.9, 0.6]
    ids = " ".join(table["run_id"])
    _, out = run(shell, f"%mlops compare {ids}")
    payload = out.outputs[-1].data[COMPARE_MIME]
    assert [r["run_id"] for r in payload["runs"]] == list(table["run_id"])
    assert payload["metric_keys"] == ["acc"]
