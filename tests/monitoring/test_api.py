"""``mlops.monitor``: drift checks against DataFrames and dataset versions, monitors keeping
their history in the real state DB, thresholds raising alerts, acknowledging them, and bad
input refused before anything is stored."""

from __future__ import annotations

import threading

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Conflict, Invalid, NotFound
from jupyter_mlops.monitoring import check_drift
from jupyter_mlops.monitoring.models import DriftCheck, DriftReport
from jupyter_mlops.workspace import Workspace

from .frames import frames, with_model


@pytest.fixture(autouse=True)
def _workspace(mlops_workspace: Workspace) -> Workspace:
    return mlops_workspace


def nothing_stored() -> bool:
    return mlops.monitor.monitors() == [] and mlops.monitor.alerts(include_acknowledged=True) == []


def test_a_check_of_two_dataframes_is_the_engine_report_with_extras() -> None:
    reference, current = frames()
    check = mlops.monitor.drift(reference, current)
    assert isinstance(check, DriftReport) and isinstance(check, DriftCheck)
    engine = check_drift(reference, current)
    assert check.dataset == engine.dataset and check.columns == engine.columns
    assert check.reference == "DataFrame (6 columns)" and check.reference_dataset is None
    drifted = [c.column for c in check.columns if c.drifted]
    assert drifted == ["x0", "x1", "c0"]
    # distributions are binned for the drifted columns only
    assert [d.column for d in check.distributions] == drifted
    assert check.point is None and nothing_stored()


def test_reference_by_dataset_version_is_recorded_with_the_point() -> None:
    reference, current = frames()
    mlops.datasets.save("sales", reference)
    mlops.datasets.save("sales", reference.iloc[:100])
    check = mlops.monitor.drift("sales@v1", current, name="sales-drift", columns=["x0", "x2"])
    assert check.reference == "dataset sales@v1" and check.reference_dataset == "sales@v1"
    assert check.reference_rows == len(reference)
    assert [c.column for c in check.columns] == ["x0", "x2"]
    point = check.point
    assert point is not None and point.reference_dataset == "sales@v1"
    assert point.monitor == "sales-drift" and point.mlflow_run_id is None
    # the latest version, by name alone, is recorded as the version it was
    latest = mlops.monitor.drift("sales", current, name="sales-drift")
    assert latest.reference_dataset == "sales@v2"
    history = mlops.monitor.history("sales-drift")
    assert [p.reference_dataset for p in history] == ["sales@v2", "sales@v1"]


def test_monitor_history_keeps_every_point_with_its_column_scores() -> None:
    reference, current = frames()
    for window in (reference, current, current):
        mlops.monitor.drift(reference, window, name="weekly")
    points = mlops.monitor.history("weekly")
    assert len(points) == 3
    newest, _, oldest = points
    assert oldest.dataset_drifted is False and oldest.share_of_drifted_columns == 0
    assert newest.dataset_drifted is True
    assert newest.share_of_drifted_columns == pytest.approx(3 / 6)
    assert newest.number_of_drifted_columns == 3 and newest.number_of_columns == 6
    scores = {c.column: c for c in newest.columns}
    assert scores["x0"].test == "ks" and scores["x0"].drifted
    assert scores["x0"].score == pytest.approx(check_drift(reference, current).column("x0").score)
    assert [d.column for d in newest.distributions] == ["x0", "x1", "c0"]
    assert len(mlops.monitor.history("weekly", limit=2)) == 2
    (monitor,) = mlops.monitor.monitors()
    assert (monitor.name, monitor.kind, monitor.points) == ("weekly", "data", 3)
    assert monitor.last_point is not None and monitor.last_point.id == newest.id


def test_record_adds_a_point_for_a_report_computed_elsewhere() -> None:
    reference, current = frames()
    point = mlops.monitor.record("nightly", check_drift(reference, current))
    assert point.dataset_drifted is True and point.reference is None
    assert mlops.monitor.history("nightly")[0].id == point.id
    with pytest.raises(Invalid, match="not a DataFrame"):
        mlops.monitor.record("nightly", reference)  # type: ignore[arg-type]
    assert len(mlops.monitor.history("nightly")) == 1


def test_thresholds_raise_alerts_that_are_acknowledged_once() -> None:
    reference, current = frames()
    mlops.monitor.configure("churn", thresholds=["drifted_share >= 0.3", "drifted_columns > 5"])
    quiet = mlops.monitor.drift(reference, reference, name="churn")
    assert quiet.point is not None and quiet.point.alerts == []
    loud = mlops.monitor.drift(reference, current, name="churn")
    assert loud.point is not None
    (alert,) = loud.point.alerts
    assert alert.rule == "drifted_share >= 0.3" and alert.point_id == loud.point.id
    assert alert.message == "churn: drifted_share = 0.5 (rule drifted_share >= 0.3)"
    assert [a.id for a in mlops.monitor.alerts()] == [alert.id]
    acked = mlops.monitor.acknowledge(alert.id, "alice")
    assert acked.acknowledged_by == "alice" and acked.acknowledged_at is not None
    assert mlops.monitor.alerts() == []
    assert [a.id for a in mlops.monitor.alerts("churn", include_acknowledged=True)] == [alert.id]
    with pytest.raises(Conflict, match="already acknowledged by alice"):
        mlops.monitor.acknowledge(alert.id, "bob")
    with pytest.raises(NotFound, match="no alert 999"):
        mlops.monitor.acknowledge(999, "bob")
    assert mlops.monitor.alerts(include_acknowledged=True)[0].acknowledged_by == "alice"


