"""A notebook using %%track, executed by papermill in a real kernel, read back with
MLflow's own client."""

from pathlib import Path

import papermill
import pytest
from mlflow.tracking import MlflowClient

from jupyter_mlops.pytest_plugin import write_notebook

TRAIN = """%%track --metric accuracy
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
X, y = load_iris(return_X_y=True)
model = LogisticRegression(max_iter=300).fit(X, y)
mlops.log_metrics({"accuracy": model.score(X, y)})"""


def test_tracked_notebook_run_by_papermill_is_found_by_mlflow(
    mlops_root: Path, mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = write_notebook(
        mlops_root / "train-iris.ipynb",
        "%load_ext jupyter_mlops\nimport jupyter_mlops as mlops",
        TRAIN,
        "%%track\nraise RuntimeError('bad data')",
    )
    # A kernel started by jupyter-server gets its notebook path this way; do the same here.
    monkeypatch.setenv("JPY_SESSION_NAME", "train-iris.ipynb")
    with pytest.raises(papermill.PapermillExecutionError, match="bad data"):
        papermill.execute_notebook(
            str(notebook), str(mlops_root / "out.ipynb"), cwd=str(mlops_root), progress_bar=False
        )
    exp = mlops_client.get_experiment_by_name("train-iris")
    assert exp is not None
    runs = mlops_client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])
    assert [r.info.status for r in runs] == ["FINISHED", "FAILED"]
    trained = runs[0]
    assert trained.data.metrics["accuracy"] > 0.9
    assert trained.data.metrics["training_accuracy_score"] > 0.9  # autologged
    assert trained.data.tags["mlflow.source.type"] == "NOTEBOOK"
    assert trained.data.tags["mlflow.source.name"] == "train-iris.ipynb"
    cell = Path(mlops_client.download_artifacts(trained.info.run_id, "mlops/cell.py"))
    assert cell.read_text().startswith("%%track --metric accuracy\n")

    # Running the notebook again without the failing cell just works: a new FINISHED run.
    write_notebook(notebook, "%load_ext jupyter_mlops\nimport jupyter_mlops as mlops", TRAIN)
    papermill.execute_notebook(
        str(notebook), str(mlops_root / "out2.ipynb"), cwd=str(mlops_root), progress_bar=False
    )
    runs = mlops_client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])
    assert [r.info.status for r in runs] == ["FINISHED", "FAILED", "FINISHED"]
