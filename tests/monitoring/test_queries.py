"""The views of the Monitoring panel over a real state DB: monitor status, time series by
page, one point in full, alerts by page, acknowledging once even when racing."""

from __future__ import annotations

import threading

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Conflict, Invalid, NotFound
from jupyter_mlops.monitoring import check_drift, commands, queries
from jupyter_mlops.monitoring.api import store
from jupyter_mlops.monitoring.views import ListAlertsQuery, ListMonitorsQuery, PointsQuery
from jupyter_mlops.workspace import Workspace

from .frames import frames, with_model


@pytest.fixture(autouse=True)
def _workspace(mlops_workspace: Workspace) -> Workspace:
    return mlops_workspace


def three_windows(name: str = "weekly") -> list[int]:
    """A quiet point, then two drifting ones (x0, x1, c0 drift); alert above 30 %."""
    reference, current = frames()
    mlops.monitor.configure(name, thresholds=["drifted_share >= 0.3"])
    points = [mlops.monitor.drift(reference, w, name=name).point for w in (reference, current)]
    points.append(mlops.monitor.record(name, check_drift(reference, current)))
    return [p.id for p in points if p is not None]


def test_monitor_list_carries_each_monitor_status() -> None:
    three_windows("weekly")
    mlops.monitor.configure("empty-one")
    answer = queries.list_monitors(store(), ListMonitorsQuery())
    assert answer.total == 2 and answer.open_alerts == 2
    empty, weekly = answer.monitors
    assert (empty.name, empty.points, empty.last_point_id, empty.dataset_drifted) == (
        "empty-one",
        0,
        None,
        None,
    )
    assert (weekly.points, weekly.open_alerts, weekly.dataset_drifted) == (3, 2, True)
    assert weekly.share_of_drifted_columns == pytest.approx(0.5)
    assert (weekly.number_of_drifted_columns, weekly.number_of_columns) == (3, 6)
    assert weekly.last_point_id == mlops.monitor.history("weekly")[0].id
    found = queries.list_monitors(store(), ListMonitorsQuery(search="eek", page_size=1))
    assert [m.name for m in found.monitors] == ["weekly"] and found.total == 1
    assert queries.list_monitors(store(), ListMonitorsQuery(search="%")).total == 0


def test_monitor_detail_has_thresholds_and_actions() -> None:
    three_windows()
    mlops.monitor.configure("weekly", actions=["run_job:retrain"])
    detail = queries.monitor_detail(store(), "weekly")
    assert [r.text for r in detail.thresholds] == ["drifted_share >= 0.3"]
    assert [a.text for a in detail.actions] == ["run_job:retrain"]
    assert (detail.points, detail.open_alerts) == (3, 2)
    with pytest.raises(NotFound, match="no monitor named 'nope'"):
        queries.monitor_detail(store(), "nope")
    with pytest.raises(Invalid, match="is not a monitor name"):
        queries.monitor_detail(store(), "../x")


def test_points_page_is_the_newest_points_oldest_first_with_column_series() -> None:
    ids = three_windows()
    page = queries.points_page(store(), "weekly", PointsQuery())
    assert [p.id for p in page.points] == ids and page.total == 3
    assert [p.dataset_drifted for p in page.points] == [False, True, True]
    assert [p.alerts for p in page.points] == [0, 1, 1]
    assert not any(p.has_report for p in page.points)
    # every column, the most often drifted first, its scores aligned with the points
    assert [c.column for c in page.columns][:3] == ["c0", "x0", "x1"]
    x0 = next(c for c in page.columns if c.column == "x0")
    assert x0.drifted == [False, True, True] and x0.drift_count == 2
    assert x0.test_label == "K-S p_value" and x0.statistic == "p_value"
    assert x0.threshold == 0.05 and x0.scores[0] == pytest.approx(1.0)
    assert page.quality == []
    newest = queries.points_page(store(), "weekly", PointsQuery(page_size=2))
    assert [p.id for p in newest.points] == ids[1:]
    oldest = queries.points_page(store(), "weekly", PointsQuery(page=1, page_size=2))
    assert [p.id for p in oldest.points] == ids[:1] and oldest.columns[0].scores != []
    beyond = queries.points_page(store(), "weekly", PointsQuery(page=5))
    assert beyond.points == [] and beyond.columns == [] and beyond.total == 3


