"""Promotion between stages: gates with their reasons, compare-and-set, rollback, audit.

Runs are real rows whose status and outputs are set through the store (what a worker
records); the MLflow run, the dataset with its checks and the monitoring alert are real.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import jupyter_mlops as mlops
from jupyter_mlops.datasets.checks import not_null
from jupyter_mlops.errors import Conflict, Invalid
from jupyter_mlops.pipelines import gate_providers
from jupyter_mlops.pipelines.definitions import JobOptions, StepInput, create_job
from jupyter_mlops.pipelines.gate_providers import register_gate, unregister_gate
from jupyter_mlops.pipelines.gates import evaluate
from jupyter_mlops.pipelines.models import GateSpec, MetricGate, RunStatus, Stage
from jupyter_mlops.pipelines.promotion import promote, rollback
from jupyter_mlops.pipelines.promotion_models import GateReport, GateResult, PromotionResult
from jupyter_mlops.pipelines.store import JobStore, now
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace

from ..monitoring.frames import frames


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


def make_job(store: JobStore, gate_spec: GateSpec | None = None, name: str = "train") -> None:
    """A pipeline of two real notebooks: prep feeds train."""
    root = store.ws.root
    write_notebook(root / "prep.ipynb", "rows = 10", parameters="limit = 5")
    write_notebook(root / "train.ipynb", "print(rows)", parameters="rows = 0\nalpha = 0.5")
    steps = [
        StepInput(name="prep", notebook="prep.ipynb"),
        StepInput(name="train", notebook="train.ipynb", inputs={"rows": "prep.rows"}),
    ]
    options = JobOptions(gates=gate_spec or GateSpec(min_successful_runs=1))
    create_job(store, name, steps, "alice", options=options)


def finish_run(
    store: JobStore,
    stage: Stage = "dev",
    status: RunStatus = "succeeded",
    outputs: dict[str, dict[str, Any]] | None = None,
    mlflow_run_ids: list[str] | None = None,
    name: str = "train",
) -> int:
    """A run of the stage's version taken through queued → running → ``status``."""
    run = store.create_run(name, stage, "manual", "alice")
    store.move_run(run.id, ["queued"], status="running", started_at=now())
    for step, values in (outputs or {}).items():
        store.update_step(run.id, step, status="succeeded", outputs=values)
    store.move_run(
        run.id,
        ["running"],
        status=status,
        finished_at=now(),
        mlflow_run_ids=json.dumps(mlflow_run_ids or []),
    )
    return run.id


def gate(report: GateReport, name: str) -> GateResult:
    (found,) = [g for g in report.gates if g.name == name]
    return found


def stage_version(store: JobStore, stage: Stage, name: str = "train") -> int | None:
    (state,) = [s for s in store.get_job(name).stages if s.stage == stage]
    return state.version


def test_promoting_to_dev_or_from_an_empty_stage_is_invalid(store: JobStore) -> None:
    make_job(store)
    with pytest.raises(Invalid, match="nothing is promoted to dev"):
        evaluate(store, "train", "dev")
    with pytest.raises(Invalid, match="no version in staging to promote to prod"):
        evaluate(store, "train", "prod")
    with pytest.raises(Invalid, match="stage must be one of"):
        promote(store, "train", "qa", "alice")
    assert [e.action for e in store.events("train")] == ["create"]


