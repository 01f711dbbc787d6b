import pytest
from mlflow.tracking import MlflowClient

from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.tracking import queries
from tests.helpers import make_run


def test_experiments_list_counts_runs_and_hides_mlflows_empty_default(
    mlops_client: MlflowClient,
) -> None:
    assert queries.list_experiments(mlops_client).experiments == []
    make_run("one", {"m": 1})
    make_run("one", {"m": 2})
    [exp] = queries.list_experiments(mlops_client).experiments
    assert (exp.name, exp.run_count) == ("one", 2)
    mlops_client.create_run("0")  # a run in Default makes it worth showing
    names = [e.name for e in queries.list_experiments(mlops_client).experiments]
    assert sorted(names) == ["Default", "one"]


def test_run_detail_and_errors(mlops_client: MlflowClient) -> None:
    run_id = make_run("d", {"loss": 0.5}, {"lr": "0.1"}, cell_source="%%track\nx = 1")
    detail = queries.run_detail(mlops_client, run_id)
    assert detail.run.params == {"lr": "0.1"}
    assert detail.cell_source == "%%track\nx = 1"
    assert [p.value for p in detail.metric_history["loss"]] == [0.5]
    with pytest.raises(NotFound, match="no run with id"):
        queries.run_detail(mlops_client, "f" * 32)
    with pytest.raises(Invalid, match="is not a run id"):
        queries.run_detail(mlops_client, "../../etc")


def test_compare_lists_only_params_that_differ(mlops_client: MlflowClient) -> None:
    a = make_run("c", {"acc": 0.1}, {"lr": "0.1", "seed": "1"})
    b = make_run("c", {"acc": 0.2}, {"lr": "0.2", "seed": "1"})
    result = queries.compare_runs(mlops_client, [a, b, a])
    assert [r.run_id for r in result.runs] == [a, b]
    assert [d.key for d in result.param_diff] == ["lr"]
    with pytest.raises(Invalid, match="at most 20 runs"):
        queries.compare_runs(mlops_client, [f"{i:032x}" for i in range(21)])


def test_top_runs_ranks_by_the_primary_metric(mlops_client: MlflowClient) -> None:
    for value in (3.0, 1.0, 2.0):
        make_run("rank", {"rmse": value}, metric="rmse")
    runs, metric = queries.top_runs(mlops_client, "rank", None, 2)
    assert metric == "rmse"
    assert [r.metrics["rmse"] for r in runs.runs] == [1.0, 2.0]
