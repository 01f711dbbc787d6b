"""Feature lookup in Feast's vocabulary: entities, feature views over versioned datasets,
feature services; point-in-time training sets; an online store.

Core only (no Jupyter imports). Definitions are versioned in the state DB (``store.py``),
views read their dataset's verified Parquet (``sources.py``), DuckDB joins them point in
time (``join.py``, ``training.py``), latest values are materialized into the online store
(``online.py``). ``mlops.features.*`` is the Python API (``api.py``).
"""

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
