"""Every demo notebook runs top to bottom with papermill in a real kernel; a tutorial that
promises a result is then checked against what it left in the workspace."""

import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest

from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import Workspace

NOTEBOOKS_DIR = Path(__file__).parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
STEP_NOTEBOOKS = NOTEBOOKS_DIR / "jobs"  # the notebooks the tutorials promote to jobs


def cell_text(out: Any, starts_with: str) -> str:
    """What the first code cell whose source starts with ``starts_with`` printed or showed."""
    cell = next(c for c in out.cells if c.cell_type == "code" and c.source.startswith(starts_with))
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def check_datasets_tutorial(ws: Workspace, out: Any) -> None:
    """02-datasets: the versions, tags, check reports and lineage the tutorial describes."""
    from mlflow.tracking import MlflowClient

    from jupyter_mlops.datasets.store import DatasetStore

    store = DatasetStore(ws)
    assert store.names() == ["wine", "wine-splits"]
    versions = store.log("wine")
    assert [(v.version, v.tags, v.checks_passed, v.manifest.rows) for v in versions] == [
        (3, ["clean", "production"], True, 189),
        (2, [], False, 190),
        (1, ["raw"], True, 178),
    ]
    assert versions[-1].manifest.key == ["id"]
    assert versions[-1].manifest.source_notebook is not None
    assert len(store.checks("wine")) == 6

    # v2's report: exactly one failing check, the null alcohol reading; shown inline too
    failing = store.report("wine@v2")
    assert failing is not None and not failing.passed
    assert [(r.description, r.failing_rows) for r in failing.results if not r.passed] == [
        ("alcohol has no nulls", 1)
    ]
    saved_v2 = cell_text(out, "%dataset save wine wine_v2")
    assert "wine v2: CHECKS FAILED" in saved_v2
    assert "✗ alcohol has no nulls: 1 null value(s)" in saved_v2
    passing = store.report("wine@clean")
    assert passing is not None and passing.passed and len(passing.results) == 6
    assert store.load("wine@clean")["alcohol"].notna().all()
    assert "11 added, 0 removed, 3 changed" in cell_text(out, "%dataset diff")

    splits = store.resolve("wine-splits")
    assert (splits.manifest.kind, splits.manifest.files) == ("folder", 2)
    assert "['test.csv', 'train.csv']" in cell_text(out, "import shutil")

    # lineage, as MLflow itself records it: the tracked run consumed wine@v3
    client = MlflowClient(ws.tracking_uri)
    clean = store.resolve("wine@clean")
    experiments = [e.experiment_id for e in client.search_experiments()]
    runs = client.search_runs(
        experiments, filter_string=f"datasets.digest = '{clean.manifest.object_id[:32]}'"
    )
    assert [r.info.run_name for r in runs] == ["forest-on-clean"]
    run = runs[0]
    assert run.info.status == "FINISHED" and run.data.metrics["accuracy"] > 0.8
    inputs = {i.dataset.name: {t.key: t.value for t in i.tags} for i in run.inputs.dataset_inputs}
    assert inputs["wine@v3"] == {"mlflow.data.context": "consumed"}


