"""The progress callback that long core work accepts (a foundation module, Jupyter-free).

A core function that may take a while takes ``progress: Progress | None = None``,
keyword-only, and calls it as ``progress(done, total, label)``: ``done`` of ``total``
units (bytes, rows, cells, steps: the caller knows which) of the work ``label`` names.
A new label starts a new phase; ``done == total`` ends one. The surfaces pass an updater
that draws it (``jupyter_mlops.widgets.progress``: a live bar in a notebook, text lines in
a log); scripts may pass any function of that shape.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
