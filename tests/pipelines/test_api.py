"""``mlops.jobs``: the Python API over real notebooks, a real state DB and real papermill runs."""

from pathlib import Path

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.pipelines.overrides import parse_assignments
from jupyter_mlops.pipelines.parameters import InvalidParameters
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace

RUN_LIMIT_S = 180


@pytest.fixture
def notebooks(mlops_workspace: Workspace) -> Path:
    root = mlops_workspace.root
    write_notebook(
        root / "prep.ipynb",
        "import jupyter_mlops as mlops\nmlops.output('rows', rows * 10)",
        parameters="rows = 1",
    )
    write_notebook(
        root / "train.ipynb",
        "import jupyter_mlops as mlops\nmlops.output('score', rows / 4 + bonus)",
        parameters="rows = 0\nbonus = 0.0",
    )
    return root


def test_promote_takes_options_as_keywords(notebooks: Path) -> None:
    job = mlops.jobs.promote(
        "train.ipynb",
        name="t",
        parameters={"bonus": 1},
        cron="15 2 * * *",
        timezone="Asia/Tokyo",
        retries=2,
        retry_backoff_s=1,
        timeout_s=60,
        missed_policy="run_once",
    )
    assert (job.name, job.missed_policy, job.created_by) == ("t", "run_once", job.created_by)
    assert job.created_by  # the Jupyter (Hub) user, else the OS user
    spec = mlops.jobs.versions("t")[0].spec
    assert (spec.retries, spec.retry_backoff_s, spec.timeout_s) == (2, 1.0, 60.0)
    assert spec.steps[0].parameters == {"bonus": 1.0}
    assert [j.name for j in mlops.jobs.jobs()] == ["t"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"retries": -1}, Invalid, "retries"),
        ({"colour": "red"}, Invalid, "colour"),
        ({"cron": "* *"}, Invalid, "cron"),
        ({"timezone": "Nowhere/Land"}, Invalid, "Nowhere/Land"),
        ({"parameters": {"rows": "many"}}, InvalidParameters, "expects int, got str"),
    ],
)
def test_bad_promotions_store_nothing(
    notebooks: Path, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        mlops.jobs.promote("train.ipynb", **kwargs)  # type: ignore[arg-type]
    assert mlops.jobs.jobs() == []


def test_a_pipeline_runs_with_upstream_outputs_and_overrides(notebooks: Path) -> None:
    mlops.jobs.pipeline(
        "flow",
        [
            {"name": "prep", "notebook": "prep.ipynb"},
            {"name": "train", "notebook": "train.ipynb", "inputs": {"rows": "prep.rows"}},
        ],
    )
    run = mlops.jobs.run(
        "flow", parameters={"rows": 2, "bonus": 0.5}, wait=True, timeout=RUN_LIMIT_S
    )
    assert run.status == "succeeded", run.error
    outputs = {s.name: s.outputs for s in run.steps}
    assert outputs == {"prep": {"rows": 20}, "train": {"score": 5.5}}
    assert [r.id for r in mlops.jobs.runs("flow")] == [run.id]
    with pytest.raises(InvalidParameters, match="unknown parameter 'nope'"):
        mlops.jobs.run("flow", parameters={"nope": 1})
    with pytest.raises(InvalidParameters, match="expects float, got str"):
        mlops.jobs.run("flow", parameters={"bonus": "x"})
    assert len(mlops.jobs.runs("flow")) == 1


def test_schedule_pause_and_overrides(notebooks: Path) -> None:
    mlops.jobs.promote("train.ipynb")
    state = mlops.jobs.schedule("train", cron="0 9 * * 1", timezone="America/New_York")
    assert (state.cron, state.timezone) == ("0 9 * * 1", "America/New_York")
    assert state.next_fire_at is not None
    state = mlops.jobs.schedule("train", paused=True, parameters={"bonus": 2})
    assert state.paused and state.next_fire_at is None and state.cron == "0 9 * * 1"
    assert state.parameters == {"bonus": 2.0}
    state = mlops.jobs.schedule("train", cron=None, paused=False)
    assert state.cron is None and state.next_fire_at is None
    with pytest.raises(Invalid, match="stage must be one of"):
        mlops.jobs.schedule("train", "qa", paused=True)
    with pytest.raises(NotFound, match="no job named 'nope'"):
        mlops.jobs.schedule("nope", paused=True)
    actions = [e.action for e in mlops.jobs.events("train")]
    assert actions == ["resume", "pause", "schedule", "create"]


def test_a_repeated_token_returns_the_first_run_and_launches_it(notebooks: Path) -> None:
    mlops.jobs.promote("train.ipynb")
    store = mlops.jobs.store()
    first = store.create_run("train", "dev", "manual", "alice", token="t-1")  # queued
    again = mlops.jobs.run("train", token="t-1")  # the same run, not a new one
    assert again.id == first.id and len(mlops.jobs.runs("train")) == 1
    assert mlops.jobs.wait_for(again.id, RUN_LIMIT_S).status == "succeeded"
    cancelled = mlops.jobs.cancel(store.create_run("train", "dev", "manual", "alice").id)
    assert cancelled.status == "cancelled" and cancelled.error is not None


def test_parse_assignments_reads_json_values() -> None:
    assert parse_assignments(["a=1", "b=0.5", "c=hello world", 'd="1"', "e=[1,2]", "f="]) == {
        "a": 1,
        "b": 0.5,
        "c": "hello world",
        "d": "1",
        "e": [1, 2],
        "f": "",
    }
    with pytest.raises(Invalid, match="NAME=VALUE"):
        parse_assignments(["novalue"])


def test_parameters_of_a_notebook(notebooks: Path) -> None:
    declared = mlops.jobs.parameters("train.ipynb")
    assert [(p.name, p.type, p.default) for p in declared] == [
        ("rows", "int", 0),
        ("bonus", "float", 0.0),
    ]
    with pytest.raises(Invalid, match="outside the workspace"):
        mlops.jobs.parameters("../elsewhere.ipynb")
