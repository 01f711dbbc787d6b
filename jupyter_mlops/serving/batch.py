"""Batch scoring: a dataset version scored by a registered model into a new dataset version,
as a job step (a notebook cell) or from any notebook.

The model is loaded by MLflow's own pyfunc loader (``models:/NAME/VERSION``, the version the
alias names when scoring starts); the input is read verified from the catalog and the
output saved as the next version of ``into`` with the predictions beside the input
columns. Lineage runs both ways through the MLflow run the scoring happens in (the caller's
``track()`` block, else one of its own in experiment ``batch-scoring``): the run consumed
the input version and produced the output version (datasets' lineage), and it names the
model version it scored with (tags ``mlops.scored_model`` and ``mlops.scored_version``),
which MLflow's model version page links back through the run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import mlflow
import numpy as np
import pandas as pd

from ..datasets import api as datasets
from ..datasets.models import SaveResult
from ..errors import Invalid
from ..tracking.store import use_workspace
from ..tracking.tracker import TrackedRun, active, track
from ..workspace import Workspace
from .endpoint import Endpoint
from .refs import parse_model_ref

BATCH_EXPERIMENT = "batch-scoring"
MODEL_TAG = "mlops.scored_model"
VERSION_TAG = "mlops.scored_version"


@contextmanager
def _scoring_run(ws: Workspace, title: str) -> Iterator[TrackedRun]:
    """The caller's tracked run, else one of our own for this scoring."""
    current = active()
    if current is not None:
        yield current
        return
    with track(BATCH_EXPERIMENT, run_name=title, autolog=False, workspace=ws) as run:
        yield run


def _as_column(predicted: object, rows: int) -> np.ndarray:
    if isinstance(predicted, pd.DataFrame):
        if predicted.shape[1] != 1:
            raise Invalid(
                f"the model answers {predicted.shape[1]} columns per row; batch scoring keeps "
                "one prediction column (score with a model that answers one)"
            )
        predicted = predicted.iloc[:, 0]
    values = np.asarray(predicted)
    if values.ndim != 1 or len(values) != rows:
        raise Invalid(f"the model answered {values.shape} for {rows} rows: one value per row")
    return values


def score(
    ws: Workspace,
    model: str,
    dataset: str,
    into: str,
    columns: Sequence[str] | None = None,
    prediction: str = "prediction",
) -> SaveResult:
    """Score ``dataset`` (``NAME``, ``NAME@vN`` or a tag) with ``model`` (``NAME@ALIAS`` or
    ``NAME/VERSION``) on ``columns`` (default: all), saved as the next version of ``into``.
    ``ws`` must be the current workspace: the dataset is read and saved through
    ``mlops.datasets``, which works in it."""
    ref = parse_model_ref(model)
    version = Endpoint(ws, "batch", ref).resolve()
    title = f"score {dataset} with {ref.name} v{version}"
    with _scoring_run(ws, title) as run:
        frame = datasets.load(dataset)
        if not isinstance(frame, pd.DataFrame):
            raise Invalid(f"{dataset} is not a table: batch scoring reads a DataFrame")
        if prediction in frame.columns:
            raise Invalid(f"{dataset} already has a {prediction!r} column: pass prediction=")
        missing = [c for c in columns or [] if c not in frame.columns]
        if missing:
            raise Invalid(f"{dataset} has no column {', '.join(map(repr, missing))}")
        loaded = mlflow.pyfunc.load_model(f"models:/{ref.name}/{version}")
        scored = frame.copy()
        scored[prediction] = _as_column(loaded.predict(frame[list(columns or frame.columns)]),
                                        len(frame))  # fmt: skip
        client = use_workspace(ws)
        client.set_tag(run.run_id, MODEL_TAG, ref.name)
        client.set_tag(run.run_id, VERSION_TAG, version)
        return datasets.save(into, scored, message=f"{dataset} scored by {ref.name} v{version}")
