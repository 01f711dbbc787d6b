"""Dataset versioning: content-addressed versions of DataFrames and files.

Core only (no Jupyter imports). The catalog lives in the state DB (``orm.py``), the bytes in
the workspace object store (``store.py``), lineage to runs in MLflow (``lineage.py``).
``mlops.datasets.save/load/log/list`` are the Python API (``api.py``).
"""

from .api import diff, list, load, log, save, store, tag

__all__ = ["diff", "list", "load", "log", "save", "store", "tag"]
