"""The Airflow export, checked by Apache Airflow itself.

Airflow's pins conflict with ours, so it lives in its own virtualenv (``make airflow-env``,
a step of ``make test``); these tests run its Python in a subprocess with a fresh
AIRFLOW_HOME: a DagBag loads the generated file, and ``dag.test()`` runs a DAG with real
papermill executions on Airflow's side.
"""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.objects import ObjectStore
from jupyter_mlops.pipelines.airflow import OUTPUT_ENV, export_airflow, py_literal
from jupyter_mlops.pipelines.definitions import JobOptions, StepInput, create_job
from jupyter_mlops.pipelines.models import GateSpec
from jupyter_mlops.pipelines.promotion import promote
from jupyter_mlops.pipelines.store import JobStore
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace

AIRFLOW_VENV = Path(__file__).resolve().parents[2] / ".venv-airflow"
# Strings that would break generated code pasted raw, or be rendered by Jinja.
HOSTILE = "x'); import os; os.remove('/') #\n\"\"\"{{ run_id }}{% if %}\\ é"

# Loads the DAG file with Airflow's DagBag and prints what the tests check, as JSON.
LOAD = """
import json, sys
from airflow.models import DagBag

bag = DagBag(dag_folder=sys.argv[1], include_examples=False)
out = {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": sorted(bag.dags)}
dag = bag.dags.get(sys.argv[2])
if dag is not None:
    context = {"run_id": "manual__R"}
    out.update(
        schedule=dag.timetable.summary,
        timezone=dag.timezone.name,
        start_date=dag.start_date.isoformat(),
        paused=dag.is_paused_upon_creation,
        retries=dag.default_args["retries"],
        timeout=dag.dagrun_timeout.total_seconds() if dag.dagrun_timeout else None,
        tasks={
            t.task_id: {
                "type": type(t).__name__,
                "upstream": sorted(t.upstream_task_ids),
                "input_nb": t.input_nb,
                "output_nb": t.render_template(t.output_nb, context),
                "parameters": t.render_template(t.parameters, context),
                "kernel_name": t.render_template(t.kernel_name, context),
            }
            for t in dag.tasks
        },
    )
print(json.dumps(out))
"""

# Runs the DAG once with Airflow's dag.test() and prints each task's state, as JSON.
RUN = """
import json, sys
from airflow.models import DagBag

dag = DagBag(dag_folder=sys.argv[1], include_examples=False).dags[sys.argv[2]]
run = dag.test()
print(json.dumps({
    "run_id": run.run_id,
    "state": run.state,
    "tasks": {ti.task_id: ti.state for ti in run.get_task_instances()},
}))
"""


def airflow(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run Airflow's Python (``-c SCRIPT ARGS`` or ``-m ...``); its last line is JSON."""
    python = AIRFLOW_VENV / "bin" / "python"
    if not python.exists():
        pytest.fail(
            f"Airflow's virtualenv {AIRFLOW_VENV.name} is missing: run `make airflow-env` "
            "(make test does) to load exported DAGs with Airflow itself"
        )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL"))}
    home = tmp_path / "airflow-home"
    clean |= {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(tmp_path / "dags"),
        "PATH": f"{python.parent}{os.pathsep}{clean.get('PATH', '')}",
        **(env or {}),
    }
    done = subprocess.run(
        [str(python), *args], env=clean, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-4000:]
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "{}"
    return dict(json.loads(last)) if last.startswith("{") else {}


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


def make_pipeline(store: JobStore) -> None:
    """prep → train (an input from prep) → report (depends on both); v1 in staging and prod."""
    root = store.ws.root
    write_notebook(
        root / "nb" / "prep.ipynb", "rows = limit * 2", parameters="limit = 5\nnote = ''"
    )
    write_notebook(root / "nb" / "train.ipynb", "print(rows)", parameters="rows = 0\nalpha = 0.5")
    write_notebook(root / "nb" / "report.ipynb", "print(alpha)", parameters="alpha = 0.1")
    steps = [
        StepInput(name="prep", notebook="nb/prep.ipynb", parameters={"note": HOSTILE}),
        StepInput(name="train", notebook="nb/train.ipynb", inputs={"rows": "prep.rows"}),
        StepInput(name="report", notebook="nb/report.ipynb", depends_on=["train", "prep"]),
    ]
    options = JobOptions(
        kernel="python3",
        retries=2,
        timeout_s=900,
        gates=GateSpec(min_successful_runs=0),
    )
    create_job(store, "churn.model", steps, "alice", options=options)
    promote(store, "churn.model", "staging", "alice")
    store.configure_stage(
        "churn.model",
        "prod",
        "ops",
        cron="30 2 * * 1-5",
        timezone="America/New_York",
        parameters={"alpha": 0.75, "limit": 7},
        version=1,  # set, not promoted: prod promotions need a model review (tests/reviews)
    )


def test_the_exported_dag_loads_in_airflow_with_its_steps_schedule_and_parameters(
    store: JobStore, tmp_path: Path
) -> None:
    make_pipeline(store)
    dag_file = export_airflow(store, "churn.model", "prod", tmp_path / "dags")
    assert dag_file == tmp_path / "dags" / "churn.model.py"
    objects = ObjectStore(store.ws.object_store_url)
    for step in store.version("churn.model").spec.steps:
        snapshot = tmp_path / "dags" / "churn.model" / f"{step.name}.ipynb"
        assert snapshot.read_bytes() == objects.read_bytes(step.notebook_object)
    source = dag_file.read_text()
    assert "PapermillOperator" in source and "XCom" in source
    calls = {n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute)}
    assert "remove" not in calls  # the hostile string stayed a string

    loaded = airflow(tmp_path, "-c", LOAD, str(dag_file), "churn.model")
    assert loaded["import_errors"] == {}
    assert loaded["dags"] == ["churn.model"]
    assert loaded["schedule"] == "30 2 * * 1-5"
    assert loaded["timezone"] == "America/New_York"
    assert loaded["start_date"][10:] in ("T05:00:00+00:00", "T04:00:00+00:00")  # NY midnight
    assert (loaded["paused"], loaded["retries"], loaded["timeout"]) == (False, 2, 900.0)
    tasks = loaded["tasks"]
    assert {name: t["upstream"] for name, t in tasks.items()} == {
        "prep": [],
        "train": ["prep"],
        "report": ["prep", "train"],
    }
    assert {t["type"] for t in tasks.values()} == {"PapermillOperator"}
    folder = (tmp_path / "dags" / "churn.model").resolve()
    for name, task in tasks.items():
        assert task["input_nb"] == str(folder / f"{name}.ipynb")
        assert task["output_nb"] == str(folder / "runs" / "manual__R" / f"{name}.ipynb")
        assert task["kernel_name"] == "python3"
    # the stage's overrides reach the steps whose notebook declares them; the hostile
    # string reaches papermill unchanged (not pasted into code, not rendered by Jinja)
    assert tasks["prep"]["parameters"] == {"note": HOSTILE, "limit": 7}
    assert tasks["train"]["parameters"] == {"alpha": 0.75}  # rows: the notebook's default
    assert tasks["report"]["parameters"] == {"alpha": 0.75}


