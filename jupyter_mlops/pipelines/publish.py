"""Publishing a step's executed notebook, its HTML rendering and its log.

Each file goes into the content-addressed object store (atomic: a reader sees no object or
the whole of it) and the step row then names the objects, all three in one update. A
staging notebook that does not parse (its writer was killed mid-write) is not published.
"""

from __future__ import annotations

import logging
import threading

from ..objects import ObjectStore
from .notebook_html import render_html
from .runtime import read_staged, staged_notebook, step_log
from .store import JobStore

log = logging.getLogger(__name__)


def publish_ahead(store: JobStore, run_id: int, step: str) -> threading.Thread:
    """Start storing a finished step's notebook and its HTML rendering in a thread (while
    its kernel shuts down); ``publish_step`` then finds them done. Errors are left for
    ``publish_step`` to meet and report."""

    def store_them() -> None:
        notebook = read_staged(staged_notebook(store.ws, run_id, step))
        if notebook is None:
            return
        objects = ObjectStore(store.ws.object_store_url)
        objects.put_bytes(notebook)
        objects.put_bytes(render_html(notebook).encode("utf-8"))

    def quietly() -> None:
        try:
            store_them()
        except Exception as exc:
            log.debug("run %s step %s: publishing ahead failed: %s", run_id, step, exc)

    thread = threading.Thread(target=quietly, name=f"publish-{run_id}-{step}", daemon=True)
    thread.start()
    return thread


def publish_step(store: JobStore, run_id: int, step: str) -> dict[str, str]:
    """Store what a step left in the run folder and record it on the step row; returns the
    object ids recorded (``notebook_object``, ``html_object``, ``log_object``)."""
    objects = ObjectStore(store.ws.object_store_url)
    recorded: dict[str, str] = {}
    notebook = read_staged(staged_notebook(store.ws, run_id, step))
    if notebook is not None:
        recorded["notebook_object"] = objects.put_bytes(notebook)
        try:
            recorded["html_object"] = objects.put_bytes(render_html(notebook).encode("utf-8"))
        except Exception as exc:  # a rendering problem must not lose the notebook itself
            log.warning("run %s step %s: HTML rendering failed: %s", run_id, step, exc)
    else:
        log.warning("run %s step %s: no readable staged notebook to publish", run_id, step)
    log_path = step_log(store.ws, run_id, step)
    if log_path.is_file():
        recorded["log_object"] = objects.put_file(log_path)[0]  # streamed: logs can be large
    if recorded:
        store.update_step(run_id, step, **recorded)
    return recorded
