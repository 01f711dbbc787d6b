"""Keeping a worker process's start short.

papermill imports nbformat, whose validator imports jsonschema, which imports
``rfc3987_syntax`` when it is installed: that module compiles a grammar at import, about
0.9 s here, to check the ``iri`` string formats. No notebook schema uses those formats, so
a worker process (and the standby one) marks the module absent before importing papermill;
jsonschema then leaves those two formats unchecked. Only worker processes do this, never
the Jupyter server.
"""

from __future__ import annotations

import sys

SKIPPED = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Make the imports in ``SKIPPED`` fail fast (ImportError) in this process, unless a
    module already imported one of them."""
    for name in SKIPPED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
