"""What a process the team service starts to run someone else's code may hold.

The team service alone holds the state DB's URL and password, its own Hub token and the
model registry's credentials. Two kinds of process it starts run code that is not the
service's: a job step's kernel (the notebook of whoever wrote the job) and a model's
scoring server (the model's Python). Had they inherited the service's environment, any
user could write a job that opens the state DB and approves a review as anyone.

So in the service (and in the job workers it starts, which are the service's own code),
:func:`user_code_env` builds such a process's environment from an allow-list: the
interpreter's and locale settings, the workspace's non-secret locations (its root, the
MLflow tracking URI, the artifact location and the object store) and what the caller adds
(the job step it runs as, a scoring server's marks). The process is then in team mode
itself: it reaches the service at ``JUPYTER_MLOPS_SERVICE_URL``, as a user's kernel does,
with a token of whoever set the job's run in motion, if the service could get one from the
Hub (:mod:`.hub_tokens`). An operator passes on more variables by name with
``JUPYTER_MLOPS_USER_CODE_ENV`` (e.g. the object store's credentials, which users'
kernels hold anyway).

Outside the team service (single-user mode) nothing changes: children inherit everything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .config import SERVICE_URL_ENV

TEAM_SERVICE_ENV = "JUPYTER_MLOPS_TEAM_SERVICE"  # set by the service: where children reach it
PASS_ENV = "JUPYTER_MLOPS_USER_CODE_ENV"  # more names an operator passes on, comma-separated

# the interpreter, the user account and the locale
_SYSTEM = frozenset(
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TERM",
        "TMPDIR", "TEMP", "TMP", "PYTHONPATH", "PYTHONHOME", "PYTHONUNBUFFERED",
        "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "JUPYTER_PATH",
        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
        "MPLBACKEND", "JUPYTER_MLOPS_PROGRESS",
    }
)  # fmt: skip
_SYSTEM_PREFIXES = ("LC_",)
# the workspace's locations that carry no credential (workspace.Workspace.env's others:
# the state DB and the online store URLs may hold a password)
_WORKSPACE = frozenset(
    {
        "JUPYTER_MLOPS_ROOT",
        "JUPYTER_MLOPS_TRACKING_URI",
        "JUPYTER_MLOPS_ARTIFACT_LOCATION",
        "JUPYTER_MLOPS_OBJECT_STORE_URL",
        "JUPYTER_MLOPS_REQUIRE_AUTHENTICATED_DECISIONS",
    }
)
# and those that may: never passed on, even when the caller adds the workspace's settings
_WITHHELD = ("JUPYTER_MLOPS_STATE_DB_URL", "JUPYTER_MLOPS_ONLINE_STORE_URL")


def team_service_url() -> str | None:
    """The service's own address when this process is the team service or one of its job
    workers; None otherwise."""
    return os.environ.get(TEAM_SERVICE_ENV, "").strip().rstrip("/") or None


def _passed(name: str, operator: frozenset[str]) -> bool:
    return (
        name in _SYSTEM
        or name.startswith(_SYSTEM_PREFIXES)
        or name in _WORKSPACE
        or name in operator
    )


def withheld(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` without the workspace's URLs that may hold a password, in the team service
    (unchanged elsewhere): for what is handed to a running kernel, as a job step's
    environment is to a kernel started ahead."""
    if team_service_url() is None:
        return dict(env)
    return {name: value for name, value in env.items() if name not in _WITHHELD}


def user_code_env(
    base: Mapping[str, str], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a process that runs someone else's code: ``base`` (what it would
    inherit) with ``extra`` on top. In the team service: only the allow-listed part of
    ``base``, ``extra`` without the state DB's or the online store's URL, and the
    service's address, so the process is in team mode."""
    service = team_service_url()
    if service is None:
        return {**base, **(extra or {})}
    operator = frozenset(n.strip() for n in base.get(PASS_ENV, "").split(",") if n.strip())
    env = {name: value for name, value in base.items() if _passed(name, operator)}
    env.update(withheld(extra or {}))
    env[SERVICE_URL_ENV] = service
    return env
