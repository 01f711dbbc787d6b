"""Dataset versioning: content-addressed versions of DataFrames and files.

Core only (no Jupyter imports). The catalog lives in the state DB (``orm.py``), the bytes in
the workspace object store (``store.py``), lineage to runs in MLflow (``lineage.py``).
``mlops.datasets.save/load/log/list/diff/tag/expect/check`` are the Python API (``api.py``);
data checks are declared with ``checks.py``'s constructors.
"""

from . import checks
from .api import check, diff, expect, list, load, log, save, store, tag

__all__ = ["check", "checks", "diff", "expect", "list", "load", "log", "save", "store", "tag"]
