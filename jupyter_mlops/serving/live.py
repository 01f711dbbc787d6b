"""Live traffic as data: an endpoint's answered requests decoded into the rows the model saw,
with its predictions, the labels that arrived later, and a monitor checking them for drift.

- ``live_frame``: the inference log's answered requests (arms champion and canary, status
  200) in a window, each request's input parsed by MLflow's own scoring-server parser (the
  formats it accepts: ``dataframe_split``, ``dataframe_records``, ``instances``,
  ``inputs``), one row per input row, with ``prediction``, ``request_id``, ``row`` (the
  row's place in its request), ``served_at`` and ``model_version`` beside the features;
- ``add_labels``: ground truth that arrives later, keyed by request id (and ``row`` when a
  request held several rows), kept as Parquet files in the endpoint's folder, each written
  whole; ``live_frame(labels=True)`` joins them, the last label given for a row winning;
- ``watch``: a monitoring check of the live window against a reference (a DataFrame or a
  dataset version), recorded as a point of a monitor whose thresholds raise alerts and
  whose actions (``run_job:retrain``) start the retraining job. Scheduled as a job step, it
  closes the loop: drift → alert → retrain → review → the alias moves → the endpoint
  switches.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.pyfunc.scoring_server import infer_and_parse_data

from ..errors import Invalid, NotFound
from ..monitoring import api as monitoring
from ..monitoring.models import DriftCheck
from ..workspace import Workspace
from .endpoint import endpoint_dir
from .queries import log

ANSWERED_ARMS = ("champion", "canary")
META_COLUMNS = ("prediction", "request_id", "row", "served_at", "model_version")
DEFAULT_WINDOW = "1h"


def window_start(last: str | timedelta | None, since: Any = None) -> pd.Timestamp | None:
    """The window's first moment: ``since`` (a time with its zone), else now minus ``last``
    (``"15min"``, ``"1h"``, ``"2d"`` or a timedelta)."""
    if since is not None:
        start = pd.Timestamp(since)
        if start.tzinfo is None:
            raise Invalid(f"since={since!r} has no time zone: give one, e.g. '…+00:00'")
        return start
    if last is None:
        return None
    try:
        span = pd.Timedelta(last)
    except ValueError as exc:
        raise Invalid(f"last={last!r} is not a duration: write e.g. '15min', '1h' or '2d'") from exc
    if span <= pd.Timedelta(0):
        raise Invalid(f"last={last!r} must be a positive duration")
    return pd.Timestamp.now(tz="UTC") - span


def decode_request(text: str) -> pd.DataFrame:
    """One logged request body as the rows the model saw (MLflow's parser)."""
    try:
        payload = json.loads(text)
        formats = {k: v for k, v in payload.items() if k != "params"}
        parsed = infer_and_parse_data(formats)
    except (ValueError, AttributeError, MlflowException) as exc:
        raise Invalid(f"not an MLflow scoring request: {exc}") from exc
    if isinstance(parsed, pd.DataFrame):
        return parsed.reset_index(drop=True)
    return pd.DataFrame(parsed)


def _predictions(text: str) -> list[Any] | None:
    try:
        found = json.loads(text).get("predictions")
    except (ValueError, AttributeError):
        return None
    if isinstance(found, dict):  # a column per output: the first stands for the prediction
        found = next(iter(found.values()), None)
    return found if isinstance(found, list) else None


def live_frame(
    ws: Workspace,
    name: str,
    last: str | timedelta | None = DEFAULT_WINDOW,
    since: Any = None,
    labels: bool = False,
) -> pd.DataFrame:
    """Endpoint ``name``'s answered rows in the window (see the module doc), oldest first."""
    start = window_start(last, since)
    logged = log(ws, name, start)
    answered = logged[logged["arm"].isin(ANSWERED_ARMS) & (logged["status"] == 200)]
    frames = []
    for entry in answered.itertuples():
        try:
            rows = decode_request(str(entry.input))
        except Invalid:
            continue  # answered 200 yet not parseable: a format MLflow reads and we do not
        predicted = _predictions(str(entry.prediction))
        if predicted is None or len(predicted) != len(rows):
            continue
        rows["prediction"] = predicted
        rows["request_id"] = entry.request_id
        rows["row"] = range(len(rows))
        rows["served_at"] = entry.time
        rows["model_version"] = entry.model_version
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=list(META_COLUMNS))
    frame = pd.concat(frames, ignore_index=True)
    if labels:
        frame = _join_labels(endpoint_dir(ws, name), frame)
    return frame


