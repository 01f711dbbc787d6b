"""The environment of a process that runs someone else's code: everything in single-user
mode; in the team service, an allow-list without the service's secrets."""

from __future__ import annotations

import pytest

from jupyter_mlops.remote.children import PASS_ENV, TEAM_SERVICE_ENV, user_code_env, withheld

SERVICE = "http://127.0.0.1:10101/services/mlops"
BASE = {
    "PATH": "/usr/bin",
    "HOME": "/home/mlops",
    "LC_ALL": "C.UTF-8",
    "JUPYTER_MLOPS_ROOT": "/srv/team",
    "JUPYTER_MLOPS_OBJECT_STORE_URL": "s3://team/objects",
    "JUPYTER_MLOPS_STATE_DB_URL": "postgresql://mlops:secret@db/mlops",
    "JUPYTER_MLOPS_ONLINE_STORE_URL": "postgresql://mlops:secret@db/online",
    "JUPYTERHUB_API_TOKEN": "the-service-token",
    "MLFLOW_TRACKING_PASSWORD": "registry-secret",
    "PGPASSWORD": "secret",
    "AWS_ACCESS_KEY_ID": "key",
}


def test_outside_the_team_service_a_child_inherits_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(TEAM_SERVICE_ENV, raising=False)
    assert user_code_env(BASE, {"X": "1"}) == {**BASE, "X": "1"}


def test_in_the_team_service_a_child_gets_no_secret_and_is_in_team_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TEAM_SERVICE_ENV, SERVICE + "/")
    # the caller's additions pass, except the workspace's URLs that may hold a password
    extra = {"JUPYTER_MLOPS_JOB_RUN": "7", "JUPYTER_MLOPS_STATE_DB_URL": "postgresql://x"}
    env = user_code_env(BASE, extra)
    assert env == {
        "PATH": "/usr/bin",
        "HOME": "/home/mlops",
        "LC_ALL": "C.UTF-8",
        "JUPYTER_MLOPS_ROOT": "/srv/team",
        "JUPYTER_MLOPS_OBJECT_STORE_URL": "s3://team/objects",
        "JUPYTER_MLOPS_JOB_RUN": "7",
        "JUPYTER_MLOPS_SERVICE_URL": SERVICE,
    }
    assert not any("secret" in value for value in env.values())


def test_an_operator_passes_more_variables_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEAM_SERVICE_ENV, SERVICE)
    env = user_code_env({**BASE, PASS_ENV: "AWS_ACCESS_KEY_ID, NOT_SET"})
    assert env["AWS_ACCESS_KEY_ID"] == "key" and "NOT_SET" not in env
    assert "PGPASSWORD" not in env and "JUPYTERHUB_API_TOKEN" not in env


def test_what_a_running_kernel_is_handed_holds_no_workspace_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A job step's environment, entered by a kernel started ahead (standby), is filtered
    as a new kernel's is."""
    step = {"JUPYTER_MLOPS_JOB_RUN": "7", **{k: v for k, v in BASE.items() if "MLOPS" in k}}
    monkeypatch.delenv(TEAM_SERVICE_ENV, raising=False)
    assert withheld(step) == step
    monkeypatch.setenv(TEAM_SERVICE_ENV, SERVICE)
    assert withheld(step) == {
        "JUPYTER_MLOPS_JOB_RUN": "7",
        "JUPYTER_MLOPS_ROOT": "/srv/team",
        "JUPYTER_MLOPS_OBJECT_STORE_URL": "s3://team/objects",
    }
