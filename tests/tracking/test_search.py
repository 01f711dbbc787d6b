import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient
from pydantic import ValidationError

from jupyter_mlops.errors import Invalid
from jupyter_mlops.pytest_plugin import make_workspace
from jupyter_mlops.tracking import search
from jupyter_mlops.tracking.models import ListRunsQuery
from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import ROOT_ENV
from tests.helpers import make_run


@pytest.fixture(scope="module")
def search_client(
    tmp_path_factory: pytest.TempPathFactory, mlops_empty_mlflow_db: Path
) -> Iterator[MlflowClient]:
    """One store for the module: the search tests only read."""
    with pytest.MonkeyPatch.context() as mp:
        root = tmp_path_factory.mktemp("search")
        mp.setenv(ROOT_ENV, str(root))
        yield use_workspace(make_workspace(root, mlops_empty_mlflow_db))


@pytest.fixture(scope="module")
def runs(search_client: MlflowClient) -> str:
    """12 runs with ties, missing metrics, NaN and string params; returns the experiment id."""
    mlops_client = search_client
    for i in range(12):
        metrics = {"acc": [0.5, 0.7, 0.7, math.nan][i % 4]} if i % 5 else {}
        metrics["loss"] = 1.0 / (i + 1)
        make_run(
            "search",
            metrics,
            {"alpha": f"{i % 3}", "solver": "lbfgs" if i % 2 else "saga"},
            tags={"team": "a" if i < 6 else "b"},
        )
    exp = mlops_client.get_experiment_by_name("search")
    assert exp is not None
    return exp.experiment_id


@pytest.mark.parametrize(
    "order_by",
    [
        "metrics.`acc` DESC",
        "metrics.`acc` ASC",
        "metrics.loss ASC",
        "params.alpha DESC",
        "attributes.start_time DESC",
        "attributes.run_name ASC",
        "tags.team DESC",
    ],
)
@pytest.mark.parametrize(
    "filter_",
    [
        "",
        "metrics.acc > 0.6",
        "params.solver = 'saga'",
        "tags.team = 'b' and metrics.loss < 0.5",
        "attributes.status = 'FINISHED'",
        "params.alpha LIKE '%1%'",
        "attributes.run_name != 'x'",
    ],
)
def test_fast_path_matches_mlflow_search_runs(
    search_client: MlflowClient, runs: str, order_by: str, filter_: str
) -> None:
    for page in range(3):
        query = ListRunsQuery(
            experiment_ids=[runs], filter=filter_, order_by=order_by, page=page, page_size=5
        )
        fast = search.search_runs(search_client, query)
        ours, total = search._search_client(search_client, [runs], query)
        assert [r.run_id for r in fast.runs] == [r.run_id for r in ours]
        assert fast.total == total
        assert [r.metrics for r in fast.runs] == [r.metrics for r in ours]
        assert [r.params for r in fast.runs] == [r.params for r in ours]


def test_page_and_keys(search_client: MlflowClient, runs: str) -> None:
    mlops_client = search_client
    page = search.search_runs(mlops_client, ListRunsQuery(experiment_ids=[runs], page_size=100))
    assert page.total == 12 and len(page.runs) == 12
    assert page.metric_keys == ["acc", "loss"]
    assert page.param_keys == ["alpha", "solver"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("filter", "metrics.acc >>> 1", "bad filter"),
        ("filter", "nonsense", "bad filter"),
        ("order_by", "metrics.acc SIDEWAYS", "bad filter or sort"),
    ],
)
def test_bad_filter_or_sort_is_invalid(
    mlops_client: MlflowClient, field: str, value: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        search.search_runs(mlops_client, ListRunsQuery(**{field: value}))


def test_non_numeric_experiment_id_is_invalid(mlops_client: MlflowClient) -> None:
    # the query refuses it (a 400 naming experiment_ids on the route)...
    for bad in ("abc", " 1", "9223372036854775808"):
        with pytest.raises(ValidationError, match="experiment_ids"):
            ListRunsQuery(experiment_ids=[bad])
    # ...and the search refuses one that reached it unchecked
    with pytest.raises(Invalid, match="experiment ids must be numbers"):
        search.search_runs(mlops_client, ListRunsQuery.model_construct(experiment_ids=["abc"]))