def test_recent_runs_must_all_have_succeeded(store: JobStore) -> None:
    make_job(store, GateSpec(min_successful_runs=2))
    report = evaluate(store, "train", "staging")
    assert (report.from_stage, report.to_stage, report.version) == ("dev", "staging", 1)
    assert [g.name for g in report.gates] == ["new version", "recent runs", "monitoring"]
    assert gate(report, "new version").reason == "v1 would be the first version in staging"
    runs = gate(report, "recent runs")
    assert not runs.passed and not report.allowed
    assert runs.reason == "0 finished run(s) of v1 in dev, all succeeded; 2 are required"

    finish_run(store)
    failed = finish_run(store, status="failed")
    store.create_run("train", "dev", "manual", "alice")  # queued: not finished, not counted
    runs = gate(evaluate(store, "train", "staging"), "recent runs")
    assert not runs.passed
    assert runs.reason == (
        f"1 of the last 2 finished runs of v1 in dev did not succeed (run {failed} failed); "
        "2 successful in a row are required"
    )
    finish_run(store)
    runs = gate(evaluate(store, "train", "staging"), "recent runs")
    assert runs.passed is False and f"run {failed} failed" in runs.reason
    finish_run(store)
    report = evaluate(store, "train", "staging")
    assert report.allowed
    assert gate(report, "recent runs").reason == "the last 2 run(s) of v1 in dev succeeded"

    result = promote(store, "train", "staging", "bob")
    assert (result.stage, result.version_from, result.version_to) == ("staging", None, 1)
    assert stage_version(store, "staging") == 1
    event = store.events("train")[0]
    assert (event.action, event.by, event.stage, event.version_from, event.version_to) == (
        "promote",
        "bob",
        "staging",
        None,
        1,
    )
    assert event.detail["gates"] == [g.model_dump() for g in result.gates]
    # the same version again: the "new version" gate refuses
    again = evaluate(store, "train", "staging")
    assert gate(again, "new version").reason == "staging already runs v1"
    with pytest.raises(Conflict, match="new version: staging already runs v1"):
        promote(store, "train", "staging", "bob")


def test_no_required_runs_passes(store: JobStore) -> None:
    make_job(store, GateSpec(min_successful_runs=0))
    report = evaluate(store, "train", "staging")
    assert gate(report, "recent runs").reason == "no successful runs are required"
    assert report.allowed


def test_the_target_stage_s_overrides_must_suit_the_candidate(store: JobStore) -> None:
    """Staging overrides alpha; a new version whose notebook renamed it is refused, instead
    of running in staging with the notebook's default."""
    make_job(store, GateSpec(min_successful_runs=0))
    report = evaluate(store, "train", "staging")
    assert "staging parameters" not in [g.name for g in report.gates]  # nothing overridden
    store.configure_stage("train", "staging", "alice", parameters={"alpha": 0.9})
    assert gate(evaluate(store, "train", "staging"), "staging parameters").passed
    write_notebook(store.ws.root / "train.ipynb", "print(rows)", parameters="rows = 0\nrate = 0.5")
    version = mlops.jobs.update("train", by="alice").number
    report = evaluate(store, "train", "staging")
    refused = gate(report, "staging parameters")
    assert not refused.passed and not report.allowed
    assert refused.reason.startswith(f"v{version}: ") and "'alpha'" in refused.reason


