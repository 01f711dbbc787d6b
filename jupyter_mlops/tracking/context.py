"""What a run records about where it came from: notebook, package versions (its git state:
``git_state.py``)."""

from __future__ import annotations

import functools
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from mlflow.utils.mlflow_tags import MLFLOW_SOURCE_NAME, MLFLOW_SOURCE_TYPE

from .. import tags as mlops_tags

SESSION_ENV = "JPY_SESSION_NAME"  # set by jupyter-server for kernels it starts
KEY_PACKAGES = ("mlflow", "scikit-learn", "pandas", "numpy", "jupyter_mlops")


def notebook_path(explicit: str | None = None) -> str | None:
    """The running notebook's path: explicit, else the kernel's session name, else None."""
    path = explicit or os.environ.get(SESSION_ENV)
    if not path or not path.endswith(".ipynb"):
        return None
    return path


def default_experiment_name(notebook: str | None) -> str:
    """A notebook's experiment is named after the notebook; scripts after the script."""
    if notebook:
        return Path(notebook).stem
    script = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    return script if script and not script.startswith(("ipykernel", "-")) else "Default"


def source_tags(notebook: str | None) -> dict[str, str]:
    """MLflow's own source tags, so MLflow's UI shows the notebook as the run's source."""
    if notebook:
        return {MLFLOW_SOURCE_TYPE: "NOTEBOOK", MLFLOW_SOURCE_NAME: notebook}
    return {MLFLOW_SOURCE_TYPE: "LOCAL", MLFLOW_SOURCE_NAME: sys.argv[0] if sys.argv else ""}


@functools.lru_cache(maxsize=1)
def environment_tags() -> dict[str, str]:
    """Python and key package versions (read once per process)."""
    tags = {mlops_tags.PYTHON_VERSION: platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            tags[mlops_tags.PACKAGE_VERSION_PREFIX + name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return tags
