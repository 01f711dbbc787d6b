"""A training set recorded on its MLflow run (Feast's tag names); the skew check of online
against offline values; the jobs' promotion gate that reads it."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib.metadata import entry_points

import pandas as pd
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops
from jupyter_mlops.features.gates import feature_freshness_gate
from jupyter_mlops.features.online_store import online_store_of
from jupyter_mlops.pipelines.gate_providers import ENTRY_POINT_GROUP
from jupyter_mlops.pipelines.gates import evaluate
from jupyter_mlops.pipelines.models import GateSpec, JobSpec, StepSpec
from jupyter_mlops.pipelines.store import JobStore, now
from jupyter_mlops.workspace import Workspace

from .test_online import define, recent_rows


def test_a_training_set_is_recorded_on_the_tracked_run(mlops_workspace: Workspace) -> None:
    mlops.datasets.save("driver_rows", recent_rows(3, 2.0))
    define()
    entity = pd.DataFrame(
        {"driver_id": [0, 1, 7], "event_timestamp": [pd.Timestamp.now(tz="UTC")] * 3}
    )
    with mlops.track(experiment="eta") as run:
        ts = mlops.features.training_set(entity, service="eta")
    recorded = MlflowClient(mlops_workspace.tracking_uri).get_run(run.run_id)
    tags = recorded.data.tags
    assert tags["feast.feature_service"] == "eta"
    assert tags["feast.feature_views"] == "driver_stats"
    assert tags["feast.feature_refs"] == "driver_stats:trips,driver_stats:rating"
    assert (tags["feast.project"], tags["feast.retrieval_type"]) == ("mlops", "historical")
    assert tags["feast.entity_count"] == "3"
    assert json.loads(tags["mlops.features.views"]) == [
        {"view": "driver_stats", "version": 1, "dataset": "driver_rows", "dataset_version": 1}
    ]
    (given,) = recorded.inputs.dataset_inputs
    assert given.dataset.digest == ts.digest()[:32]
    assert {t.key: t.value for t in given.tags}["mlflow.data.context"] == "training"


def test_skew_passes_when_online_equals_offline_and_names_what_differs(
    mlops_workspace: Workspace,
) -> None:
    mlops.datasets.save("driver_rows", recent_rows(20, 2.0))
    define()
    never = mlops.features.skew("eta")
    assert not never.passed and "never materialized" in never.reason
    mlops.features.materialize("driver_stats")
    report = mlops.features.skew("eta", sample=10)
    assert report.passed, report.reason
    (view,) = report.views
    assert (view.sampled, view.mismatched, view.fresh) == (10, 0, True)

    # serving skew: the online table changed behind the materialization's back
    online = online_store_of(mlops_workspace.online_store_url)
    with online.transaction(write=True) as conn:
        meta = online.meta(conn, "driver_stats")
        assert meta is not None
        conn.execute(f'UPDATE "{meta.table}" SET rating = 9.5 WHERE driver_id = 4')
    bad = mlops.features.skew("eta", sample=20)
    assert not bad.passed and bad.views[0].mismatched == 1
    assert bad.views[0].examples == ["driver_id=4: rating online 9.5, offline 2.0"]

    # a new dataset version not yet materialized: stale
    mlops.datasets.save("driver_rows", recent_rows(20, 3.0))
    stale = mlops.features.skew("eta", sample=5)
    assert not stale.views[0].fresh
    assert "written from dataset v1, the view now reads v2" in stale.reason


def job_with_run(ws: Workspace, run_ids: list[str]) -> JobStore:
    jobs = JobStore(ws)
    step = StepSpec(name="train", notebook="train.ipynb", notebook_object="0" * 64)
    jobs.create_job("train", JobSpec(steps=[step], gates=GateSpec(min_successful_runs=0)), "alice")
    run = jobs.create_run("train", "dev", "manual", "alice")
    jobs.move_run(
        run.id,
        ["queued"],
        status="succeeded",
        finished_at=now(),
        mlflow_run_ids=json.dumps(run_ids),
    )
    return jobs


def test_the_promotion_gate_reads_the_services_a_version_trained_on(
    mlops_workspace: Workspace,
) -> None:
    (point,) = [p for p in entry_points(group=ENTRY_POINT_GROUP) if p.name == "feature_freshness"]
    assert point.load() is feature_freshness_gate
    mlops.datasets.save("driver_rows", recent_rows(5, 2.0))
    define(ttl=timedelta(hours=1))
    entity = pd.DataFrame({"driver_id": [0], "event_timestamp": [pd.Timestamp.now(tz="UTC")]})
    with mlops.track(experiment="eta") as run:
        mlops.features.training_set(entity, service="eta")
    jobs = job_with_run(mlops_workspace, [run.run_id])

    def gate() -> tuple[bool, str]:
        (found,) = [
            g for g in evaluate(jobs, "train", "staging").gates if g.name.startswith("features")
        ]
        return found.passed, found.reason

    passed, reason = gate()
    assert not passed and "eta: driver_stats: never materialized" in reason
    mlops.features.materialize("driver_stats")
    passed, reason = gate()
    assert passed, reason
    assert feature_freshness_gate(jobs, "train", 1, "dev") is None
    assert (
        feature_freshness_gate(job_with_run_named(mlops_workspace), "other", 1, "staging") is None
    )


def job_with_run_named(ws: Workspace) -> JobStore:
    """A job whose run tracked no MLflow run: no gate is shown."""
    jobs = JobStore(ws)
    step = StepSpec(name="other", notebook="o.ipynb", notebook_object="0" * 64)
    jobs.create_job("other", JobSpec(steps=[step], gates=GateSpec(min_successful_runs=0)), "alice")
    return jobs