def check_monitoring_tutorial(ws: Workspace, out: Any) -> None:
    """04-monitoring: four weekly points with a growing drift and falling accuracy, the
    alerts the thresholds raised (acknowledged), their pending actions, Evidently's report."""
    from mlflow.tracking import MlflowClient

    import jupyter_mlops as mlops

    # the reference: one dataset version with the model's predictions, produced by the run
    (version,) = mlops.datasets.log("cancer-reference")
    assert version.manifest.rows == 200 and version.manifest.columns[-1].name == "predicted"
    client = MlflowClient(ws.tracking_uri)
    (run,) = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert run.data.metrics["accuracy"] == pytest.approx(0.95)
    inputs = {i.dataset.name: {t.key: t.value for t in i.tags} for i in run.inputs.dataset_inputs}
    assert inputs == {"cancer-reference@v1": {"mlflow.data.context": "produced"}}

    # the history, oldest first: exactly the shifted columns drift, more each week
    weeks = list(reversed(mlops.monitor.history("cancer")))
    assert len(weeks) == 4
    assert [p.engine for p in weeks] == ["fast", "fast", "fast", "evidently"]
    assert {p.reference_dataset for p in weeks} == {"cancer-reference@v1"}
    assert [{c.column for c in p.columns if c.drifted} for p in weeks] == [
        set(),
        {"mean texture"},
        {"mean texture", "mean radius", "predicted"},
        {"mean texture", "mean radius", "mean perimeter", "predicted"},
    ]
    shares = [p.share_of_drifted_columns for p in weeks]
    assert shares == sorted(set(shares)) and shares[0] == 0 and shares[-1] == 4 / 12
    assert all(p.number_of_columns == 12 and p.dataset_drifted is False for p in weeks)

    # model quality on every point: the reference's out-of-fold accuracy, then a falling one
    for point in weeks:
        assert point.quality is not None and point.quality.task == "classification"
        assert [m.name for m in point.quality.metrics] == ["accuracy", "precision", "recall", "f1"]
        assert point.quality.metric("accuracy").reference == pytest.approx(0.95)
    accuracy = [p.quality.metric("accuracy").current for p in weeks if p.quality]
    assert accuracy[0] >= 0.9 and accuracy[1] >= 0.9 and 0.9 > accuracy[2] > accuracy[3]

    # weeks 3 and 4 breached both rules; every alert was acknowledged in the notebook
    alerts = mlops.monitor.alerts("cancer", include_acknowledged=True)
    assert [(a.point_id, a.rule) for a in reversed(alerts)] == [
        (weeks[2].id, "drifted_share >= 0.2"),
        (weeks[2].id, "accuracy < 0.9"),
        (weeks[3].id, "drifted_share >= 0.2"),
        (weeks[3].id, "accuracy < 0.9"),
    ]
    assert all(a.acknowledged_by and a.acknowledged_at for a in alerts)
    assert mlops.monitor.alerts("cancer") == []
    assert mlops.monitor.promotion_blockers("cancer-scoring") == []
    # the scheduler took both run_job actions (once per breaching check) and ran the job
    from jupyter_mlops.pipelines import api as jobs

    assert mlops.monitor.pending_actions("run_job") == []
    taken = [a for alert in alerts for a in alert.actions if a.kind == "run_job"]
    assert [(a.alert_id, a.status) for a in reversed(taken)] == [
        (alerts[-1].id, "done"),
        (alerts[1].id, "done"),
    ]
    retrains = jobs.runs("retrain-cancer")
    assert (
        sorted(f"started job run {r.id} " in a.detail for r in retrains for a in taken).count(True)
        == 2
    )
    assert [(r.trigger, r.created_by, r.status) for r in retrains] == [
        ("alert", "monitor:cancer", "succeeded")
    ] * 2
    assert all(r.steps[0].outputs["accuracy"] > 0.9 for r in retrains)
    assert "ALERT" not in cell_text(
        out, "%monitor drift --reference cancer-reference@v1 --current week2"
    )
    week4 = cell_text(out, "%monitor drift --reference cancer-reference@v1 --current week4")
    assert f"ALERT {alerts[1].id}: cancer: drifted_share = 0.3333" in week4
    assert f"a local copy: mlops.monitor.report_file({weeks[3].id})" in week4

    # Evidently's report: out of the notebook, in the object store, opened as HTML
    assert weeks[3].evidently is not None and weeks[3].evidently.store == "objects"
    for report in (mlops.monitor.report_file(weeks[3].id), ws.root / "cancer-week4-evidently.html"):
        assert report.stat().st_size == weeks[3].evidently.size > 1_000_000
        assert report.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert len(nbformat.writes(out)) < 500_000

    # the job's data monitor, recorded with record()
    (job_point,) = mlops.monitor.history("cancer-inputs")
    assert job_point.quality is None and job_point.number_of_drifted_columns == 3
    assert [a.rule for a in job_point.alerts] == ["drifted_columns >= 2"]
    kinds = {m.name: (m.kind, m.points) for m in mlops.monitor.monitors()}
    assert kinds == {"cancer": ("model", 4), "cancer-inputs": ("data", 1)}


