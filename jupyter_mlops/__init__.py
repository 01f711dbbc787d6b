"""jupyter-mlops: a notebook-native MLOps workbench for JupyterLab.

Python API (the twin of the magics)::

    import jupyter_mlops as mlops
    with mlops.track(experiment="iris", metric="accuracy"):
        ...
        mlops.log_metrics({"accuracy": 0.93})
    mlops.monitor.drift("sales@v3", this_week, name="sales")
    mlops.jobs.promote("train.ipynb", cron="0 6 * * *", timezone="Europe/Paris")
    mlops.output("accuracy", 0.93)  # in a job run: a value later steps and gates read
    mlops.features.training_set(entity_df, service="eta").to_df()  # point in time, every row
    mlops.reviews.request("cancer", 3)  # a review of model version 3; approving moves its alias
    mlops.serving.deploy("cancer@champion")  # serve the alias's version, following it

Names are imported lazily so that loading the server extension does not import MLflow.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._version import __version__

_LAZY = {
    "track": "jupyter_mlops.tracking.tracker",
    "log_metrics": "jupyter_mlops.tracking.tracker",
    "log_params": "jupyter_mlops.tracking.tracker",
    "active_run": "jupyter_mlops.tracking.tracker",
    "output": "jupyter_mlops.pipelines.outputs",
    "resolve_workspace": "jupyter_mlops.workspace",
    "datasets": "jupyter_mlops",
    "monitor": "jupyter_mlops",
    "jobs": "jupyter_mlops",
    "reviews": "jupyter_mlops",
    "features": "jupyter_mlops",
    "serving": "jupyter_mlops",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jupyter_mlops' has no attribute {name!r}")
    if name == "datasets":
        return importlib.import_module("jupyter_mlops.datasets")
    if name == "monitor":
        return importlib.import_module("jupyter_mlops.monitoring.api")
    if name == "jobs":
        return importlib.import_module("jupyter_mlops.pipelines.api")
    if name == "features":
        return importlib.import_module("jupyter_mlops.features")
    if name == "reviews":
        return importlib.import_module("jupyter_mlops.reviews")
    if name == "serving":
        return importlib.import_module("jupyter_mlops.serving")
    attr = "active" if name == "active_run" else name
    return getattr(importlib.import_module(module), attr)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-mlops"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server.app import MlopsApp

    return [{"module": "jupyter_mlops", "app": MlopsApp}]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext jupyter_mlops``: register the magics."""
    from .magics import register

    register(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """Nothing to undo beyond what IPython does; present so reloading works."""
