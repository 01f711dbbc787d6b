"""Shadow and canary rollouts on real MLflow scoring servers over real HTTP: what the client
sees, what is logged, the sticky split, a promotion that moves the alias, and a misbehaving
challenger (garbage, hung, crashed) rolled back by its rule, with the audit saying why."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import mlflow
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from mlflow.pyfunc import PythonModel

import jupyter_mlops as mlops
from jupyter_mlops.errors import Conflict, Invalid, NotFound
from jupyter_mlops.pytest_plugin import run_cell as run
from jupyter_mlops.pytest_plugin import text_of
from jupyter_mlops.serving.endpoint import endpoint_dir
from jupyter_mlops.serving.rollout import Rollout, end_rollout, write_rollout
from jupyter_mlops.serving.scoring import free_port
from jupyter_mlops.workspace import Workspace

from .conftest import MODEL, ROWS, Registered
from .test_serve import START_S


def _register_behaviour(behaviour: str) -> str:
    """A version of ``cancer`` that misbehaves: answers garbage, hangs, or kills its server.
    The class is local, so cloudpickle stores it by value (the server cannot import tests)."""

    class Misbehaving(PythonModel):  # type: ignore[misc]
        def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> Any:
            if behaviour == "hang":
                time.sleep(30)
            if behaviour == "crash":
                os._exit(1)
            return ["garbage"] * len(model_input)

    mlflow.set_experiment("serving")
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=Misbehaving(),
            registered_model_name=MODEL,
            pip_requirements=["mlflow"],
        )
    return str(info.registered_model_version)


def _call(url: str, key: str | None = None) -> httpx.Response:
    headers = {"X-MLOps-Route-Key": key} if key else {}
    return httpx.post(url, json=ROWS, headers=headers, timeout=60)


def _until(check: Callable[[], bool], what: str, seconds: float = START_S) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture
def endpoint(registered: Registered, mlops_workspace: Workspace) -> Any:
    """``cancer@champion`` (v1, answers 0) served as endpoint ``cancer``."""
    deployment = mlops.serving.deploy(f"{MODEL}@champion", port=free_port(), by="alice")
    yield deployment
    mlops.serving.stop("cancer", by="alice")


def test_shadow_answers_are_logged_and_never_returned(endpoint: Any) -> None:
    info = mlops.serving.shadow("cancer", f"{MODEL}/2", by="alice")
    assert info.rollout is not None and (info.rollout.mode, info.rollout.version) == ("shadow", "2")
    with pytest.raises(Conflict, match="already runs a rollout"):
        mlops.serving.canary("cancer", f"{MODEL}/2", by="alice")

    answers = [_call(endpoint.invocations) for _ in range(25)]
    assert {a.json()["predictions"][0] for a in answers} == {0}
    assert {a.headers["X-MLOps-Model-Version"] for a in answers} == {f"{MODEL}/1"}
    ids = {a.headers["X-Request-Id"] for a in answers}

    def all_shadowed() -> bool:
        return mlops.serving.status("cancer").traffic["challenger"].compared >= 25

    _until(all_shadowed, "the shadow copies were not all answered")
    traffic = mlops.serving.status("cancer").traffic
    assert traffic["challenger"].disagreement == 1.0  # v2 answers 1 where v1 answers 0
    assert traffic["champion"].requests >= 25

    logged = mlops.serving.log("cancer")
    shadowed = logged[logged["arm"] == "shadow"]
    assert set(shadowed["request_id"]) >= ids
    assert set(shadowed["model_version"]) == {"2"}
    assert shadowed["prediction"].str.contains("1").all()

    info = mlops.serving.abort("cancer", by="bob")
    assert info.rollout is None and info.version == "1"
    actions = [(e.action, e.by) for e in mlops.serving.events("cancer")]
    assert ("abort", "bob") in actions and ("shadow", "alice") in actions


def test_a_canary_is_sticky_by_key_and_its_promotion_moves_the_alias(
    endpoint: Any, registered: Registered
) -> None:
    with pytest.raises(Invalid, match="not a version of cancer"):
        mlops.serving.canary("cancer", "other/1", by="alice")
    with pytest.raises(Invalid, match="the version endpoint cancer answers with"):
        mlops.serving.canary("cancer", f"{MODEL}@champion", by="alice")
    mlops.serving.canary("cancer", f"{MODEL}/2", percent=50, by="alice")

    by_key = {key: _call(endpoint.invocations, key) for key in (f"user-{i}" for i in range(40))}
    versions = {key: a.headers["X-MLOps-Model-Version"] for key, a in by_key.items()}
    assert set(versions.values()) == {f"{MODEL}/1", f"{MODEL}/2"}  # both arms answer
    for key, version in list(versions.items())[:10]:  # and a key always lands on its arm
        assert _call(endpoint.invocations, key).headers["X-MLOps-Model-Version"] == version
    canary_rows = mlops.serving.log("cancer").query("arm == 'canary'")
    assert set(canary_rows["model_version"]) == {"2"}

    info = mlops.serving.promote("cancer", by="bob")
    assert info.version == "2" and info.rollout is None
    moved = registered.client.get_model_version_by_alias(MODEL, "champion")
    assert str(moved.version) == "2"
    assert _call(endpoint.invocations).json() == {"predictions": [1, 1]}
    # the challenger's running server became the champion: no restart in between
    assert info.switches[-1].reason == "alias champion moved to v2"
    promoted = [e for e in mlops.serving.events("cancer") if e.action == "promote"]
    assert promoted[0].by == "bob" and promoted[0].by_source == "asserted"
    assert (promoted[0].version_from, promoted[0].version_to) == ("1", "2")
    with pytest.raises(NotFound, match="no rollout to promote"):
        mlops.serving.promote("cancer", by="bob")


@pytest.mark.parametrize(
    ("behaviour", "mode", "rules", "reason"),
    [
        ("garbage", "canary", {"max_disagreement": 0.2, "min_requests": 10}, "disagreement"),
        ("hang", "shadow", {"timeout_s": 0.5, "min_requests": 5}, "error rate"),
        ("crash", "shadow", {"min_requests": 5}, "error rate|scoring server ended"),
    ],
)
def test_a_misbehaving_challenger_is_rolled_back_and_the_client_is_spared(
    endpoint: Any,
    mlops_workspace: Workspace,
    behaviour: str,
    mode: str,
    rules: dict[str, Any],
    reason: str,
) -> None:
    version = _register_behaviour(behaviour)
    if mode == "canary":
        mlops.serving.canary("cancer", f"{MODEL}/{version}", 50, rules, by="alice")
    else:
        mlops.serving.shadow("cancer", f"{MODEL}/{version}", rules, by="alice")

    answers: list[httpx.Response] = []

    def rolled_back() -> bool:
        answers.append(_call(endpoint.invocations, f"k{len(answers)}"))
        return mlops.serving.status("cancer").rolled_back is not None

    _until(rolled_back, f"the {behaviour} challenger was not rolled back")
    champion = [a for a in answers if a.headers["X-MLOps-Model-Version"] == f"{MODEL}/1"]
    assert all(a.status_code == 200 and a.json() == {"predictions": [0, 0]} for a in champion)
    if mode == "shadow":  # the client never meets a shadow
        assert len(champion) == len(answers)

    status = mlops.serving.status("cancer")
    assert status.rollout is None and status.rolled_back is not None
    assert status.rolled_back.version == version
    rollback = next(e for e in mlops.serving.events("cancer") if e.action == "rollback")
    assert rollback.by == "jupyter-mlops" and rollback.version_from == version
    assert rollback.detail["figures"]["requests"] >= 1
    assert re.search(reason, rollback.detail["reason"]), rollback.detail
    assert _call(endpoint.invocations).json() == {"predictions": [0, 0]}
    assert not (endpoint_dir(mlops_workspace, "cancer") / "rollout.json").exists()


def test_the_rollout_magics_start_show_and_abort_a_canary(
    endpoint: Any, mlops_shell: InteractiveShell
) -> None:
    result, out = run(mlops_shell, f"%mlops canary cancer {MODEL}/2 --percent 25 --min-requests 5")
    assert result.success, result.error_in_exec
    assert "canary of cancer/2 started" in text_of(out) and "25%" in text_of(out)
    for key in range(8):
        _call(endpoint.invocations, str(key))
    result, out = run(mlops_shell, "%mlops serve-status cancer")
    shown = text_of(out)
    assert "champion" in shown and "canary" in shown and "75%" in shown
    result, out = run(mlops_shell, "%mlops serve-abort cancer")
    assert result.success and "rollout aborted" in text_of(out)
    result, _ = run(mlops_shell, "%mlops canary cancer cancer/2 --percent 100")
    assert "above 0 and below 100" in str(result.error_in_exec)


def test_a_review_moving_the_alias_to_the_canary_ends_the_rollout_without_a_restart(
    endpoint: Any, registered: Registered, mlops_workspace: Workspace
) -> None:
    mlops.serving.canary("cancer", f"{MODEL}/2", percent=50, by="alice")
    registered.client.set_registered_model_alias(MODEL, "champion", "2")  # as an approval does

    def switched() -> bool:
        now = mlops.serving.status("cancer")
        return now.version == "2" and now.rollout is None

    _until(switched, "the endpoint did not take the canary as its champion")
    time.sleep(2.5)  # two more ticks: the rollout is not started again as v2 beside v2
    now = mlops.serving.status("cancer")
    assert now.rollout is None and now.switches[-1].reason == "alias champion moved to v2"
    assert not (endpoint_dir(mlops_workspace, "cancer") / "rollout.json").exists()


def test_a_challenger_that_did_not_start_does_not_spoil_the_next_rollout(
    endpoint: Any, mlops_workspace: Workspace
) -> None:
    directory = endpoint_dir(mlops_workspace, "cancer")
    broken = Rollout(
        mode="canary",
        model=MODEL,
        challenger=f"{MODEL}/99",
        challenger_version="99",  # no such version: its scoring server ends at once
        percent=10,
        started_at=datetime.now(UTC),
        started_by="alice",
    )
    assert write_rollout(directory, broken)

    def refused() -> bool:
        return mlops.serving.status("cancer").rollout_error_for == broken.started_at

    _until(refused, "the router did not report the challenger that did not start")
    assert "did not start" in (mlops.serving.status("cancer").rollout_error or "")
    assert end_rollout(directory, broken.started_at)
    info = mlops.serving.canary("cancer", f"{MODEL}/2", percent=10, by="alice")
    assert info.rollout is not None and info.rollout.version == "2"
    assert info.rollout_error is None
