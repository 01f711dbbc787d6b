"""A job step's executed notebook as a standalone HTML page (nbconvert's ``lab`` template).

Used while a step runs (rendered on request) and when it ends (rendered once and stored);
nbconvert is imported on first use, or ahead of time by ``warm_up``. The last rendering is
remembered by the notebook's digest: a step's notebook is rendered while its kernel shuts
down (``publish.publish_ahead``), and publishing it then finds the page ready.
"""

from __future__ import annotations

import hashlib
import threading

import nbformat

_last: tuple[str, str] | None = None  # (digest of the notebook, its page)
_last_lock = threading.Lock()


def render_html(notebook: bytes) -> str:
    """A notebook rendered as a standalone HTML page (nbconvert's ``lab`` template)."""
    global _last
    digest = hashlib.sha256(notebook).hexdigest()
    with _last_lock:
        if _last is not None and _last[0] == digest:
            return _last[1]
    from nbconvert import HTMLExporter

    node = nbformat.reads(notebook.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
    exporter = HTMLExporter(template_name="lab")  # type: ignore[no-untyped-call]
    body, _ = exporter.from_notebook_node(node)
    with _last_lock:
        _last = (digest, str(body))
    return str(body)


def warm_up() -> None:
    """Import nbconvert and render an empty notebook once (about a second, most of a
    first rendering's cost), e.g. in a thread while the first kernel starts."""
    empty = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    render_html(nbformat.writes(empty).encode("utf-8"))  # type: ignore[no-untyped-call]