def test_thresholds_read_outputs_of_the_latest_successful_run(store: JobStore) -> None:
    thresholds = [
        MetricGate(source="output", name="accuracy", op=">=", value=0.9),
        MetricGate(source="output", name="train.loss", op="<", value=0.5),
        MetricGate(source="output", name="rows", op=">", value=0),
        MetricGate(source="output", name="prep.rows", op="==", value=10),
        MetricGate(source="output", name="f1", op=">=", value=0.5),
        MetricGate(source="output", name="train.label", op="==", value=1),
    ]
    make_job(store, GateSpec(min_successful_runs=0, thresholds=thresholds))
    report = evaluate(store, "train", "staging")
    assert gate(report, "output accuracy >= 0.9").reason == (
        "no successful run of v1 in dev to read accuracy from"
    )

    outputs = {
        "prep": {"rows": 10},
        "train": {"accuracy": 0.95, "loss": 0.2, "rows": 12, "label": "cat"},
    }
    finish_run(store, outputs=outputs)
    worse = {"prep": {"rows": 10}, "train": {**outputs["train"], "accuracy": 0.85}}
    latest = finish_run(store, outputs=worse)
    finish_run(store, status="failed", outputs=outputs)  # newer, but not successful
    report = evaluate(store, "train", "staging")
    results = {g.name: g for g in report.gates}
    assert results["output accuracy >= 0.9"].model_dump() == {
        "name": "output accuracy >= 0.9",
        "passed": False,
        "reason": f"accuracy = 0.85 (run {latest}, step train) is not >= 0.9",
    }
    assert results["output train.loss < 0.5"].passed
    assert results["output train.loss < 0.5"].reason == (
        f"train.loss = 0.2 (run {latest}, step train) < 0.5"
    )
    assert results["output rows > 0"].reason == (
        f"steps prep, train of run {latest} all published 'rows': name one as STEP.NAME"
    )
    assert results["output prep.rows == 10"].passed
    assert results["output f1 >= 0.5"].reason == (
        f"no step of run {latest} published an output 'f1'"
    )
    assert results["output train.label == 1"].reason == (
        f"output 'train.label' of run {latest} (step train) is 'cat', not a number"
    )
    assert not report.allowed
    with pytest.raises(Conflict) as refused:
        promote(store, "train", "staging", "carol")
    message = str(refused.value)
    assert message.startswith("v1 of job 'train' cannot be promoted to staging: ")
    assert "output accuracy >= 0.9: accuracy = 0.85" in message and "output f1 >= 0.5" in message
    assert "train.loss" not in message  # passing gates are not named
    event = store.events("train")[0]
    assert (event.action, event.by, event.version_from, event.version_to) == (
        "promote-refused",
        "carol",
        None,
        1,
    )
    assert event.detail["allowed"] is False
    assert stage_version(store, "staging") is None


def test_an_mlflow_metric_of_the_run_is_a_gate(store: JobStore, mlops_client: Any) -> None:
    thresholds = [
        MetricGate(source="mlflow", name="auc", op=">=", value=0.9),
        MetricGate(source="mlflow", name="rmse", op="<=", value=1),
    ]
    make_job(store, GateSpec(min_successful_runs=1, thresholds=thresholds))
    experiment = mlops_client.create_experiment("gates")
    early, late = (mlops_client.create_run(experiment).info.run_id for _ in range(2))
    mlops_client.log_metric(early, "auc", 0.99, timestamp=1_000, step=0)
    mlops_client.log_metric(late, "auc", 0.7, timestamp=2_000, step=0)
    mlops_client.log_metric(late, "auc", 0.93, timestamp=3_000, step=1)
    for run_id in (early, late):
        mlops_client.set_terminated(run_id)
    run = finish_run(store, mlflow_run_ids=[early, late])

    report = evaluate(store, "train", "staging")
    auc = gate(report, "mlflow auc >= 0.9")
    assert auc.passed and auc.reason == f"auc = 0.93 (run {run}, MLflow run {late}) >= 0.9"
    rmse = gate(report, "mlflow rmse <= 1")
    assert not rmse.passed
    assert rmse.reason == f"no MLflow run of run {run} logged metric 'rmse'"

    finish_run(store)  # a newer successful run that created no MLflow run
    report = evaluate(store, "train", "staging")
    assert gate(report, "mlflow auc >= 0.9").reason.endswith(
        "recorded no MLflow runs to read metric 'auc' from"
    )


