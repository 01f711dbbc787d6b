"""Model quality on the reference and the current data, computed by scikit-learn.

``model_quality(reference, current, target, prediction)`` compares the predictions with the
labels on each side. The task is classification or regression (``task``, else read from the
target: numbers that are not whole, or whole numbers with more than 20 distinct values, are
a regression target; anything else is a set of classes).
- Classification: accuracy, precision, recall and f1 (of the positive label when there are
  two classes, the larger of the two sorted labels, e.g. 1 or True; macro averages
  otherwise), and roc_auc when the predictions are probabilities: one column of
  probabilities of the positive label (numbers in [0, 1] that are not the labels
  themselves), or one probability column per class named after the class.
- Regression: mae, rmse and r2.
Rows where the target or a prediction is missing are left out, and counted in ``notes``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import Invalid
from .models import ModelQuality, QualityMetric

Task = Literal["classification", "regression"]
MAX_CLASSES = 20  # whole-number targets with more distinct values are a regression target
THRESHOLD = 0.5  # a probability of the positive label at least this predicts it


def model_quality(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    target: str,
    prediction: str | Sequence[str],
    task: Task | None = None,
) -> ModelQuality:
    """Quality metrics of ``prediction`` against ``target`` on both sides (see module doc)."""
    predictions = _prediction_columns(prediction)
    if target in predictions:
        raise Invalid(f"{target!r} cannot be both the target and a prediction column")
    for side, frame in (("reference", reference), ("current", current)):
        for column in (target, *predictions):
            if column not in frame.columns:
                raise Invalid(f"the {side} data has no column {column!r}")
    if task not in (None, "classification", "regression"):
        raise Invalid(f"task must be 'classification' or 'regression', not {task!r}")
    notes: list[str] = []
    ref = _usable(reference, target, predictions, "reference", notes)
    cur = _usable(current, target, predictions, "current", notes)
    labels = pd.concat([ref[target], cur[target]], ignore_index=True)
    task = task or ("classification" if len(predictions) > 1 else _task_of(labels))
    if task == "classification":
        return _classification(ref, cur, target, predictions, notes)
    if len(predictions) > 1:
        raise Invalid("a regression model has one prediction column")
    return ModelQuality(
        task=task,
        target=target,
        prediction=predictions,
        reference_rows=len(ref),
        current_rows=len(cur),
        metrics=_regression(ref, cur, target, predictions[0]),
        notes=notes,
    )


def _prediction_columns(prediction: str | Sequence[str]) -> list[str]:
    columns = [prediction] if isinstance(prediction, str) else list(prediction)
    if not columns or not all(isinstance(c, str) and c for c in columns):
        raise Invalid(
            f"prediction must name a column (or one column per class), not {prediction!r}"
        )
    return columns


def _usable(
    frame: pd.DataFrame, target: str, predictions: list[str], side: str, notes: list[str]
) -> pd.DataFrame:
    kept = frame[[target, *predictions]].dropna()
    dropped = len(frame) - len(kept)
    if dropped:
        rows = "row" if dropped == 1 else "rows"
        notes.append(f"{dropped} {side} {rows} without target or prediction left out")
    return kept


def _task_of(labels: pd.Series) -> Task:
    if pd.api.types.is_bool_dtype(labels) or not pd.api.types.is_numeric_dtype(labels):
        return "classification"
    values = labels.to_numpy(dtype=np.float64)
    whole = bool(np.all(np.mod(values[np.isfinite(values)], 1) == 0))
    if whole and labels.nunique() <= MAX_CLASSES:
        return "classification"
    return "regression"


def _on_both(
    compute: Callable[[pd.DataFrame], float | None], ref: pd.DataFrame, cur: pd.DataFrame
) -> tuple[float | None, float | None]:
    return compute(ref), compute(cur)


def _metric(name: str, values: tuple[float | None, float | None], higher: bool) -> QualityMetric:
    return QualityMetric(
        name=name, reference=values[0], current=values[1], greater_is_better=higher
    )


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _regression(
    ref: pd.DataFrame, cur: pd.DataFrame, target: str, column: str
) -> list[QualityMetric]:
    from sklearn import metrics

    for side, frame in (("reference", ref), ("current", cur)):
        for name in (target, column):
            if not pd.api.types.is_numeric_dtype(frame[name]):
                dtype = frame[name].dtype
                raise Invalid(f"regression needs numbers: the {side} column {name!r} is {dtype}")

    def score(fn: Callable[..., Any], minimum: int = 1) -> Callable[[pd.DataFrame], float | None]:
        def compute(frame: pd.DataFrame) -> float | None:
            if len(frame) < minimum:
                return None
            return _finite(fn(frame[target], frame[column]))

        return compute

    def rmse(y: Any, p: Any) -> float:
        return float(np.sqrt(metrics.mean_squared_error(y, p)))

    return [
        _metric("mae", _on_both(score(metrics.mean_absolute_error), ref, cur), False),
        _metric("rmse", _on_both(score(rmse), ref, cur), False),
        _metric("r2", _on_both(score(metrics.r2_score, 2), ref, cur), True),
    ]


def _classification(
    ref: pd.DataFrame, cur: pd.DataFrame, target: str, predictions: list[str], notes: list[str]
) -> ModelQuality:
    from sklearn import metrics

    labels = pd.concat([ref[target], cur[target]], ignore_index=True)
    classes = _sorted_classes(labels)
    probabilities = _probability_columns(ref, cur, target, predictions, classes)
    binary = len(classes) == 2
    codes = list(range(len(classes)))  # labels are compared as their index in ``classes``

    def predicted(frame: pd.DataFrame) -> Any:
        if probabilities is None:
            return _encode(frame[predictions[0]], classes)
        if len(probabilities) == 1:  # the probability of the positive label
            return (frame[probabilities[0]].to_numpy(dtype=np.float64) >= THRESHOLD).astype(int)
        return frame[probabilities].to_numpy(dtype=np.float64).argmax(axis=1)

    def scorer(fn: Callable[..., Any], **options: Any) -> Callable[[pd.DataFrame], float | None]:
        def compute(frame: pd.DataFrame) -> float | None:
            if frame.empty:
                return None
            return _finite(fn(_encode(frame[target], classes), predicted(frame), **options))

        return compute

    # binary: the positive label's own score (a predicted label the target never holds
    # counts as wrong); else the macro average over the classes
    options = {"labels": codes[-1:] if binary else codes, "average": "macro", "zero_division": 0}
    found = [
        _metric("accuracy", _on_both(scorer(metrics.accuracy_score), ref, cur), True),
        _metric("precision", _on_both(scorer(metrics.precision_score, **options), ref, cur), True),
        _metric("recall", _on_both(scorer(metrics.recall_score, **options), ref, cur), True),
        _metric("f1", _on_both(scorer(metrics.f1_score, **options), ref, cur), True),
    ]
    if probabilities is not None:
        auc = _on_both(lambda f: _roc_auc(f, target, probabilities, classes, notes), ref, cur)
        found.append(_metric("roc_auc", auc, True))
    return ModelQuality(
        task="classification",
        target=target,
        prediction=predictions,
        positive_label=str(classes[-1]) if binary else None,
        classes=[str(c) for c in classes],
        reference_rows=len(ref),
        current_rows=len(cur),
        metrics=found,
        notes=notes,
    )


def _encode(values: pd.Series, classes: list[Any]) -> Any:
    """Each value's index in ``classes`` (by equality, as pandas compares: 1 == 1.0 == True);
    values outside ``classes`` get indexes after them."""
    known = pd.Series(classes, dtype=object)
    codes, _ = pd.factorize(pd.concat([known, values.astype(object)], ignore_index=True))
    return codes[len(classes) :]


def _sorted_classes(labels: pd.Series) -> list[Any]:
    distinct = list(pd.unique(labels))
    try:
        return sorted(distinct)
    except TypeError:  # labels of mixed types: ordered by their text
        return sorted(distinct, key=str)


def _probability_columns(
    ref: pd.DataFrame, cur: pd.DataFrame, target: str, predictions: list[str], classes: list[Any]
) -> list[str] | None:
    """The prediction columns when they hold probabilities, None when they hold labels."""
    if len(predictions) > 1:
        names = {str(c) for c in classes}
        unknown = [p for p in predictions if p not in names]
        if unknown or len(predictions) != len(classes):
            raise Invalid(
                f"with several prediction columns, give one probability column per class of "
                f"{target!r}, named after it: classes {sorted(names)}, columns {predictions}"
            )
        ordered = [next(p for p in predictions if p == str(c)) for c in classes]
        _check_probabilities(ref, cur, ordered)
        return ordered
    column = predictions[0]
    if len(classes) != 2 or not all(pd.api.types.is_float_dtype(f[column]) for f in (ref, cur)):
        return None
    values = pd.concat([ref[column], cur[column]], ignore_index=True)
    if set(pd.unique(values)) <= set(classes):  # 0.0/1.0 predicted for labels 0/1: labels
        return None
    _check_probabilities(ref, cur, [column])
    return [column]


def _check_probabilities(ref: pd.DataFrame, cur: pd.DataFrame, columns: list[str]) -> None:
    for side, frame in (("reference", ref), ("current", cur)):
        for column in columns:
            values = frame[column]
            if not pd.api.types.is_numeric_dtype(values) or not values.between(0, 1).all():
                raise Invalid(
                    f"the {side} column {column!r} is not a probability (numbers in [0, 1])"
                )


def _roc_auc(
    frame: pd.DataFrame, target: str, columns: list[str], classes: list[Any], notes: list[str]
) -> float | None:
    from sklearn.metrics import roc_auc_score

    present = set(pd.unique(frame[target]))
    if len(present) < 2 or (len(classes) > 2 and present != set(classes)):
        notes.append("roc_auc is undefined where a class is missing from the target")
        return None
    truth = _encode(frame[target], classes)
    if len(columns) == 1:
        positive = frame[columns[0]].to_numpy(dtype=np.float64)
        return _finite(roc_auc_score(truth == len(classes) - 1, positive))
    scores = frame[columns].to_numpy(dtype=np.float64)
    scores = scores / scores.sum(axis=1, keepdims=True)
    codes = list(range(len(classes)))
    return _finite(roc_auc_score(truth, scores, multi_class="ovr", labels=codes))
