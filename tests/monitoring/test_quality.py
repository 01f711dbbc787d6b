"""Model quality metrics against scikit-learn called directly on the same predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression

from jupyter_mlops.errors import Invalid
from jupyter_mlops.monitoring.quality import model_quality

from .frames import frames, with_model


def test_binary_labels() -> None:
    reference, current = frames(rows=300)
    reference, current = with_model(reference, 0.9), with_model(current, 0.7, seed=1)
    quality = model_quality(reference, current, "y", "pred")
    assert quality.task == "classification" and quality.positive_label == "1"
    assert [m.name for m in quality.metrics] == ["accuracy", "precision", "recall", "f1"]
    for side, frame in (("reference", reference), ("current", current)):
        y, p = frame["y"], frame["pred"]
        expected = {
            "accuracy": metrics.accuracy_score(y, p),
            "precision": metrics.precision_score(y, p),
            "recall": metrics.recall_score(y, p),
            "f1": metrics.f1_score(y, p),
        }
        for name, value in expected.items():
            assert getattr(quality.metric(name), side) == pytest.approx(value, abs=1e-12)
    accuracy = quality.metric("accuracy")
    assert accuracy.change == pytest.approx(accuracy.current - accuracy.reference)


def test_binary_probabilities_give_roc_auc() -> None:
    reference, current = frames(rows=300)
    reference = with_model(reference, 0.9, binary_probability=True)
    current = with_model(current, 0.7, seed=1, binary_probability=True)
    quality = model_quality(reference, current, "y", "proba")
    auc = quality.metric("roc_auc")
    assert auc.reference == pytest.approx(metrics.roc_auc_score(reference["y"], reference["proba"]))
    assert auc.current == pytest.approx(metrics.roc_auc_score(current["y"], current["proba"]))
    predicted = (current["proba"] >= 0.5).astype(int)
    assert quality.metric("accuracy").current == pytest.approx(
        metrics.accuracy_score(current["y"], predicted)
    )


def test_multiclass_probability_columns_and_string_labels() -> None:
    iris = load_iris(as_frame=True)
    names = np.array(iris.target_names)
    model = LogisticRegression(max_iter=500).fit(iris.data, iris.target)
    frame = iris.data.copy()
    frame["species"] = names[iris.target]
    for i, name in enumerate(names):
        frame[name] = model.predict_proba(iris.data)[:, i]
    reference, current = frame.iloc[::2].copy(), frame.iloc[1::2].copy()
    current["sepal length (cm)"] += 1
    quality = model_quality(reference, current, "species", list(names))
    assert quality.task == "classification" and quality.classes == sorted(names)
    proba = current[list(names)].to_numpy()
    expected = metrics.roc_auc_score(current["species"], proba, multi_class="ovr", labels=names)
    assert quality.metric("roc_auc").current == pytest.approx(expected)
    labels = names[proba.argmax(axis=1)]
    assert quality.metric("f1").current == pytest.approx(
        metrics.f1_score(current["species"], labels, average="macro")
    )


def test_regression_and_rows_without_prediction() -> None:
    diabetes = load_diabetes(as_frame=True)
    model = LinearRegression().fit(diabetes.data, diabetes.target)
    frame = diabetes.data.copy()
    frame["target"] = diabetes.target
    frame["predicted"] = model.predict(diabetes.data)
    reference, current = frame.iloc[:300].copy(), frame.iloc[300:].copy()
    current.loc[current.index[:5], "predicted"] = np.nan
    quality = model_quality(reference, current, "target", "predicted")
    assert quality.task == "regression" and [m.name for m in quality.metrics] == [
        "mae",
        "rmse",
        "r2",
    ]
    kept = current.dropna(subset=["predicted"])
    y, p = kept["target"], kept["predicted"]
    assert quality.current_rows == len(kept)
    assert quality.metric("mae").current == pytest.approx(metrics.mean_absolute_error(y, p))
    assert quality.metric("rmse").current == pytest.approx(
        np.sqrt(metrics.mean_squared_error(y, p))
    )
    assert quality.metric("r2").current == pytest.approx(metrics.r2_score(y, p))
    assert quality.notes == ["5 current rows without target or prediction left out"]
    assert not quality.metric("mae").greater_is_better


def test_task_can_be_given() -> None:
    frame = pd.DataFrame({"y": [1, 2, 3, 4], "p": [1, 2, 3, 5]})
    assert model_quality(frame, frame, "y", "p").task == "classification"
    assert model_quality(frame, frame, "y", "p", task="regression").task == "regression"


@pytest.mark.parametrize(
    ("frame", "target", "prediction", "task", "message"),
    [
        (pd.DataFrame({"y": [1, 0]}), "y", "p", None, "has no column 'p'"),
        (pd.DataFrame({"y": [1, 0]}), "y", "y", None, "cannot be both the target"),
        (pd.DataFrame({"y": [1.5, 2.5], "p": ["a", "b"]}), "y", "p", None, "regression needs"),
        (pd.DataFrame({"y": [1, 0], "p": [1, 0]}), "y", "p", "ranking", "task must be"),
        (
            pd.DataFrame({"y": [1, 0], "a": [0.5, 0.5], "b": [0.5, 0.5]}),
            "y",
            ["a", "b"],
            None,
            "one probability column per class",
        ),
        (pd.DataFrame({"y": [1, 0], "p": [1.5, 0.2]}), "y", "p", None, "is not a probability"),
        (pd.DataFrame({"y": [1, 0]}), "y", [], None, "prediction must name a column"),
    ],
)
def test_bad_input(
    frame: pd.DataFrame, target: str, prediction: object, task: object, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        model_quality(frame, frame, target, prediction, task)  # type: ignore[arg-type]
