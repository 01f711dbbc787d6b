"""Fixtures of the reviews tests: a real MLflow store with a real sklearn model logged in
a run and registered in MLflow's registry, and the review store on the real state DB."""

from __future__ import annotations

import pytest

from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.reviews.models import Identity, ModelVersionInfo
from jupyter_mlops.reviews.store import ReviewStore
from jupyter_mlops.workspace import Workspace

ALICE = Identity(username="alice", display_name="Alice A.")
BOB = Identity(username="bob", display_name="Bob B.")
CAROL = Identity(username="carol", display_name="Carol C.")
MALLORY = Identity(username="mallory", display_name="Mallory M.")


def log_model_run(experiment: str = "reviews", name: str = "model") -> str:
    """A run that logs a tiny real scikit-learn model; returns the run id."""
    import mlflow
    import mlflow.sklearn
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit([[0.0], [1.0], [0.2], [0.9]], [0, 1, 0, 1])
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        mlflow.log_metric("accuracy", 1.0)
        # requirements given: MLflow would otherwise infer them in a subprocess (slow)
        mlflow.sklearn.log_model(model, name=name, pip_requirements=["scikit-learn"])
    return str(run.info.run_id)


@pytest.fixture
def reviews(mlops_workspace: Workspace, mlops_client: object) -> ReviewStore:
    """The review store of the test workspace (MLflow's fluent API points there too)."""
    return store_for(mlops_workspace)


@pytest.fixture
def model_run(mlops_client: object) -> str:
    return log_model_run()


@pytest.fixture
def version(reviews: ReviewStore, model_run: str) -> ModelVersionInfo:
    """Version 1 of model ``cancer``, registered from ``model_run``."""
    return registry.register(reviews.ws, model_run, "cancer")
