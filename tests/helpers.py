"""Small builders shared by tests: real runs in a real MLflow store."""

from __future__ import annotations

import subprocess
from typing import Any

from jupyter_mlops.tracking.tracker import track


def make_run(
    experiment: str, metrics: dict[str, float], params: dict[str, Any] | None = None, **kwargs: Any
) -> str:
    """Track one run through the real ``track()`` and return its id."""
    with track(experiment=experiment, autolog=False, **kwargs) as run:
        run.log_params(params or {})
        run.log_metrics(metrics)
    return run.run_id


def as_user(name: str) -> dict[str, Any]:
    """Request options of a named test user (``NamedTokenIdentityProvider``: the token is
    the username)."""
    return {"headers": {"Authorization": f"token {name}"}}


async def api(
    jp_fetch: Any,
    *parts: str,
    method: str = "GET",
    body: Any = None,
    params: Any = None,
    **kw: Any,
) -> tuple[int, Any]:
    """Call the mlops REST API; returns (status, JSON body) for 2xx and 4xx alike."""
    import json

    from tornado.httpclient import HTTPClientError

    if body is not None:
        kw["body"] = body if isinstance(body, str | bytes) else json.dumps(body)
        # a JSON body says so (the server answers 415 otherwise), unless the test sets it
        kw["headers"] = {"Content-Type": "application/json", **kw.get("headers", {})}
    elif method in ("POST", "PUT"):
        kw["body"] = b""
    try:
        resp = await jp_fetch("mlops", "api", *parts, method=method, params=params, **kw)
    except HTTPClientError as err:
        assert err.response is not None
        text = (err.response.body or b"{}").decode()
        # A non-JSON answer (an HTML report, a log) comes back as its text.
        return err.code, json.loads(text) if text.startswith("{") else {"message": text}
    return resp.code, json.loads(resp.body)


def stop_process(proc: subprocess.Popen[bytes], grace_s: float = 60) -> None:
    """Stop a server the test started: SIGTERM, then SIGKILL after ``grace_s``."""
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace_s)
