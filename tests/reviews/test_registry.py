"""Registering a run's model in MLflow's real registry; versions and aliases as MLflow
sees them through its own client."""

from __future__ import annotations

import pytest
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.store import ReviewStore

from ..helpers import make_run


def test_a_registered_run_model_and_its_alias_are_mlflow_s_own(
    reviews: ReviewStore, model_run: str, mlops_client: MlflowClient
) -> None:
    first = mlops.reviews.register(model_run, "cancer")
    second = mlops.reviews.register(model_run, "cancer", artifact_path="model")
    assert (first.name, first.version, first.run_id) == ("cancer", 1, model_run)
    assert second.version == 2 and second.model_id == first.model_id is not None
    mv = mlops_client.get_model_version("cancer", "1")
    assert (mv.run_id, mv.source) == (model_run, first.source)

    assert mlops.reviews.champion("cancer") is None
    mlops.reviews.set_alias("cancer", "champion", 1)
    mlops.reviews.set_alias("cancer", "challenger", 2)
    assert mlops_client.get_model_version_by_alias("cancer", "champion").version in (1, "1")
    assert mlops_client.get_registered_model("cancer").aliases == {"champion": 1, "challenger": 2}
    champion = mlops.reviews.champion("cancer")
    assert champion is not None and (champion.version, champion.aliases) == (1, ["champion"])
    assert [v.version for v in mlops.reviews.versions("cancer")] == [2, 1]
    assert [v.version for v in registry.versions_of_runs(reviews.ws, [model_run])] == [2, 1]


def test_a_run_without_a_model_or_a_wrong_name_is_refused_clearly(
    reviews: ReviewStore, model_run: str
) -> None:
    bare = make_run("reviews", {"accuracy": 0.5})
    with pytest.raises(Invalid, match=f"MLflow run {bare} logged no model to register"):
        mlops.reviews.register(bare, "cancer")
    with pytest.raises(Invalid, match=f"MLflow run {model_run} logged no model 'clf'.*model"):
        mlops.reviews.register(model_run, "cancer", artifact_path="clf")
    with pytest.raises(NotFound, match="MLflow run '0123abcd'"):
        mlops.reviews.register("0123abcd", "cancer")
    with pytest.raises(Invalid, match="model name must not be empty"):
        mlops.reviews.register(model_run, " ")
    with pytest.raises(Invalid, match="quotes"):
        mlops.reviews.register(model_run, "can'cer")
    with pytest.raises(NotFound, match="model 'nope'"):
        mlops.reviews.versions("nope")
    mlops.reviews.register(model_run, "cancer")
    with pytest.raises(Invalid, match="alias 'v2'"):
        mlops.reviews.set_alias("cancer", "v2", 1)
    with pytest.raises(NotFound):
        mlops.reviews.set_alias("cancer", "champion", 9)