def test_dataset_checks_run_on_the_named_version(store: JobStore) -> None:
    mlops.datasets.expect("features", not_null("x"))
    mlops.datasets.save("features", pd.DataFrame({"x": [1.0, None, 3.0]}))
    checks = ["features", "features@v1", "missing"]
    make_job(store, GateSpec(min_successful_runs=0, dataset_checks=checks))
    report = evaluate(store, "train", "staging")
    latest = gate(report, "dataset features")
    assert not latest.passed
    assert latest.reason.startswith("features v1 fails ") and "x" in latest.reason
    assert gate(report, "dataset missing").reason == "no dataset named 'missing'"
    assert not report.allowed

    mlops.datasets.save("features", pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    report = evaluate(store, "train", "staging")
    assert gate(report, "dataset features").model_dump() == {
        "name": "dataset features",
        "passed": True,
        "reason": "features v2 passes its 1 check(s)",
    }
    assert not gate(report, "dataset features@v1").passed


def test_a_monitoring_alert_blocks_promotion_until_acknowledged(store: JobStore) -> None:
    make_job(store, GateSpec(min_successful_runs=0))
    reference, current = frames()
    check = mlops.monitor.drift(
        reference,
        current,
        name="features-drift",
        thresholds=["dataset_drift"],
        actions=["block_promotion:train"],
    )
    assert check.point is not None
    (alert,) = check.point.alerts
    blocked = gate(evaluate(store, "train", "staging"), "monitoring")
    assert not blocked.passed
    assert blocked.reason.startswith(
        f"1 open alert(s) block job 'train' until acknowledged: alert {alert.id} of monitor "
        "'features-drift': "
    )
    with pytest.raises(Conflict, match=f"monitoring: 1 open alert.*alert {alert.id}"):
        promote(store, "train", "staging", "alice")
    assert store.events("train")[0].action == "promote-refused"

    mlops.monitor.acknowledge(alert.id, "alice")
    assert gate(evaluate(store, "train", "staging"), "monitoring").model_dump() == {
        "name": "monitoring",
        "passed": True,
        "reason": "no open alert blocks job 'train'",
    }
    assert promote(store, "train", "staging", "alice").version_to == 1


@pytest.fixture
def provider_slot() -> Iterator[list[str]]:
    """Names registered during a test are removed after it (the placeholder restored)."""
    names: list[str] = []
    before = gate_providers.gate_providers()
    yield names
    for name in names:
        unregister_gate(name)
        if name in before:
            register_gate(name, before[name])


def test_two_racing_promotions_give_one_winner(store: JobStore, provider_slot: list[str]) -> None:
    make_job(store, GateSpec(min_successful_runs=1))
    finish_run(store)
    barrier = threading.Barrier(2, timeout=60)

    def rendezvous(store: JobStore, job: str, version: int, to_stage: Stage) -> None:
        barrier.wait()  # both promotions have read staging's version before either writes

    provider_slot.append("rendezvous")
    register_gate("rendezvous", rendezvous)
    outcomes: list[object] = []

    def promote_as(user: str) -> None:
        try:
            outcomes.append(promote(store, "train", "staging", user))
        except Conflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=promote_as, args=(u,)) for u in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (won,) = [o for o in outcomes if isinstance(o, PromotionResult)]
    (lost,) = [o for o in outcomes if isinstance(o, Conflict)]
    assert (won.version_from, won.version_to) == (None, 1)
    assert "changed while v1 was being promoted (another promotion won)" in str(lost)
    assert stage_version(store, "staging") == 1
    assert [e.action for e in store.events("train")].count("promote") == 1


def test_the_target_changing_during_promotion_is_a_conflict(
    store: JobStore, provider_slot: list[str]
) -> None:
    make_job(store, GateSpec(min_successful_runs=0))
    store.add_version("train", store.version("train").spec, "alice")

    def interloper(store: JobStore, job: str, version: int, to_stage: Stage) -> None:
        # another writer puts v2 into staging while the gates are evaluated
        store.configure_stage(job, to_stage, "mallory", version=2)

    provider_slot.append("interloper")
    register_gate("interloper", interloper)
    with pytest.raises(Conflict, match="changed while v1 was being promoted"):
        promote(store, "train", "staging", "alice")
    assert stage_version(store, "staging") == 2
    assert "promote" not in [e.action for e in store.events("train")]
    unregister_gate("interloper")

    with pytest.raises(Conflict, match="runs v2, not v3 as expected"):
        promote(store, "train", "staging", "alice", expected_version=3)
    result = promote(store, "train", "staging", "alice", expected_version=2)
    assert (result.version_from, result.version_to) == (2, 1)


