"""What a run records about where it came from: notebook, git state, package versions."""

from __future__ import annotations

import functools
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from mlflow.utils.mlflow_tags import (
    MLFLOW_GIT_BRANCH,
    MLFLOW_GIT_COMMIT,
    MLFLOW_SOURCE_NAME,
    MLFLOW_SOURCE_TYPE,
)

from .. import tags as mlops_tags

SESSION_ENV = "JPY_SESSION_NAME"  # set by jupyter-server for kernels it starts
KEY_PACKAGES = ("mlflow", "scikit-learn", "pandas", "numpy", "jupyter_mlops")
GIT_DIRTY_TAG = mlops_tags.GIT_DIRTY


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


def _in_git_repo(directory: Path) -> bool:
    """Whether ``directory`` or a parent holds ``.git`` (checked without starting git)."""
    return any((parent / ".git").exists() for parent in (directory, *directory.parents))


# --no-optional-locks: never rewrite .git/index, so a tracked cell cannot collide with the
# user's own git commands ("index.lock exists").
GIT_STATUS = ("git", "--no-optional-locks", "status", "--porcelain=v2", "--branch", "-uno")


def _parse_status(out: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    dirty = False
    for line in out.splitlines():
        if line.startswith("# branch.oid ") and not line.endswith("(initial)"):
            tags[MLFLOW_GIT_COMMIT] = line.split()[-1]
        elif line.startswith("# branch.head "):
            tags[MLFLOW_GIT_BRANCH] = line.split()[-1]
        elif not line.startswith("#"):
            dirty = True
    if tags:
        tags[GIT_DIRTY_TAG] = str(dirty).lower()
    return tags


def start_git_probe(directory: str | os.PathLike[str]) -> Callable[[], dict[str, str]]:
    """Start reading the commit, branch and dirty state of the repository holding
    ``directory``; the returned function waits for them (empty outside a repository).

    One ``git status --porcelain=v2 --branch`` gives all three; it runs while the caller
    does other work (starting the MLflow run), and outside a repository no process starts.
    """
    if not _in_git_repo(Path(directory).resolve()):
        return dict
    try:
        proc = subprocess.Popen(
            GIT_STATUS,
            cwd=directory,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:  # git not installed
        return dict

    def result() -> dict[str, str]:
        try:
            out, _ = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return {}
        return _parse_status(out) if proc.returncode == 0 else {}

    return result


def git_tags(directory: str | os.PathLike[str]) -> dict[str, str]:
    """Commit, branch and dirty state of the repository holding ``directory``, now."""
    return start_git_probe(directory)()


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
