"""The prod promotion gate of the jobs area reads the review state: the real job store,
a real MLflow run with a logged model, the registry and the reviews."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Conflict
from jupyter_mlops.pipelines.gate_providers import ENTRY_POINT_GROUP, gate_providers
from jupyter_mlops.pipelines.gates import evaluate
from jupyter_mlops.pipelines.models import GateSpec, JobSpec, StepSpec
from jupyter_mlops.pipelines.promotion import promote
from jupyter_mlops.pipelines.promotion_models import GateResult
from jupyter_mlops.pipelines.store import JobStore, now
from jupyter_mlops.reviews.gates import model_review_gate
from jupyter_mlops.reviews.store import ReviewStore

from ..helpers import make_run
from .conftest import ALICE, BOB


def job_in_staging(reviews: ReviewStore, mlflow_run_ids: list[str]) -> JobStore:
    """Job ``train`` v1 in staging, with one finished dev run that tracked those runs."""
    jobs = JobStore(reviews.ws)
    step = StepSpec(name="train", notebook="train.ipynb", notebook_object="0" * 64)
    spec = JobSpec(steps=[step], gates=GateSpec(min_successful_runs=0))
    jobs.create_job("train", spec, "alice")
    run = jobs.create_run("train", "dev", "manual", "alice")
    jobs.move_run(
        run.id,
        ["queued"],
        status="succeeded",
        finished_at=now(),
        mlflow_run_ids=json.dumps(mlflow_run_ids),
    )
    promote(jobs, "train", "staging", "alice")
    return jobs


def review_gate(jobs: JobStore) -> GateResult:
    (found,) = [g for g in evaluate(jobs, "train", "prod").gates if g.name == "model review"]
    return found


def test_the_gate_is_the_installed_model_review_provider() -> None:
    (point,) = [p for p in entry_points(group=ENTRY_POINT_GROUP) if p.name == "model_review"]
    assert point.value == "jupyter_mlops.reviews.gates:model_review_gate"
    assert point.load() is model_review_gate
    assert "model_review" in gate_providers()


def test_prod_needs_an_approved_review_of_a_model_the_version_made(
    reviews: ReviewStore, model_run: str
) -> None:
    jobs = job_in_staging(reviews, [model_run])
    assert [g.name for g in evaluate(jobs, "train", "staging").gates if "review" in g.name] == []

    gate = review_gate(jobs)
    assert not gate.passed
    assert "no model version was registered from the MLflow runs of v1 of job 'train'" in (
        gate.reason
    )
    mlops.reviews.register(model_run, "cancer")
    assert review_gate(jobs).reason.endswith("cancer v1 has no review")
    review = mlops.reviews.request("cancer", 1, by=ALICE)
    assert review_gate(jobs).reason.endswith(f"review {review.id} is open (0 of 1 approval(s))")
    mlops.reviews.request_changes(review.id, "retrain on v4", by=BOB)
    assert "waiting on changes requested by bob" in review_gate(jobs).reason
    with pytest.raises(Conflict, match="model review: no approved review"):
        promote(jobs, "train", "prod", "alice")

    mlops.reviews.approve(review.id, by=BOB)
    gate = review_gate(jobs)
    assert gate.passed
    assert gate.reason.startswith(f"cancer v1 approved in review {review.id} by bob on ")
    assert promote(jobs, "train", "prod", "alice").version_to == 1


def test_a_version_that_tracked_no_model_cannot_reach_prod(reviews: ReviewStore) -> None:
    jobs = job_in_staging(reviews, [])
    gate = review_gate(jobs)
    assert (gate.passed, gate.reason) == (
        False,
        "no run of v1 of job 'train' tracked an MLflow run to register and review",
    )
    assert model_review_gate(jobs, "train", 1, "staging") is None


def test_a_review_of_another_run_s_model_does_not_count(
    reviews: ReviewStore, model_run: str
) -> None:
    other = make_run("reviews", {"accuracy": 0.1})
    jobs = job_in_staging(reviews, [other])
    mlops.reviews.register(model_run, "cancer")
    review = mlops.reviews.request("cancer", 1, by=ALICE)
    mlops.reviews.approve(review.id, by=BOB)
    gate = review_gate(jobs)
    assert not gate.passed and "no model version was registered" in gate.reason
