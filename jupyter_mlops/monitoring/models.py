"""The monitoring contract: drift per column and for the dataset; checks, monitors, alerts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..contract import StrictModel, UtcDateTime
from ..identity import ActorSource

# How Evidently's default type detection classifies a column (read from the current data).
# "numerical" and "categorical" are tested; the others are reported and not tested.
ColumnKind = Literal["numerical", "categorical", "text", "datetime", "list", "unknown"]

# The registered names of Evidently's statistical tests that its defaults pick.
StatTestName = Literal["ks", "chisquare", "z", "wasserstein", "jensenshannon"]


class ColumnDrift(StrictModel):
    """One column's drift check, or why it could not be checked (``drifted`` is then None)."""

    column: str
    kind: ColumnKind | None = None  # None when the column is missing from one side
    test: StatTestName | None = None
    test_label: str | None = None  # Evidently's display name of the test, e.g. "K-S p_value"
    statistic: Literal["p_value", "distance"] | None = None
    score: float | None = None
    threshold: float | None = None
    drifted: bool | None = None
    message: str
    reference_values: int = 0  # values used: not null and finite
    current_values: int = 0
    # over both sides, as the choice of test counts them; a lower bound (the message says
    # "at least") when both sides of a numerical column hold more than 10,000 distinct values
    distinct_values: int | None = None

    @property
    def tested(self) -> bool:
        return self.drifted is not None


class DatasetDrift(StrictModel):
    """The dataset verdict: drift when at least ``drift_share`` of the tested columns drifted."""

    drift_share: float = Field(gt=0, le=1)
    number_of_columns: int  # columns tested
    number_of_drifted_columns: int
    share_of_drifted_columns: float | None  # None when no column could be tested
    drifted: bool | None
    columns_not_tested: list[str] = []
    message: str


class DriftReport(StrictModel):
    dataset: DatasetDrift
    columns: list[ColumnDrift]
    reference_rows: int
    current_rows: int

    def column(self, name: str) -> ColumnDrift:
        for entry in self.columns:
            if entry.column == name:
                return entry
        raise KeyError(name)


# -- what a check shows and keeps beyond the drift scores ------------------------------------
class ColumnDistribution(StrictModel):
    """One column's distribution on both sides, binned on the server (never the raw values).

    ``histogram``: ``edges`` (bins + 1 ascending floats) over both sides' values;
    ``categories``: ``labels``, the most frequent values (the rest in one "other" bar).
    ``reference``/``current`` are each side's share of its values per bin or label.
    """

    column: str
    shape: Literal["histogram", "categories"]
    edges: list[float] | None = None
    labels: list[str] | None = None
    reference: list[float]
    current: list[float]
    note: str | None = None  # e.g. values beyond the plotted range counted in the edge bins


class QualityMetric(StrictModel):
    """One model-quality metric on the reference and on the current data."""

    name: str  # accuracy, precision, recall, f1, roc_auc | mae, rmse, r2
    reference: float | None
    current: float | None
    greater_is_better: bool

    @property
    def change(self) -> float | None:
        if self.reference is None or self.current is None:
            return None
        return self.current - self.reference


class ModelQuality(StrictModel):
    """Classification or regression quality of the predictions on both sides."""

    task: Literal["classification", "regression"]
    target: str
    prediction: list[str]  # one column of labels or values, or one probability column per class
    positive_label: str | None = None  # binary classification: the label precision/recall score
    classes: list[str] | None = None
    reference_rows: int  # rows used: target and prediction both present
    current_rows: int
    metrics: list[QualityMetric]
    notes: list[str] = []

    def metric(self, name: str) -> QualityMetric:
        for entry in self.metrics:
            if entry.name == name:
                return entry
        raise KeyError(name)


class EvidentlyArtifact(StrictModel):
    """Where Evidently's own HTML report of a check is kept (it is never put in the notebook).

    ``store`` "mlflow": an artifact of the tracked run the check ran in; "objects": an object
    of the workspace's content-addressed store.
    """

    store: Literal["mlflow", "objects"]
    size: int
    run_id: str | None = None
    artifact_path: str | None = None
    uri: str | None = None
    object_id: str | None = None


Engine = Literal["fast", "evidently"]


class DriftCheck(DriftReport):
    """What ``mlops.monitor.drift`` returns: the drift report, what it compared, and the
    extras of the call (quality metrics, distributions of drifted columns, the recorded
    monitor point, Evidently's stored report)."""

    engine: Engine = "fast"
    reference: str  # e.g. "dataset sales@v3", "DataFrame (25 columns)"
    current: str
    reference_dataset: str | None = None  # NAME@vN when the reference came from the catalog
    current_dataset: str | None = None
    quality: ModelQuality | None = None
    distributions: list[ColumnDistribution] = []
    evidently: EvidentlyArtifact | None = None
    point: MonitorPoint | None = None


# -- monitors, their history and alerts ---------------------------------------------------------
RuleOp = Literal["<", "<=", ">", ">="]
ActionKind = Literal["run_job", "block_promotion"]
ActionStatus = Literal["pending", "claimed", "done", "failed"]


class Rule(StrictModel):
    """A threshold: an alert when ``metric op value`` holds for a point (see ``rules.py``)."""

    metric: str
    op: RuleOp
    value: float

    @property
    def text(self) -> str:
        if self.metric == "dataset_drift":
            return "dataset_drift"
        return f"{self.metric} {self.op} {self.value:g}"


class Action(StrictModel):
    """What an alert of the monitor asks for: run a job, or block a job's promotion."""

    kind: ActionKind
    job: str

    @property
    def text(self) -> str:
        return f"{self.kind}:{self.job}"


class AlertAction(StrictModel):
    """An action recorded on one alert; the jobs area takes it (see ``actions.py``)."""

    id: int
    alert_id: int
    monitor: str
    kind: ActionKind
    job: str
    status: ActionStatus
    detail: str
    updated_at: UtcDateTime


class Alert(StrictModel):
    id: int
    monitor: str
    point_id: int
    rule: str
    message: str
    created_at: UtcDateTime
    acknowledged_by: str | None = None
    # authenticated by the Jupyter server, or asserted by a kernel or the CLI
    acknowledged_by_source: ActorSource | None = None
    acknowledged_at: UtcDateTime | None = None
    actions: list[AlertAction] = []

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None


class MonitorPoint(StrictModel):
    """One check recorded in a monitor's history."""

    id: int
    monitor: str
    created_at: UtcDateTime
    engine: Engine
    reference_rows: int
    current_rows: int
    share_of_drifted_columns: float | None
    number_of_drifted_columns: int
    number_of_columns: int  # columns tested
    dataset_drifted: bool | None
    columns: list[ColumnDrift]  # every column's test, score, threshold and verdict
    quality: ModelQuality | None = None
    distributions: list[ColumnDistribution] = []
    reference: str | None = None
    reference_dataset: str | None = None
    current_dataset: str | None = None
    mlflow_run_id: str | None = None
    evidently: EvidentlyArtifact | None = None
    alerts: list[Alert] = []


class Monitor(StrictModel):
    id: int
    name: str
    kind: Literal["data", "model"]  # "model" once a check carried quality metrics
    reference: str | None  # what the latest check compared against
    thresholds: list[Rule]
    actions: list[Action]
    created_at: UtcDateTime
    updated_at: UtcDateTime
    points: int = 0
    open_alerts: int = 0
    last_point: MonitorPoint | None = None


DriftCheck.model_rebuild()
