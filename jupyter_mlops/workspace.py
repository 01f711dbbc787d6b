"""Resolve every location jupyter-mlops uses from one place.

Precedence, lowest to highest: built-in defaults (``<root>/.mlops/``), ``mlops.toml`` at the
project root, then ``JUPYTER_MLOPS_*`` environment variables. The server extension exports
``JUPYTER_MLOPS_ROOT`` so kernels it starts (magics) and job subprocesses resolve the same
workspace as the server.

``require_authenticated_decisions`` says whether only decisions whose actor the Jupyter
server authenticated count (approvals toward a review's rules and the prod gate,
acknowledgements that clear a ``block_promotion`` alert); those a kernel or the CLI
asserted are then recorded and shown but do not count. It is on by default whenever the
state DB is shared (not SQLite), off for the embedded single-user default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import Invalid

ROOT_ENV = "JUPYTER_MLOPS_ROOT"
REQUIRE_AUTHENTICATED_ENV = "JUPYTER_MLOPS_REQUIRE_AUTHENTICATED_DECISIONS"
CONFIG_FILE = "mlops.toml"
_FLAGS = {"require_authenticated_decisions": REQUIRE_AUTHENTICATED_ENV}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_ENV_KEYS = {
    "tracking_uri": "JUPYTER_MLOPS_TRACKING_URI",
    "artifact_location": "JUPYTER_MLOPS_ARTIFACT_LOCATION",
    "state_db_url": "JUPYTER_MLOPS_STATE_DB_URL",
    "object_store_url": "JUPYTER_MLOPS_OBJECT_STORE_URL",
    "online_store_url": "JUPYTER_MLOPS_ONLINE_STORE_URL",
}


@dataclass(frozen=True)
class Workspace:
    """Where runs, state and objects of one project live."""

    root: Path
    mlops_dir: Path
    tracking_uri: str
    artifact_location: str
    state_db_url: str
    object_store_url: str
    config_file: Path | None
    # the features' online store: SQLite in the workspace, or a PostgreSQL URL for a team
    online_store_url: str = ""
    require_authenticated_decisions: bool = False

    def describe(self) -> dict[str, str]:
        """Everything resolved, as strings, for ``jupyter mlops info`` and the API: the
        credentials in its URLs (passwords, tokens) masked with ``db.masked_url``."""
        from .db import masked_url

        described = {k: str(v) if v is not None else "" for k, v in asdict(self).items()}
        for key in _ENV_KEYS:  # the URL-valued settings
            described[key] = masked_url(described[key])
        strict = self.require_authenticated_decisions
        described["require_authenticated_decisions"] = "true" if strict else "false"
        return described

    def env(self) -> dict[str, str]:
        """This workspace as the environment of a process that must resolve it the same
        way (a job's worker and its kernels): every location and the decisions setting."""
        return {
            ROOT_ENV: str(self.root),
            **{env: str(getattr(self, key)) for key, env in _ENV_KEYS.items()},
            REQUIRE_AUTHENTICATED_ENV: "true" if self.require_authenticated_decisions else "false",
        }

    def ensure(self) -> Workspace:
        """Create the local ``.mlops/`` folder (idempotent); remote stores are left alone."""
        self.mlops_dir.mkdir(parents=True, exist_ok=True)
        return self


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(f"{path}: not valid TOML ({exc})") from exc
    section = data.get("mlops", data)
    if not isinstance(section, dict):
        raise Invalid(f"{path}: [mlops] must be a table")
    unknown = set(section) - set(_ENV_KEYS) - set(_FLAGS) - {"dir"}
    if unknown:
        raise Invalid(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    return section


_resolved: dict[tuple[Any, ...], tuple[Path, Any, Workspace]] = {}


def _config_stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def resolve_workspace(root: str | os.PathLike[str] | None = None) -> Workspace:
    """Resolve the workspace for ``root`` (default: ``$JUPYTER_MLOPS_ROOT``, else the cwd).

    Every call of the Python API resolves it, so the answer is remembered per process for
    the same root, cwd and ``JUPYTER_MLOPS_*`` variables while ``mlops.toml`` is unchanged
    (one ``stat`` instead of resolving paths and reading the file again).
    """
    given = str(root) if root is not None else os.environ.get(ROOT_ENV) or ""
    env = tuple(os.environ.get(name) for name in (*_ENV_KEYS.values(), *_FLAGS.values()))
    key = (given, os.getcwd() if not given or not os.path.isabs(given) else "", env)
    hit = _resolved.get(key)
    if hit is not None and _config_stamp(hit[0]) == hit[1]:
        return hit[2]
    base = Path(given or os.getcwd()).expanduser().resolve()
    config_path = base / CONFIG_FILE
    stamp = _config_stamp(config_path)
    workspace = _resolve(base, config_path)
    _resolved[key] = (config_path, stamp, workspace)
    return workspace


def _resolve(base: Path, config_path: Path) -> Workspace:
    config = _read_config(config_path) if config_path.is_file() else {}
    mlops_dir = base / str(config.get("dir", ".mlops"))
    defaults = {
        "tracking_uri": f"sqlite:///{mlops_dir / 'mlflow.db'}",
        "artifact_location": (mlops_dir / "artifacts").as_uri(),
        "state_db_url": f"sqlite:///{mlops_dir / 'state.db'}",
        "object_store_url": str(mlops_dir / "objects"),
        "online_store_url": f"sqlite:///{mlops_dir / 'online.db'}",
    }
    values = {
        key: os.environ.get(env) or str(config.get(key) or defaults[key])
        for key, env in _ENV_KEYS.items()
    }
    shared_db = not values["state_db_url"].startswith("sqlite")
    return Workspace(
        root=base,
        mlops_dir=mlops_dir,
        config_file=config_path if config_path.is_file() else None,
        require_authenticated_decisions=_flag(
            "require_authenticated_decisions", config, default=shared_db
        ),
        **values,
    )


def _flag(key: str, config: dict[str, Any], *, default: bool) -> bool:
    """A boolean setting: its environment variable, else ``mlops.toml``, else ``default``."""
    env = _FLAGS[key]
    given = os.environ.get(env, "").strip().lower()
    if given:
        if given not in _TRUE | _FALSE:
            raise Invalid(f"{env} must be true or false, not {given!r}")
        return given in _TRUE
    value = config.get(key, default)
    if not isinstance(value, bool):
        raise Invalid(f"{CONFIG_FILE}: {key} must be true or false, not {value!r}")
    return value
