"""``mlops.serving`` and its magics as a notebook user meets them: serve the champion, call
it, read what it answered; a review's approval moves the alias and the endpoint follows."""

from __future__ import annotations

import time

import httpx
import pytest
from IPython.core.interactiveshell import InteractiveShell

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.pytest_plugin import run_cell as run
from jupyter_mlops.pytest_plugin import text_of
from jupyter_mlops.serving.scoring import free_port
from jupyter_mlops.workspace import Workspace

from .conftest import MODEL, ROWS, Registered
from .test_serve import START_S, scoring_processes


def test_serve_from_the_notebook_then_an_approval_moves_what_answers(
    registered: Registered, mlops_workspace: Workspace, mlops_shell: InteractiveShell
) -> None:
    port = free_port()
    result, out = run(mlops_shell, f"%mlops serve {MODEL}@champion --port {port}")
    assert result.success, result.error_in_exec
    url = f"http://127.0.0.1:{port}/endpoints/cancer/invocations"
    assert f"serving {MODEL}@champion" in text_of(out) and url in text_of(out)
    try:
        with pytest.raises(Invalid, match="already served"):
            mlops.serving.deploy(f"{MODEL}@champion", port=free_port())

        answer = httpx.post(url, json=ROWS, headers={"X-Request-Id": "nb-1"}, timeout=30)
        assert answer.json() == {"predictions": [0, 0]}
        result, out = run(mlops_shell, "%mlops serve-log cancer")
        assert result.success, result.error_in_exec
        assert "the last 1 answered requests" in text_of(out) and "nb-1" in text_of(out)

        # alice asks for v2 to be reviewed, bob approves: the alias moves, the endpoint follows
        review = mlops.reviews.request(MODEL, int(registered.versions[1]), by="alice")
        mlops.reviews.approve(review.id, "better", by="bob")
        deadline = time.monotonic() + START_S
        while httpx.post(url, json=ROWS, timeout=30).headers["X-MLOps-Model-Version"] != (
            f"{MODEL}/2"
        ):
            assert time.monotonic() < deadline, "the endpoint did not follow the approval"
            time.sleep(0.2)
        assert httpx.post(url, json=ROWS, timeout=30).json() == {"predictions": [1, 1]}

        logged = mlops.serving.log("cancer", since="2000-01-01T00:00:00+00:00")
        assert logged["request_id"].iloc[0] == "nb-1"
        assert set(logged["model_version"]) == {"1", "2"}
        with pytest.raises(Invalid, match="no time zone"):
            mlops.serving.log("cancer", since="2026-12-05 10:00")
    finally:
        result, out = run(mlops_shell, "%mlops unserve cancer")
    assert result.success, result.error_in_exec
    assert "stopped cancer" in text_of(out)
    deadline = time.monotonic() + 60
    while scoring_processes(mlops_workspace.root) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert scoring_processes(mlops_workspace.root) == []
    log_dir = mlops_workspace.mlops_dir / "serving" / "cancer" / "log"
    assert not list(log_dir.glob("tail-*")) and list(log_dir.glob("segment-*.parquet"))
    with pytest.raises(NotFound, match="not running"):
        mlops.serving.stop("cancer")


def test_bad_input_is_a_one_line_usage_error(
    registered: Registered, mlops_shell: InteractiveShell
) -> None:
    result, _ = run(mlops_shell, "%mlops serve cancer@@champion")
    assert not result.success
    assert "is not a model to serve" in str(result.error_in_exec)
    result, _ = run(mlops_shell, "%mlops serve-log nobody")
    assert "nobody has no inference log" in str(result.error_in_exec)
    with pytest.raises(NotFound):
        mlops.serving.log("nobody")