def test_gate_providers_add_gates_and_a_broken_one_blocks(
    store: JobStore, provider_slot: list[str]
) -> None:
    make_job(store, GateSpec(min_successful_runs=0))
    promote(store, "train", "staging", "alice")
    assert "model_review" in gate_providers.gate_providers()
    names = [g.name for g in evaluate(store, "train", "prod").gates]
    # the reviews area's gate (tests/reviews/test_gates.py), replaced below
    assert names == ["new version", "recent runs", "monitoring", "model review"]

    def review(store: JobStore, job: str, version: int, to_stage: Stage) -> GateResult | None:
        if to_stage != "prod":
            return None
        return GateResult(
            name="model review", passed=False, reason=f"v{version} of {job} is not approved"
        )

    def broken(store: JobStore, job: str, version: int, to_stage: Stage) -> GateResult | None:
        raise RuntimeError("reviews database unreachable")

    provider_slot.extend(["model_review", "broken"])
    assert register_gate("model_review", review) is not gate_providers.model_review_gate
    register_gate("broken", broken)
    report = evaluate(store, "train", "prod")
    assert gate(report, "model review").reason == "v1 of train is not approved"
    assert gate(report, "broken").reason == (
        "the gate raised RuntimeError('reviews database unreachable')"
    )
    with pytest.raises(Conflict, match="model review: v1 of train is not approved"):
        promote(store, "train", "prod", "alice")


def no_model_review(provider_slot: list[str]) -> None:
    """Take the reviews area's prod gate (tested in tests/reviews/test_gates.py) out."""

    def none(store: JobStore, job: str, version: int, to_stage: Stage) -> GateResult | None:
        return None

    provider_slot.append("model_review")
    register_gate("model_review", none)


def test_rollback_returns_to_the_version_before_the_latest_promotion(
    store: JobStore, provider_slot: list[str]
) -> None:
    no_model_review(provider_slot)
    make_job(store, GateSpec(min_successful_runs=1))
    store.configure_stage("train", "prod", "ops", cron="0 6 * * *", timezone="Europe/Paris")
    with pytest.raises(Invalid, match="no version in prod to roll back"):
        rollback(store, "train", "prod", "ops")
    finish_run(store)
    promote(store, "train", "staging", "alice")
    finish_run(store, stage="staging")
    promote(store, "train", "prod", "alice")
    job = store.get_job("train")
    staging, prod = job.stages[1], job.stages[2]
    assert staging.cron is None and staging.next_fire_at is None  # manual stays manual
    assert (prod.version, prod.cron, prod.timezone) == (1, "0 6 * * *", "Europe/Paris")
    assert prod.next_fire_at is not None
    with pytest.raises(Invalid, match="v1 was the first version promoted to prod"):
        rollback(store, "train", "prod", "ops")

    store.add_version("train", store.version("train").spec, "alice")
    store.configure_stage("train", "dev", "alice", version=2)
    with pytest.raises(Invalid, match="v2 was not promoted to dev"):
        rollback(store, "train", "dev", "ops")
    finish_run(store)
    promote(store, "train", "staging", "alice")
    finish_run(store, stage="staging")
    assert promote(store, "train", "prod", "alice").version_from == 1
    assert stage_version(store, "prod") == 2

    state = rollback(store, "train", "prod", "ops")
    assert (state.stage, state.version, state.cron) == ("prod", 1, "0 6 * * *")
    assert state.next_fire_at is not None
    event = store.events("train")[0]
    assert (event.action, event.by, event.stage, event.version_from, event.version_to) == (
        "rollback",
        "ops",
        "prod",
        2,
        1,
    )
    # a second rollback goes one promotion further back: v1 was the first in prod
    with pytest.raises(Invalid, match="v1 was the first version promoted to prod"):
        rollback(store, "train", "prod", "ops")
    assert rollback(store, "train", "staging", "ops").version == 1
    audit = [(e.action, e.stage, e.version_from, e.version_to) for e in store.events("train")]
    assert audit[:4] == [
        ("rollback", "staging", 2, 1),
        ("rollback", "prod", 2, 1),
        ("promote", "prod", 1, 2),
        ("promote", "staging", 1, 2),
    ]