def test_the_dataset_verdict_and_quality_metrics_as_thresholds() -> None:
    reference, current = frames()
    reference, current = with_model(reference, 0.95), with_model(current, 0.6, seed=1)
    check = mlops.monitor.drift(
        reference,
        current,
        name="model",
        columns=["x2", "x3"],
        target="y",
        prediction="pred",
        thresholds=["dataset_drift", "accuracy < 0.8", "f1 < 0.1"],
    )
    assert check.quality is not None and check.point is not None
    assert check.dataset.drifted is False
    assert [a.rule for a in check.point.alerts] == ["accuracy < 0.8"]
    assert check.point.quality == check.quality
    assert mlops.monitor.monitors()[0].kind == "model"


def test_alert_actions_stay_pending_until_the_jobs_area_takes_them() -> None:
    from jupyter_mlops.monitoring import actions

    reference, current = frames()
    check = mlops.monitor.drift(
        reference,
        current,
        name="gate",
        thresholds=["dataset_drift"],
        actions=["run_job:retrain", "block_promotion:serve"],
    )
    assert check.point is not None
    (alert,) = check.point.alerts
    assert [(a.kind, a.job, a.status) for a in alert.actions] == [
        ("run_job", "retrain", "pending"),
        ("block_promotion", "serve", "pending"),
    ]
    assert "jobs area" in alert.actions[0].detail
    run_job = mlops.monitor.pending_actions("run_job")
    assert [(a.job, a.monitor) for a in run_job] == [("retrain", "gate")]
    assert [a.id for a in mlops.monitor.promotion_blockers("serve")] == [alert.id]
    assert mlops.monitor.promotion_blockers("retrain") == []
    store = mlops.monitor.store()
    claimed = actions.claim(store, run_job[0].id, "scheduler-1")
    assert claimed.status == "claimed"
    with pytest.raises(Conflict, match="is claimed, not pending"):
        actions.claim(store, run_job[0].id, "scheduler-2")
    assert actions.finish(store, run_job[0].id, ok=True, detail="run 7 started").status == "done"
    assert mlops.monitor.pending_actions("run_job") == []
    mlops.monitor.acknowledge(alert.id, "alice")
    assert mlops.monitor.promotion_blockers("serve") == []


def test_a_check_breaching_two_rules_runs_the_job_once_and_blocks_until_both_are_acked() -> None:
    reference, current = frames()
    check = mlops.monitor.drift(
        reference,
        current,
        name="twice",
        thresholds=["dataset_drift", "drifted_columns >= 2"],
        actions=["run_job:retrain", "block_promotion:serve"],
    )
    assert check.point is not None
    first, second = check.point.alerts
    assert [a.kind for a in first.actions] == ["run_job", "block_promotion"]
    assert [a.kind for a in second.actions] == ["block_promotion"]
    assert len(mlops.monitor.pending_actions("run_job")) == 1
    mlops.monitor.acknowledge(first.id, "alice")
    assert [a.id for a in mlops.monitor.promotion_blockers("serve")] == [second.id]
    mlops.monitor.acknowledge(second.id, "alice")
    assert mlops.monitor.promotion_blockers("serve") == []


def test_a_check_inside_a_tracked_run_keeps_the_run_id() -> None:
    reference, current = frames()
    mlops.datasets.save("base", reference)
    with mlops.track(experiment="monitoring", autolog=False) as run:
        check = mlops.monitor.drift("base@v1", current, name="in-run")
    assert check.point is not None and check.point.mlflow_run_id == run.run_id


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        ({"reference": "nope@v1"}, NotFound, "no dataset named 'nope'"),
        ({"reference": "base@v9"}, NotFound, "has no version v9"),
        ({"current": [1, 2, 3]}, Invalid, "current must be a pandas DataFrame or a dataset"),
        ({"columns": ["x0", "zz"]}, Invalid, "column 'zz' is in neither"),
        ({"thresholds": ["drifted_share >= 1.5"]}, Invalid, "lies between 0 and 1"),
        ({"thresholds": ["drift_share > 0.2"]}, Invalid, "known metrics are"),
        ({"thresholds": ["accuracy <"]}, Invalid, "is not of the form METRIC OP VALUE"),
        ({"actions": ["email:bob"]}, Invalid, "write run_job:JOB or block_promotion:JOB"),
        ({"name": "bad/name"}, Invalid, "is not a monitor name"),
        ({"engine": "spark"}, Invalid, "engine must be 'fast' or 'evidently'"),
        ({"target": "y"}, Invalid, "needs both target and prediction"),
        ({"target": "y", "prediction": "nope"}, Invalid, "has no column 'nope'"),
        ({"drift_share": 0}, Invalid, "drift_share must be in"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    call: dict[str, object], error: type[Exception], message: str
) -> None:
    reference, current = frames()
    mlops.datasets.save("base", with_model(reference, 0.9))
    arguments: dict[str, object] = {
        "reference": "base@v1",
        "current": with_model(current, 0.9),
        "name": "guarded",
        **call,
    }
    with pytest.raises(error, match=message):
        mlops.monitor.drift(**arguments)  # type: ignore[arg-type]
    assert nothing_stored()


def test_concurrent_first_points_make_one_monitor_and_keep_every_point() -> None:
    reference, current = frames(rows=50)
    report = check_drift(reference, current)
    store = mlops.monitor.store()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(5):
                store.record("busy", report, thresholds=["dataset_drift"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    (monitor,) = mlops.monitor.monitors()
    assert monitor.points == 30 and monitor.open_alerts == 30


def test_quality_needs_the_model_columns_on_both_sides() -> None:
    reference, current = frames()
    current = with_model(current, 0.9)
    with pytest.raises(Invalid, match="the reference data has no column 'y'"):
        mlops.monitor.drift(reference, current, target="y", prediction="pred")