def check_jobs_tutorial(ws: Workspace, out: Any) -> None:
    """03-jobs: the pipeline's runs, the gates' verdicts, the promotion and the DAG file."""
    from jupyter_mlops.pipelines import api as jobs

    job = jobs.job("wine")
    assert [(s.stage, s.version) for s in job.stages] == [
        ("dev", 1),
        ("staging", 1),
        ("prod", None),
    ]
    runs = list(reversed(jobs.runs("wine")))
    assert [(r.status, r.attempt) for r in runs] == [
        ("succeeded", 1),
        ("failed", 2),
        ("succeeded", 1),
    ]
    good, failed, _ = runs
    assert [s.status for s in failed.steps] == ["failed", "skipped"]
    assert failed.steps[0].notebook_object is not None  # the failing notebook is kept
    assert good.steps[0].outputs["train_data"].startswith("wine-train@v")
    assert good.steps[1].outputs["accuracy"] >= 0.85 and len(good.mlflow_run_ids) == 1
    assert "'test_size': 1.5" in str(failed.parameters) or failed.parameters["test_size"] == 1.5
    gates = cell_text(out, "def show(report)")
    assert "allowed: False" in gates and "✗ recent runs" in gates
    assert "staging now runs v1" in cell_text(out, 'mlops.jobs.run("wine", wait=True')
    assert [e.action for e in jobs.events("wine")][:1] == ["promote"]
    dag = ws.root / "airflow-dags" / "wine.py"
    assert (
        "PapermillOperator" in dag.read_text()
        and (ws.root / "airflow-dags/wine/train.ipynb").is_file()
    )
    assert "Europe/Pariss" in cell_text(out, "try:")


def check_review_tutorial(ws: Workspace, out: Any) -> None:
    """05-review: two versions, each approved by ana after its review, the alias moved to v1
    then v2 in MLflow's registry, comments on the tutorial's own cells, the recall added."""
    import getpass
    import os

    from mlflow.tracking import MlflowClient

    import jupyter_mlops as mlops

    me = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    client = MlflowClient(ws.tracking_uri)
    assert int(client.get_model_version_by_alias("cancer-classifier", "champion").version) == 2
    v2, v1 = mlops.reviews.versions("cancer-classifier")
    assert (v1.version, v2.version) == (1, 2)
    second, first = mlops.reviews.list("all", model="cancer-classifier")
    decided = [(r.version, r.requested_by.username, r.status, r.approvals) for r in (first, second)]
    assert decided == [(1, me, "approved", ["ana"]), (2, me, "approved", ["ana"])]
    moves = [
        (e.detail["from_version"], e.detail["to_version"])
        for r in (first, second)
        for e in mlops.reviews.audit(r.id)
        if e.action == "alias-moved"
    ]
    assert moves == [(None, 1), (1, 2)]
    refusal = cell_text(out, "from jupyter_mlops.errors import Forbidden")
    assert f"refused: {me} requested review {first.id} and cannot decide on it" in refusal
    assert mlops.reviews.get(first.id).decisions[0].reviewer.username == "ana"

    # the comments point at the cells of the notebook the runs were tracked from
    cells = {c.id: c.source for c in nbformat.read(ws.root / "05-review.ipynb", as_version=4).cells}
    (note,) = mlops.reviews.get(first.id).comments
    assert note.anchor is not None and note.anchor.cell_id is not None
    assert "--name logreg-150" in cells[note.anchor.cell_id]
    question, answer, summary = mlops.reviews.get(second.id).comments
    assert question.anchor is not None and question.anchor.cell_id is not None
    assert "--name logreg-399" in cells[question.anchor.cell_id]
    assert (question.author.username, question.resolved, question.resolved_by) == ("ana", True, me)
    assert (answer.parent_id, answer.author.username) == (question.id, me)
    assert summary.anchor is None and summary.body.startswith("Logged recall_malignant")

    # registering froze this notebook with each run and the page reads those copies: the
    # same file here (papermill never saves the notebook it runs), so no cell changed; v1's
    # page now compares it with the champion, v2
    diff = mlops.reviews.page(first.id).notebook_diff
    assert diff.candidate is not None and diff.champion is not None
    assert (diff.candidate.origin, diff.champion.origin) == ("artifact", "artifact")
    frozen = "the notebook 05-review.ipynb as saved when 'cancer-classifier' version {} was "
    frozen += "registered"
    assert (diff.candidate.note, diff.champion.note) == (frozen.format(1), frozen.format(2))
    assert diff.counts == {"unchanged": len(cells), "added": 0, "removed": 0, "modified": 0}
    assert frozen.format(1) in cell_text(out, "print(page.notebook.notebook.note)")
    shown = cell_text(out, "diff = page.notebook_diff")
    assert f"{frozen.format(2)}\n{frozen.format(1)}\n{{'unchanged': {len(cells)}," in shown

    # MLflow holds the recall added after the runs ended; v2 beats v1 on both metrics
    runs = [client.get_run(v.run_id or "").data.metrics for v in (v1, v2)]
    for metric in ("accuracy", "recall_malignant"):
        assert runs[1][metric] > runs[0][metric]
    assert [v.version for v in mlops.datasets.log("cancer-train")] == [2, 1]


