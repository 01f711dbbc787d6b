"""A registered model of two versions that answer differently, for real scoring servers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass

import mlflow
import numpy as np
import psutil
import pytest
from mlflow.tracking import MlflowClient
from sklearn.dummy import DummyClassifier

from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import ROOT_ENV, Workspace

MODEL = "cancer"
ROWS = {"dataframe_split": {"columns": ["a", "b"], "data": [[1.0, 2.0], [3.0, 4.0]]}}


@dataclass
class Registered:
    client: MlflowClient
    versions: list[str]  # v1 predicts 0 for every row, v2 predicts 1


def _constant_model(label: int) -> DummyClassifier:
    features = np.array([[0.0, 0.0], [1.0, 1.0]])
    return DummyClassifier(strategy="constant", constant=label).fit(features, [0, 1])


@pytest.fixture(autouse=True)
def no_server_outlives_its_test(mlops_workspace: Workspace) -> Iterator[None]:
    """Whatever a test leaves serving in its workspace (a router, scoring servers), even when
    it fails halfway, is killed after it."""
    yield
    for announced in mlops_workspace.mlops_dir.glob("serving/*/router.json"):
        with contextlib.suppress(OSError, ValueError, KeyError):
            os.killpg(int(json.loads(announced.read_text())["pid"]), signal.SIGKILL)
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            ours = proc.environ().get(ROOT_ENV) == str(mlops_workspace.root)
            leader = proc.pid != os.getpid() and proc.pid == os.getpgid(proc.pid)
            if ours and leader and "serve" in proc.cmdline():
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def registered(mlops_workspace: Workspace) -> Iterator[Registered]:
    """``cancer`` v1 (answers 0) and v2 (answers 1), alias ``champion`` on v1."""
    client = use_workspace(mlops_workspace)
    versions = []
    mlflow.set_experiment("serving")  # this workspace's, whatever an earlier test set
    for label in (0, 1):
        with mlflow.start_run():
            # requirements given: MLflow would otherwise infer them in a subprocess (slow)
            info = mlflow.sklearn.log_model(
                _constant_model(label),
                name="model",
                registered_model_name=MODEL,
                pip_requirements=["scikit-learn"],
            )
        versions.append(str(info.registered_model_version))
    client.set_registered_model_alias(MODEL, "champion", versions[0])
    yield Registered(client, versions)
