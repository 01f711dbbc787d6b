"""Saves and loads inside a tracked run are lineage in MLflow, read back with MlflowClient."""

import pandas as pd
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops
from jupyter_mlops.datasets.lineage import mlflow_digest, runs_using


def test_save_and_load_in_a_run_are_run_inputs_with_our_digest(
    mlops_client: MlflowClient,
) -> None:
    raw = pd.DataFrame({"x": range(20_000)})
    mlops.datasets.save("raw", raw)  # outside a run: no lineage
    with mlops.track(experiment="lineage", autolog=False) as run:
        loaded = mlops.datasets.load("raw")
        produced = mlops.datasets.save("clean", loaded.assign(y=loaded.x * 2)).version
    inputs = mlops_client.get_run(run.run_id).inputs.dataset_inputs
    by_name = {i.dataset.name: i for i in inputs}
    assert set(by_name) == {"raw@v1", "clean@v1"}
    raw_version = mlops.datasets.store().resolve("raw@v1")
    assert by_name["raw@v1"].dataset.digest == mlflow_digest(raw_version.manifest.object_id)
    contexts = {name: {t.key: t.value for t in i.tags} for name, i in by_name.items()}
    assert contexts["raw@v1"]["mlflow.data.context"] == "consumed"
    assert contexts["clean@v1"]["mlflow.data.context"] == "produced"
    assert runs_using(mlops_client, produced) == [run.run_id]
    assert mlops.datasets.list() == ["clean", "raw"]
    assert [v.version for v in mlops.datasets.log("raw")] == [1]


def test_an_edit_past_row_10000_is_a_new_version(mlops_client: MlflowClient) -> None:
    frame = pd.DataFrame({"x": range(20_000)})
    first = mlops.datasets.save("big", frame).version
    edited = frame.copy()
    edited.loc[15_000, "x"] = -1  # MLflow's sampled digest would not see this
    second = mlops.datasets.save("big", edited)
    assert second.created and second.version.version == 2
    assert second.version.manifest.object_id != first.manifest.object_id
