"""Small builders shared by tests: real runs in a real MLflow store."""

from __future__ import annotations

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


def write_notebook(path: Any, *cells: str) -> Any:
    """A notebook of code cells at ``path`` (python3 kernel)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))
    return path


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
    elif method in ("POST", "PUT"):
        kw["body"] = b""
    try:
        resp = await jp_fetch("mlops", "api", *parts, method=method, params=params, **kw)
    except HTTPClientError as err:
        assert err.response is not None
        text = (err.response.body or b"{}").decode()
        # A path no route matches gets jupyter-server's own (HTML) 404 page.
        return err.code, json.loads(text) if text.startswith("{") else {"message": text}
    return resp.code, json.loads(resp.body)
