"""``%monitor`` in a real IPython shell against the real state DB, catalog and object store;
the saved size of its output in a real nbformat notebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

import jupyter_mlops as mlops
from jupyter_mlops.magics.monitoring import DRIFT_MIME
from jupyter_mlops.monitoring.models import DriftCheck
from jupyter_mlops.pytest_plugin import run_cell as run

from .frames import frames, with_model

SIZE_LIMIT = 300 * 1024


@pytest.fixture
def shell(mlops_shell: InteractiveShell) -> InteractiveShell:
    reference, current = frames()
    mlops_shell.user_ns.update(ref=reference, cur=current)
    return mlops_shell


def only_bundle(out: Any) -> dict[str, Any]:
    (output,) = out.outputs
    return dict(output.data)


def test_drift_against_a_dataset_version_shows_one_rich_output(shell: InteractiveShell) -> None:
    mlops.datasets.save("sales", shell.user_ns["ref"])
    result, out = run(shell, "%monitor drift --reference sales@v1 --current cur --name sales")
    assert result.success and result.result is None
    bundle = only_bundle(out)
    assert set(bundle) == {DRIFT_MIME, "text/html", "text/plain"}
    check = DriftCheck.model_validate(bundle[DRIFT_MIME])
    assert check.reference_dataset == "sales@v1" and check.point is not None
    text = bundle["text/plain"]
    assert text.startswith("dataset drift detected: 3 of 6 tested columns drifted (50%")
    assert "reference: dataset sales@v1, 400 rows; current: DataFrame (6 columns), 400 rows" in text
    assert f"recorded as point {check.point.id} of monitor 'sales'" in text
    html = bundle["text/html"]
    assert "<th>threshold</th>" in html and html.count("Plotly.newPlot") == 1
    assert html.count("style='min-height:260px'") == 3  # the drifted columns only
    (point,) = mlops.monitor.history("sales")
    assert point.id == check.point.id


def test_a_variable_as_reference_and_columns(shell: InteractiveShell) -> None:
    _, out = run(shell, "%monitor drift -r ref -c ref --columns x2,c1")
    bundle = only_bundle(out)
    assert bundle["text/plain"].startswith("no dataset drift: 0 of 2 tested columns drifted")
    assert "Plotly" not in bundle["text/html"]  # nothing drifted: no plots, no script
    assert mlops.monitor.monitors() == []


def test_thresholds_alerts_actions_and_acknowledging(shell: InteractiveShell) -> None:
    cell = (
        "%monitor drift --reference ref --current cur --name churn "
        "--threshold 'drifted_share >= 0.3' --threshold 'drifted_columns > 10' "
        "--action run_job:retrain --action block_promotion:serve"
    )
    _, out = run(shell, cell)
    text = only_bundle(out)["text/plain"]
    (alert,) = mlops.monitor.alerts()
    assert f"ALERT {alert.id}: churn: drifted_share = 0.5 (rule drifted_share >= 0.3)" in text
    assert "action run_job:retrain: pending: recorded for the jobs area" in text
    result, _ = run(shell, "%monitor alerts")
    assert list(result.result["rule"]) == ["drifted_share >= 0.3"]
    assert (
        result.result["actions"][0] == "run_job:retrain (pending), block_promotion:serve (pending)"
    )
    result, out = run(shell, f"%monitor ack {alert.id} --user alice")
    assert result.success and out.stdout == f"alert {alert.id} acknowledged by alice\n"
    result, _ = run(shell, "%monitor alerts churn")
    assert result.result.empty
    result, _ = run(shell, f"%monitor ack {alert.id}")
    assert "already acknowledged by alice" in str(result.error_in_exec)
    result, _ = run(shell, "%monitor list")
    row = result.result.iloc[0]
    assert (row["monitor"], row["points"], row["open_alerts"]) == ("churn", 1, 0)
    assert row["thresholds"] == "drifted_share >= 0.3, drifted_columns > 10"
    run(shell, "%monitor drift --reference ref --current ref --name churn")
    result, _ = run(shell, "%monitor history churn")
    assert list(result.result["dataset_drift"]) == [False, True]
    assert list(result.result["alerts"]) == [0, 1]


def test_quality_metrics_in_the_output(shell: InteractiveShell) -> None:
    shell.user_ns["ref"] = with_model(shell.user_ns["ref"], 0.9)
    shell.user_ns["cur"] = with_model(shell.user_ns["cur"], 0.6, seed=1)
    _, out = run(shell, "%monitor drift -r ref -c cur --target y --prediction pred --name m")
    bundle = only_bundle(out)
    assert "model quality (classification, y vs pred):" in bundle["text/plain"]
    assert "<td>accuracy</td>" in bundle["text/html"]
    (point,) = mlops.monitor.history("m")
    assert point.quality is not None and point.quality.metric("accuracy").current is not None


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%monitor drift -r nope@v1 -c cur --name m", "no dataset named 'nope'"),
        (
            "%monitor drift -r ref -c nosuch --name m",
            "no dataset named 'nosuch'; 'nosuch' is not a variable of this notebook either",
        ),
        ("%monitor drift -r ref -c items --name m", "--current items is a list, not a pandas"),
        ("%monitor drift -r ref -c cur --columns x0,zz --name m", "column 'zz' is in neither"),
        (
            "%monitor drift -r ref -c cur --name m --threshold 'drifted_share >= 2'",
            "lies between 0 and 1",
        ),
        ("%monitor drift -r ref -c cur --name m --action mail:me", "write run_job:JOB"),
        ("%monitor drift -r ref -c cur --name m --target c0", "needs both target and"),
        ("%monitor drift -r ref -c cur --engine spark", "invalid choice: 'spark'"),
        ("%monitor drift -r ref", "the following arguments are required: --current"),
        ("%monitor ack 12", "no alert 12"),
        ("%monitor history nope", "no monitor named 'nope'"),
        ("%monitor frobnicate", "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_a_usage_error_and_nothing_is_stored(
    shell: InteractiveShell, cell: str, message: str
) -> None:
    shell.user_ns["items"] = [1, 2, 3]
    result, out = run(shell, cell)
    assert not result.success
    assert type(result.error_in_exec).__name__ == "UsageError"
    error = str(result.error_in_exec)
    assert message in error and "Traceback" not in error
    assert error.splitlines()[0].startswith("%monitor")
    assert out.outputs == []
    assert mlops.monitor.monitors() == []


def _wide(rows: int, seed: int, shift: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {f"n{i:02d}": rng.normal(shift, 1 + shift, rows) for i in range(20)}
    for j in range(5):
        letters = [f"cat-{k}" for k in range(12)]
        weights = np.linspace(1, 1 + 4 * shift, 12)
        data[f"k{j}"] = rng.choice(letters, rows, p=weights / weights.sum())
    return pd.DataFrame(data)


def test_a_25_column_check_saved_in_a_notebook_stays_under_300_kb(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    shell.user_ns["wide_ref"] = _wide(20_000, 1, 0.0)
    shell.user_ns["wide_cur"] = _wide(20_000, 2, 1.0)
    cell = "%monitor drift --reference wide_ref --current wide_cur --name wide"
    _, out = run(shell, cell)
    bundle = only_bundle(out)
    check = DriftCheck.model_validate(bundle[DRIFT_MIME])
    assert len(check.columns) == 25 and len(check.distributions) == 25  # every column drifted
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell(cell, execution_count=1)
    code.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    notebook.cells = [code]
    nbformat.validate(notebook)
    path = tmp_path / "drift.ipynb"
    nbformat.write(notebook, str(path))
    size = path.stat().st_size
    assert size < SIZE_LIMIT, f"{size} bytes"
    html = bundle["text/html"]
    assert "https://cdn.plot.ly/plotly-" in html  # plotly.js is loaded, not embedded
    assert "Plotly.newPlot" in html and len(html) < 150 * 1024


def test_the_evidently_engine_shows_where_its_report_is(shell: InteractiveShell) -> None:
    reference, current = frames(rows=200, numeric=2, categorical=1)
    shell.user_ns.update(ref=reference, cur=current)
    _, out = run(shell, "%monitor drift -r ref -c cur --engine evidently --name full")
    bundle = only_bundle(out)
    (point,) = mlops.monitor.history("full")
    assert point.evidently is not None and point.evidently.store == "objects"
    text = bundle["text/plain"]
    assert "(Evidently's Report)" in text
    assert f"object {point.evidently.object_id} of the workspace object store" in text
    assert f"mlops.monitor.report_file({point.id})" in text
    assert sum(len(str(v)) for v in bundle.values()) < 30_000


def test_an_unnamed_evidently_check_can_still_be_opened(shell: InteractiveShell) -> None:
    reference, current = frames(rows=200, numeric=2, categorical=1)
    shell.user_ns.update(ref=reference, cur=current)
    _, out = run(shell, "%monitor drift -r ref -c cur --engine evidently")
    assert "mlops.monitor.report_file(_drift)" in only_bundle(out)["text/plain"]
    path = mlops.monitor.report_file(shell.user_ns["_drift"])
    assert path.read_bytes()[:200].lower().lstrip().startswith(b"<!doctype html")
