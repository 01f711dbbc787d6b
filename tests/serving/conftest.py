"""A registered model of two versions that answer differently, for real scoring servers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import mlflow
import numpy as np
import pytest
from mlflow.tracking import MlflowClient
from sklearn.dummy import DummyClassifier

from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import Workspace

MODEL = "cancer"
ROWS = {"dataframe_split": {"columns": ["a", "b"], "data": [[1.0, 2.0], [3.0, 4.0]]}}


@dataclass
class Registered:
    client: MlflowClient
    versions: list[str]  # v1 predicts 0 for every row, v2 predicts 1


def _constant_model(label: int) -> DummyClassifier:
    features = np.array([[0.0, 0.0], [1.0, 1.0]])
    return DummyClassifier(strategy="constant", constant=label).fit(features, [0, 1])


@pytest.fixture
def registered(mlops_workspace: Workspace) -> Iterator[Registered]:
    """``cancer`` v1 (answers 0) and v2 (answers 1), alias ``champion`` on v1."""
    client = use_workspace(mlops_workspace)
    versions = []
    for label in (0, 1):
        with mlflow.start_run():
            info = mlflow.sklearn.log_model(
                _constant_model(label), name="model", registered_model_name=MODEL
            )
        versions.append(str(info.registered_model_version))
    client.set_registered_model_alias(MODEL, "champion", versions[0])
    yield Registered(client, versions)
