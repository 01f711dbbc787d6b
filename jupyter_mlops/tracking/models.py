"""The tracking API contract: request and response models, one per verb.

These pydantic models are the single source of the REST API: the OpenAPI document is
generated from them and the frontend's TypeScript types are generated from that document.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..contract import StrictModel, max_page
from ..identity import Identity

MAX_PAGE_SIZE = 1000
MAX_COMPARE_RUNS = 20
# MLflow's experiment ids are whole numbers (18 digits in a file store, a row id in a SQL one)
ExperimentId = Annotated[str, Field(pattern=r"^[0-9]{1,18}$")]


class Experiment(StrictModel):
    experiment_id: str
    name: str
    artifact_location: str
    lifecycle_stage: str
    creation_time: int | None = None
    last_update_time: int | None = None
    run_count: int = 0
    primary_metric: str | None = None


class ListExperimentsResponse(StrictModel):
    experiments: list[Experiment]


class ListRunsQuery(StrictModel):
    """Query of ``GET /mlops/api/runs``: MLflow filter syntax, any sort key, page numbers."""

    experiment_ids: list[ExperimentId] = Field(default_factory=list)
    filter: str = ""
    order_by: str = Field(
        default="attributes.start_time DESC",
        description="One MLflow order-by clause: metrics.`m` DESC, params.p ASC, attributes.x",
    )
    page: int = Field(default=0, ge=0, le=max_page(MAX_PAGE_SIZE))
    page_size: int = Field(default=100, ge=1, le=MAX_PAGE_SIZE)


class RunRow(StrictModel):
    """One row of the runs table."""

    run_id: str
    run_name: str
    experiment_id: str
    status: str
    start_time: int | None
    end_time: int | None
    user_id: str | None = None
    source_notebook: str | None = None
    metrics: dict[str, float | None]
    params: dict[str, str]


class ListRunsResponse(StrictModel):
    runs: list[RunRow]
    total: int
    page: int
    page_size: int
    metric_keys: list[str]
    param_keys: list[str]


class MetricPoint(StrictModel):
    step: int
    timestamp: int
    value: float | None


class Artifact(StrictModel):
    path: str
    is_dir: bool
    file_size: int | None = None


class RunDataset(StrictModel):
    """A dataset version the run consumed or produced (an MLflow run input)."""

    name: str  # the dataset name (ours), else MLflow's dataset name
    version: str | None = None  # "v3" for datasets of our catalog
    digest: str
    context: str | None = None  # consumed | produced | MLflow's training/eval context


class RunDetail(StrictModel):
    run: RunRow
    tags: dict[str, str]
    metric_history: dict[str, list[MetricPoint]]
    artifacts: list[Artifact]
    cell_source: str | None = None
    artifact_uri: str
    datasets: list[RunDataset] = []


class CompareQuery(StrictModel):
    run_ids: list[str] = Field(min_length=1, max_length=MAX_COMPARE_RUNS)


class ParamDiff(StrictModel):
    key: str
    values: dict[str, str | None]


class CompareResponse(StrictModel):
    runs: list[RunRow]
    metric_keys: list[str]
    param_keys: list[str]
    param_diff: list[ParamDiff]
    metric_history: dict[str, dict[str, list[MetricPoint]]]


class WorkspaceInfo(StrictModel):
    root: str
    mlops_dir: str
    tracking_uri: str
    artifact_location: str
    state_db_url: str
    object_store_url: str
    config_file: str
    online_store_url: str = Field(default="", description="The features' online store")
    require_authenticated_decisions: bool = Field(
        description="Only decisions whose actor the Jupyter server authenticated count"
    )
    user: Identity | None = Field(
        default=None,
        description="Who this server takes the requesting user to be (what a write records)",
    )
    version: str


class RunSummary(StrictModel):
    """What the ``%%track`` cell prints at its end (also the custom MIME payload)."""

    run_id: str
    run_name: str
    experiment_id: str
    experiment_name: str
    status: str
    params: dict[str, str]
    metrics: dict[str, float | None]
    primary_metric: str | None = None
    greater_is_better: bool = True
    best_run_id: str | None = None
    best_run_name: str | None = None
    best_value: float | None = None
    delta: float | None = None
