"""Promoting notebooks and defining pipelines: validated first, snapshotted, stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jupyter_mlops import db
from jupyter_mlops.errors import Conflict, Invalid
from jupyter_mlops.objects import ObjectStore
from jupyter_mlops.pipelines.definitions import (
    JobOptions,
    StepInput,
    changed_steps,
    create_job,
    promote_notebook,
    update_job,
)
from jupyter_mlops.pipelines.orm import JobRow
from jupyter_mlops.pipelines.parameters import InvalidParameters
from jupyter_mlops.pipelines.store import JobStore
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


def _jobs(store: JobStore) -> int:
    with db.session_scope(store.url) as session:
        return session.scalar(select(func.count()).select_from(JobRow)) or 0


def test_promote_snapshots_the_notebook_and_schedules_dev(store: JobStore) -> None:
    path = write_notebook(store.ws.root / "train.ipynb", "print(alpha)", parameters="alpha = 0.5")
    job = promote_notebook(
        store,
        "train.ipynb",
        "alice",
        parameters={"alpha": 1},
        cron="30 1 * * *",
        timezone="America/New_York",
        options=JobOptions(retries=2, timeout_s=60),
    )
    assert job.name == "train" and job.latest_version == 1
    dev = job.stages[0]
    assert (dev.stage, dev.version, dev.cron, dev.timezone) == (
        "dev",
        1,
        "30 1 * * *",
        "America/New_York",
    )
    assert dev.next_fire_at is not None
    assert [s.version for s in job.stages[1:]] == [None, None]
    spec = store.version("train").spec
    assert spec.steps[0].parameters == {"alpha": 1.0}  # an int given for a float default
    assert spec.retries == 2 and spec.timeout_s == 60
    snapshot = ObjectStore(store.ws.object_store_url).read_bytes(spec.steps[0].notebook_object)
    assert snapshot == path.read_bytes()
    assert changed_steps(store, "train") == []
    write_notebook(path, "print(alpha * 2)", parameters="alpha = 0.5")
    assert changed_steps(store, "train") == ["train"]
    version = update_job(store, "train", "bob")
    assert (
        version.number == 2
        and version.spec.steps[0].notebook_object != spec.steps[0].notebook_object
    )
    assert [e.action for e in store.events("train")] == ["version", "create"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cron": "61 * * * *"}, "minute"),
        ({"cron": "0 1 * * *", "timezone": "Mars/Olympus"}, "Mars/Olympus"),
        ({"timezone": "Nowhere/Town"}, "Nowhere/Town"),
        ({"parameters": {"alpha": "high"}}, "expects float"),
        ({"parameters": {"x=1;import os#": 1}}, "not a valid Python identifier"),
        ({"name": "bad name!"}, "job name"),
    ],
)
def test_bad_promotions_are_refused_and_nothing_is_stored(
    store: JobStore, kwargs: dict, message: str
) -> None:
    write_notebook(store.ws.root / "train.ipynb", "print(alpha)", parameters="alpha = 0.5")
    with pytest.raises(Invalid, match=message):
        promote_notebook(store, "train.ipynb", "alice", **kwargs)
    assert _jobs(store) == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.ipynb", "outside"),
        ("/etc/passwd", "outside"),
        ("nope.ipynb", "does not exist"),
        ("data.csv", "not a notebook"),
        ("a\x00b.ipynb", "control"),
    ],
)
def test_notebook_paths_outside_or_missing_are_refused(
    store: JobStore, path: str, message: str
) -> None:
    (store.ws.root / "data.csv").write_text("a\n1\n")
    write_notebook(store.ws.root.parent / "outside.ipynb", "1")
    with pytest.raises(Invalid, match=message):
        promote_notebook(store, path, "alice", name="job")
    assert _jobs(store) == 0


def test_parameter_problems_are_all_named(store: JobStore) -> None:
    write_notebook(store.ws.root / "t.ipynb", "1", parameters="a = 1\nb = 'x'")
    with pytest.raises(InvalidParameters) as err:
        promote_notebook(store, "t.ipynb", "alice", parameters={"a": "one", "c": 2})
    assert {p.name for p in err.value.problems} == {"a", "c"}


def test_pipeline_dag_is_checked(store: JobStore) -> None:
    write_notebook(store.ws.root / "prep.ipynb", "1", parameters="rows = 10")
    write_notebook(store.ws.root / "train.ipynb", "1", parameters="rows_in = 0")
    prep = StepInput(name="prep", notebook="prep.ipynb")
    train = StepInput(name="train", notebook="train.ipynb", inputs={"rows_in": "prep.rows"})
    job = create_job(store, "pipe", [prep, train], "alice")
    assert [s.name for s in store.version("pipe").spec.steps] == ["prep", "train"]
    assert job.name == "pipe"
    cyclic = [
        StepInput(name="a", notebook="prep.ipynb", depends_on=["b"]),
        StepInput(name="b", notebook="prep.ipynb", depends_on=["a"]),
    ]
    with pytest.raises(Invalid, match="cycle"):
        create_job(store, "cyc", cyclic, "alice")
    with pytest.raises(Invalid, match="unknown step"):
        create_job(
            store, "x", [StepInput(name="a", notebook="prep.ipynb", depends_on=["zz"])], "alice"
        )
    with pytest.raises(Invalid, match="not parameters"):
        create_job(
            store,
            "y",
            [prep, StepInput(name="t", notebook="train.ipynb", inputs={"nope": "prep.rows"})],
            "alice",
        )
    with pytest.raises(Conflict, match="already exists"):
        create_job(store, "pipe", [prep], "alice")


def test_runs_are_idempotent_by_token_and_unique_per_fire(store: JobStore) -> None:
    write_notebook(store.ws.root / "t.ipynb", "1", parameters="a = 1")
    promote_notebook(store, "t.ipynb", "alice", name="t", parameters={"a": 2})
    first = store.create_run("t", "dev", "manual", "alice", token="abc", parameters={"a": 3})
    again = store.create_run("t", "dev", "manual", "alice", token="abc")
    assert first.id == again.id and first.parameters == {"a": 3}
    assert [s.status for s in first.steps] == ["pending"]
    from datetime import datetime

    fire = datetime(2026, 11, 23, 12, 0)
    store.create_run("t", "dev", "schedule", "scheduler", scheduled_for=fire)
    with pytest.raises(Conflict):
        store.create_run("t", "dev", "schedule", "scheduler", scheduled_for=fire)
    with pytest.raises(Invalid, match="no version in staging"):
        store.create_run("t", "staging", "manual", "alice")
    cancelled = store.request_cancel(first.id, "alice")
    assert cancelled.status == "cancelled"
    with pytest.raises(Conflict):
        store.request_cancel(first.id, "alice")


def test_editing_a_stage_s_parameters_keeps_a_fire_already_due(store: JobStore) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from jupyter_mlops.pipelines.orm import JobStageRow
    from jupyter_mlops.pipelines.store import now

    write_notebook(store.ws.root / "t.ipynb", "1", parameters="a = 1")
    promote_notebook(store, "t.ipynb", "alice", name="t", cron="0 6 * * *")
    due = now() - timedelta(seconds=5)
    with db.session_scope(store.url) as session:
        session.execute(
            update(JobStageRow).where(JobStageRow.stage == "dev").values(next_fire_at=due)
        )
    assert store.configure_stage("t", "dev", "bob", parameters={"a": 2}).next_fire_at == due
    moved = store.configure_stage("t", "dev", "bob", cron="30 6 * * *").next_fire_at
    assert moved is not None and moved > now()