def check_features_tutorial(ws: Workspace, out: Any) -> None:
    """06-features: the definitions, a training set with every kind of row kept and
    recorded on its run, a materialization, lookups, a passing skew check, the export."""
    from mlflow.tracking import MlflowClient

    import jupyter_mlops as mlops

    assert mlops.features.list() == {
        "entity": ["driver"],
        "view": ["driver_hourly_stats"],
        "service": ["trip_duration"],
    }
    joined = cell_text(out, "%features join trips")
    assert "train = 400 rows × 6 columns" in joined
    coverage = joined.splitlines()[-1].split()
    assert coverage[0] == "driver_hourly_stats" and coverage[1] == "400"
    assert all(int(n) > 0 for n in coverage[2:6])  # matched, no key, only later, expired
    (done,) = mlops.features.store().materializations("driver_hourly_stats")
    assert (done.status, done.rows) == ("done", 39)  # driver 7's values are past the ttl
    lookup = cell_text(out, "%features lookup")
    assert "1 present, 2 missing" in lookup
    (run,) = MlflowClient(ws.tracking_uri).search_runs(
        [MlflowClient(ws.tracking_uri).get_experiment_by_name("trip-duration").experiment_id]
    )
    assert run.data.tags["feast.feature_service"] == "trip_duration"
    assert "online values equal offline, and fresh" in cell_text(out, "%features skew")
    assert (ws.root / "feast_repo" / "feature_store.yaml").is_file()


def check_serving_tutorial(ws: Workspace, out: Any) -> None:
    """07-serving: the audited rollouts, the live monitor's alert, the retrained version
    served after its approval with no failed request, batch scoring; nothing left running."""
    import jupyter_mlops as mlops
    from jupyter_mlops.datasets.store import DatasetStore
    from jupyter_mlops.serving.endpoint import endpoint_dir

    actions = [(e.action, e.version_from, e.version_to) for e in mlops.serving.events("tumour", ws)]
    assert list(reversed(actions)) == [
        ("switch", None, "1"),
        ("deploy", None, None),
        ("shadow", "1", "2"),
        ("abort", "2", None),
        ("canary", "1", "2"),
        ("promote", "1", "2"),
        ("switch", "1", "2"),
        ("switch", "2", "3"),
        ("stop", None, None),
    ]
    assert "tumour-classifier/2    13" in cell_text(out, "versions = [ask(")  # 30 % asked
    assert "(True, 10, [1])" in cell_text(out, "shifted = later.copy()")
    assert "({200}, 'tumour-classifier/3')" in cell_text(out, "answers = []")
    champion = use_workspace(ws).get_model_version_by_alias("tumour-classifier", "champion")
    assert str(champion.version) == "3"
    assert (endpoint_dir(ws, "tumour") / "router.json").exists() is False
    assert DatasetStore(ws).resolve("tumour-week-scored").manifest.rows == 169


AFTER_RUN: dict[str, Callable[[Workspace, Any], None]] = {
    "02-datasets.ipynb": check_datasets_tutorial,
    "03-jobs.ipynb": check_jobs_tutorial,
    "04-monitoring.ipynb": check_monitoring_tutorial,
    "05-review.ipynb": check_review_tutorial,
    "06-features.ipynb": check_features_tutorial,
    "07-serving.ipynb": check_serving_tutorial,
}


@contextmanager
def headless_scheduler(root: Path) -> Iterator[None]:
    """``jupyter mlops scheduler`` on the workspace, as the Lab server's own scheduler would
    run beside a notebook (it launches retries and takes monitoring's run_job actions)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_mlops.cli", "scheduler", "--root", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_demo_notebook_runs(
    notebook: Path, mlops_root: Path, mlops_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = mlops_root / notebook.name
    shutil.copy(notebook, copy)
    shutil.copytree(STEP_NOTEBOOKS, mlops_root / STEP_NOTEBOOKS.name)
    monkeypatch.setenv("JPY_SESSION_NAME", notebook.name)
    with headless_scheduler(mlops_root):
        out = papermill.execute_notebook(
            str(copy), str(mlops_root / f"out-{notebook.name}"), cwd=str(mlops_root),
            progress_bar=False,
        )  # fmt: skip
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    if notebook.name in AFTER_RUN:
        AFTER_RUN[notebook.name](mlops_workspace, out)


def test_committed_notebooks_have_no_outputs() -> None:
    for notebook in NOTEBOOKS:
        nb = nbformat.read(notebook, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), notebook.name