def test_a_column_missing_from_some_points_and_quality_series() -> None:
    reference, current = frames()
    reference, current = with_model(reference, 0.95), with_model(current, 0.6, seed=1)
    model = {"target": "y", "prediction": "pred"}
    mlops.monitor.drift(reference, current, name="m", columns=["x0"], **model)
    mlops.monitor.drift(reference, current, name="m", columns=["x0", "x2"], **model)
    page = queries.points_page(store(), "m", PointsQuery())
    x2 = next(c for c in page.columns if c.column == "x2")
    assert x2.scores[0] is None and x2.scores[1] is not None
    accuracy = next(q for q in page.quality if q.name == "accuracy")
    assert accuracy.greater_is_better and len(accuracy.current) == 2
    assert accuracy.current[0] == accuracy.current[1] and accuracy.reference[0] is not None


def test_point_detail_belongs_to_its_monitor() -> None:
    ids = three_windows("weekly")
    other = three_windows("other")
    detail = queries.point_detail(store(), "weekly", str(ids[1]))
    assert detail.id == ids[1] and detail.monitor == "weekly" and detail.report is None
    assert {c.column for c in detail.columns} == {"x0", "x1", "x2", "x3", "c0", "c1"}
    assert [d.column for d in detail.distributions] == ["x0", "x1", "c0"]
    assert [a.rule for a in detail.alerts] == ["drifted_share >= 0.3"]
    with pytest.raises(NotFound, match=f"monitor 'weekly' has no point {other[0]}"):
        queries.point_detail(store(), "weekly", str(other[0]))
    with pytest.raises(NotFound, match="has no point 999"):
        queries.point_detail(store(), "weekly", "999")
    for bad in ("-1", "1.0", "x", "", "1;2"):
        with pytest.raises(Invalid, match="point id must be a whole number"):
            queries.point_detail(store(), "weekly", bad)
    with pytest.raises(NotFound, match=f"has no point {'1' * 16}"):
        queries.point_detail(store(), "weekly", "1" * 16)  # a whole number, no such point
    with pytest.raises(Invalid, match="point id must be at most 9223372036854775807"):
        queries.point_detail(store(), "weekly", "9223372036854775808")
    with pytest.raises(NotFound, match="no Evidently report: it ran with the fast engine"):
        queries.report_html(store(), "weekly", str(ids[1]))


def test_alerts_by_page_with_counts() -> None:
    three_windows("weekly")
    three_windows("other")
    everything = queries.list_alerts(store(), ListAlertsQuery())
    assert (everything.total, everything.open) == (4, 4)
    assert [a.id for a in everything.alerts] == sorted(
        (a.id for a in everything.alerts), reverse=True
    )
    first = everything.alerts[-1]
    mlops.monitor.acknowledge(first.id, "alice")
    weekly = queries.list_alerts(store(), ListAlertsQuery(monitor="weekly"))
    assert (weekly.total, weekly.open, len(weekly.alerts)) == (1, 1, 1)
    both = queries.list_alerts(
        store(), ListAlertsQuery(monitor="weekly", include_acknowledged=True, page_size=1)
    )
    assert (both.total, both.open, len(both.alerts)) == (2, 1, 1)
    page2 = queries.list_alerts(
        store(), ListAlertsQuery(monitor="weekly", include_acknowledged=True, page=1, page_size=1)
    )
    assert page2.alerts[0].acknowledged_by == "alice"
    with pytest.raises(NotFound, match="no monitor named 'nope'"):
        queries.list_alerts(store(), ListAlertsQuery(monitor="nope"))


def test_acknowledging_once_names_who_did_it() -> None:
    three_windows()
    alert = mlops.monitor.alerts()[0]
    acked = commands.acknowledge(store(), str(alert.id), "alice")
    assert acked.acknowledged_by == "alice"
    with pytest.raises(Conflict, match="already acknowledged by alice"):
        commands.acknowledge(store(), str(alert.id), "bob")
    with pytest.raises(NotFound, match="no alert 999"):
        commands.acknowledge(store(), "999", "bob")
    with pytest.raises(Invalid, match="alert id must be a whole number"):
        commands.acknowledge(store(), "../1", "bob")


def test_racing_acknowledgements_give_one_winner() -> None:
    three_windows()
    alert = mlops.monitor.alerts()[0]
    outcomes: list[str] = []

    def ack(user: str) -> None:
        try:
            outcomes.append(store().acknowledge(alert.id, user).acknowledged_by or "")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=ack, args=(f"user{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1 and outcomes.count("conflict") == 7
    assert mlops.monitor.alerts(include_acknowledged=True)[0].acknowledged_by in winners
