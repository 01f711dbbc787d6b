"""The review page contract: what is known about a model version against the champion.

Every section can be empty; an empty section says why in ``reason`` (no champion, a run
without a notebook, no dataset of the catalog consumed...), so a panel shows the reason
instead of a blank.
"""

from __future__ import annotations

from typing import Any, Literal

from ..contract import StrictModel, UtcDateTime
from ..datasets.diff import DatasetDiff


class _Section(StrictModel):
    reason: str | None = None  # why the section is empty (or partial); None when complete


class VersionInfo(StrictModel):
    """One registered model version, as MLflow's registry holds it."""

    name: str
    version: int
    run_id: str | None
    source: str | None
    status: str | None
    aliases: list[str]
    tags: dict[str, str]
    description: str | None
    created_at: int | None  # ms since the epoch, as MLflow gives it
    run_name: str | None = None


# -- metrics and params -------------------------------------------------------------------
class MetricRow(StrictModel):
    name: str
    candidate: float | None
    champion: float | None
    delta: float | None  # candidate - champion, when both are known
    greater_is_better: bool
    improved: bool | None  # the delta in the metric's good direction; None without delta


class MetricsSection(_Section):
    rows: list[MetricRow] = []
    figure: dict[str, Any] | None = None  # plotly figure JSON: grouped bars per metric


class ParamChange(StrictModel):
    name: str
    candidate: str | None
    champion: str | None


class ParamsSection(_Section):
    params: dict[str, str] = {}  # the candidate's own
    added: list[ParamChange] = []  # in the candidate's run only
    removed: list[ParamChange] = []  # in the champion's run only
    changed: list[ParamChange] = []
    unchanged: int = 0


# -- datasets and drift -------------------------------------------------------------------
class TrainingDataset(StrictModel):
    """A dataset version of the catalog a run consumed."""

    name: str
    version: int
    ref: str  # NAME@vN
    kind: str | None = None  # dataframe | file | folder; None when the catalog lost it
    rows: int | None = None
    columns: int | None = None
    created_at: UtcDateTime | None = None
    missing: str | None = None  # why the catalog could not give it


DatasetStatus = Literal["same", "changed", "added", "removed"]


class DatasetComparison(StrictModel):
    """One dataset's version in the candidate's training data against the champion's."""

    name: str
    candidate: str | None  # NAME@vN
    champion: str | None
    status: DatasetStatus
    diff: DatasetDiff | None = None  # champion's version -> candidate's
    diff_error: str | None = None  # why no diff could be computed


class DatasetsSection(_Section):
    candidate: list[TrainingDataset] = []
    champion: list[TrainingDataset] = []
    comparisons: list[DatasetComparison] = []


DriftVerdict = Literal["drifted", "no drift", "unknown"]


class DriftSummary(StrictModel):
    """The latest point of a monitor whose reference is a training dataset version."""

    monitor: str
    point_id: int
    created_at: UtcDateTime
    reference_dataset: str  # NAME@vN, one of the candidate's training datasets
    current_dataset: str | None
    share_of_drifted_columns: float | None
    number_of_drifted_columns: int
    number_of_columns: int
    verdict: DriftVerdict
    open_alerts: int


class DriftSection(_Section):
    monitors: list[DriftSummary] = []


# -- the notebook and its diff ----------------------------------------------------------------
NotebookOrigin = Literal["artifact", "job", "workspace"]


class NotebookRef(StrictModel):
    """Where a run's notebook was read from."""

    origin: NotebookOrigin  # a run artifact, a job step's executed copy, the workspace file
    path: str  # artifact path, or the notebook path relative to the workspace root
    note: str | None = None  # e.g. that a workspace file may have changed since the run


class CellOutput(StrictModel):
    output_type: str  # stream | execute_result | display_data | error
    text: str  # the output as text (rich outputs name their MIME types)
    truncated: bool = False


class NotebookCell(StrictModel):
    index: int
    id: str | None  # nbformat 4.5 cell id, the anchor of comments (with the index)
    cell_type: str
    source: str
    execution_count: int | None = None
    outputs: list[CellOutput] = []


class NotebookSection(_Section):
    notebook: NotebookRef | None = None
    cells: list[NotebookCell] = []


CellStatus = Literal["unchanged", "added", "removed", "modified"]
LineKind = Literal["context", "added", "removed", "skipped"]


class DiffLine(StrictModel):
    kind: LineKind  # skipped: unchanged lines left out (text says how many)
    text: str


class CellDiff(StrictModel):
    """One cell of the candidate's notebook against the champion's, in notebook order."""

    status: CellStatus
    index: int | None  # in the candidate's notebook (None: removed)
    champion_index: int | None  # in the champion's notebook (None: added)
    id: str | None  # the candidate's cell id, the champion's for a removed cell
    cell_type: str
    changed: list[str] = []  # what differs in a modified cell: source, outputs, cell_type
    source_diff: list[DiffLine] = []


class NotebookDiffSection(_Section):
    candidate: NotebookRef | None = None
    champion: NotebookRef | None = None
    counts: dict[str, int] = {}  # per status
    cells: list[CellDiff] = []


class ReviewPage(StrictModel):
    """Everything known about a model version, compared with the current champion."""

    model: str
    version: int
    champion_alias: str
    candidate: VersionInfo
    champion: VersionInfo | None = None
    champion_reason: str | None = None  # why there is nothing to compare with
    metrics: MetricsSection
    params: ParamsSection
    datasets: DatasetsSection
    drift: DriftSection
    notebook: NotebookSection
    notebook_diff: NotebookDiffSection