def test_airflow_runs_the_exported_dag_with_papermill(store: JobStore, tmp_path: Path) -> None:
    root = store.ws.root
    write_notebook(root / "a.ipynb", "b = a + 1", parameters="a = 1\nnote = ''")
    write_notebook(root / "b.ipynb", "print(n)", parameters="n = 0")
    steps = [
        StepInput(name="first", notebook="a.ipynb", parameters={"a": 41, "note": HOSTILE}),
        StepInput(name="second", notebook="b.ipynb", depends_on=["first"]),
    ]
    create_job(store, "manual", steps, "alice")  # no cron: triggered by hand
    dag_file = export_airflow(store, "manual", "dev", tmp_path / "dags")
    loaded = airflow(tmp_path, "-c", LOAD, str(dag_file), "manual")
    assert loaded["import_errors"] == {} and loaded["schedule"] == "None"

    airflow(tmp_path, "-m", "airflow", "db", "migrate")
    output = tmp_path / "executed"
    ran = airflow(tmp_path, "-c", RUN, str(dag_file), "manual", env={OUTPUT_ENV: str(output)})
    assert ran["state"] == "success"
    assert ran["tasks"] == {"first": "success", "second": "success"}
    executed = nbformat.read(output / ran["run_id"] / "first.ipynb", as_version=4)
    injected = next(
        c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])
    )
    namespace: dict[str, Any] = {}
    exec(injected.source, namespace)  # papermill's own rendering of the values
    assert (namespace["a"], namespace["note"]) == (41, HOSTILE)
    assert (output / ran["run_id"] / "second.ipynb").is_file()


def test_export_needs_a_version_in_the_stage(store: JobStore, tmp_path: Path) -> None:
    write_notebook(store.ws.root / "a.ipynb", "x = 1")
    create_job(store, "solo", [StepInput(name="a", notebook="a.ipynb")], "alice")
    out = tmp_path / "dags"
    with pytest.raises(Invalid, match="job 'solo' has no version in prod; promote one first"):
        export_airflow(store, "solo", "prod", out)
    with pytest.raises(Invalid, match="stage must be one of"):
        export_airflow(store, "solo", "live", out)
    with pytest.raises(NotFound, match="no job named 'nope'"):
        export_airflow(store, "nope", "dev", out)
    assert not out.exists()  # nothing written


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_py_literal_is_python_source_of_the_same_value(value: Any) -> None:
    assert eval(py_literal(value), {"__builtins__": {"float": float}}) == value


def test_py_literal_writes_non_finite_floats_and_refuses_other_objects() -> None:
    assert math.isinf(eval(py_literal(float("-inf")), {"__builtins__": {"float": float}}))
    assert math.isnan(eval(py_literal(float("nan")), {"__builtins__": {"float": float}}))
    with pytest.raises(Invalid, match="not a JSON value"):
        py_literal({"when": object()})