def labels_dir(directory: Path) -> Path:
    return directory / "labels"


def add_labels(ws: Workspace, name: str, labels: pd.DataFrame) -> int:
    """Keep ``labels`` (a ``request_id`` column, optionally ``row``, and the label columns)
    for endpoint ``name``; how many rows were kept."""
    directory = endpoint_dir(ws, name)
    if not directory.is_dir():
        raise NotFound(f"no endpoint named {name} was ever served here")
    if "request_id" not in labels.columns:
        raise Invalid("labels need a request_id column (the X-Request-Id of each answer)")
    given = [c for c in labels.columns if c not in ("request_id", "row")]
    if not given:
        raise Invalid("labels need at least one label column beside request_id and row")
    clash = sorted(set(given) & set(META_COLUMNS))
    if clash:
        raise Invalid(f"label columns may not be named {', '.join(clash)}")
    frame = labels.copy()
    frame["request_id"] = frame["request_id"].astype(str)
    frame["row"] = frame["row"].astype("int64") if "row" in frame.columns else 0
    frame["labelled_at"] = pd.Timestamp.now(tz="UTC")
    folder = labels_dir(directory)
    folder.mkdir(exist_ok=True)
    stem = f"{pd.Timestamp.now(tz='UTC'):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    partial = folder / f".{stem}.partial"
    frame.to_parquet(partial, index=False)
    os.replace(partial, folder / f"{stem}.parquet")  # a reader sees all of it or nothing
    return len(frame)


def _join_labels(directory: Path, frame: pd.DataFrame) -> pd.DataFrame:
    files = sorted(labels_dir(directory).glob("*.parquet"))
    if not files:
        return frame
    given = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    latest = (
        given.sort_values("labelled_at", kind="stable")
        .drop_duplicates(["request_id", "row"], keep="last")
        .drop(columns=["labelled_at"])
    )
    joined = frame.astype({"request_id": str}).merge(latest, on=["request_id", "row"], how="left")
    return joined


def watch(
    ws: Workspace,
    name: str,
    reference: pd.DataFrame | str,
    monitor: str | None = None,
    last: str | timedelta | None = DEFAULT_WINDOW,
    columns: Sequence[str] | None = None,
    *,
    target: str | None = None,
    thresholds: Sequence[str] | None = None,
    actions: Sequence[str] | None = None,
    min_rows: int = 30,
) -> DriftCheck:
    """Check endpoint ``name``'s live window for drift against ``reference`` (the features
    both share, or ``columns``), recorded as a point of ``monitor`` (default
    ``NAME-live``). With ``target``, live quality too, from the labels joined on request
    id (the reference needs the target and a ``prediction`` column)."""
    current = live_frame(ws, name, last, labels=target is not None)
    if len(current) < min_rows:
        raise Invalid(
            f"endpoint {name} answered {len(current)} rows in the window; a drift check "
            f"needs at least {min_rows}: widen last= or wait for traffic"
        )
    if columns is None:
        shared = current.columns.drop(list(META_COLUMNS), errors="ignore")
        if isinstance(reference, pd.DataFrame):
            shared = shared.intersection(reference.columns, sort=False)
        columns = [str(c) for c in shared if c != target]
    prediction = "prediction" if target is not None else None
    if target is not None:
        current = current.dropna(subset=[target])
    return monitoring.drift(
        reference,
        current,
        name=monitor or f"{name}-live",
        columns=list(columns),
        target=target,
        prediction=prediction,
        thresholds=thresholds,
        actions=actions,
    )
