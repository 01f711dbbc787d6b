"""Fixtures jupyter-mlops ships for its own tests (and for extensions built on it).

All fixtures are prefixed ``mlops_``; they use real parts: a real MLflow SQLite store and
state DB in a temporary workspace, a real jupyter-server through pytest-jupyter.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .workspace import ROOT_ENV, Workspace, resolve_workspace

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture
def mlops_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh project root; ``JUPYTER_MLOPS_ROOT`` points at it for the test's duration.
    Job runs a test launches leave no standby worker behind (``pipelines/standby.py``);
    a test of standby workers sets ``JUPYTER_MLOPS_JOB_STANDBY`` back to true."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setenv(ROOT_ENV, str(root))
    monkeypatch.setenv("JUPYTER_MLOPS_JOB_STANDBY", "false")
    for name in (
        "JUPYTER_MLOPS_TRACKING_URI",
        "JUPYTER_MLOPS_ARTIFACT_LOCATION",
        "JUPYTER_MLOPS_STATE_DB_URL",
        "JUPYTER_MLOPS_OBJECT_STORE_URL",
        "JUPYTER_MLOPS_ONLINE_STORE_URL",
        "MLFLOW_TRACKING_URI",
        "JPY_SESSION_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    yield root


@pytest.fixture(scope="session")
def mlops_empty_mlflow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow SQLite store with its schema created once per session (MLflow's own
    migrations take seconds); each workspace starts from a copy of it."""
    from mlflow.tracking import MlflowClient

    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    MlflowClient(tracking_uri=f"sqlite:///{path}").search_experiments()
    return path


def make_workspace(root: Path, template_db: Path) -> Workspace:
    """A workspace at ``root`` whose MLflow store starts as a copy of ``template_db``."""
    ws = resolve_workspace(root).ensure()
    shutil.copyfile(template_db, ws.mlops_dir / "mlflow.db")
    return ws


@pytest.fixture
def mlops_workspace(mlops_root: Path, mlops_empty_mlflow_db: Path) -> Workspace:
    """The resolved (and created) workspace of ``mlops_root``."""
    return make_workspace(mlops_root, mlops_empty_mlflow_db)


@pytest.fixture
def mlops_datasets(mlops_workspace: Workspace) -> Any:
    """The dataset store of the workspace (real state DB and object store)."""
    from .datasets.store import DatasetStore

    return DatasetStore(mlops_workspace)


@pytest.fixture
def mlops_client(mlops_workspace: Workspace) -> Any:
    """MLflow's own client on the workspace's store (fluent API pointed there too)."""
    from .tracking.store import use_workspace

    return use_workspace(mlops_workspace)


@pytest.fixture
def mlops_server_config(mlops_root: Path) -> dict[str, Any]:
    """Server config with our extension on, refusing requests without credentials.

    Return it from a ``jp_server_config`` fixture in your conftest (a conftest fixture
    overrides pytest-jupyter's, a plugin's may not). The job scheduler is off (it would
    launch a test's queued runs behind its back); set ``MlopsApp.run_scheduler`` to test it.
    Startup objects are not frozen: one test process starts many servers, and each test's
    objects would then outlive it.
    """
    return {
        "ServerApp": {
            # Terminals have an unauthenticated websocket route, refused under this setting.
            "jpserver_extensions": {"jupyter_mlops": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
        },
        "MlopsApp": {
            "workspace_root": str(mlops_root),
            "run_scheduler": False,
            "freeze_startup_objects": False,
        },
    }


class NamedTokenIdentityProvider:
    """Test identities: the token names the user (``Authorization: token alice`` → alice).

    Built lazily on first use so importing this plugin does not import jupyter-server.
    """

    @staticmethod
    def build() -> type:
        from jupyter_server.auth.identity import IdentityProvider, User

        class _Provider(IdentityProvider):
            def get_user(self, handler: Any) -> User | None:
                header = handler.request.headers.get("Authorization", "")
                scheme, _, name = header.partition(" ")
                if scheme.lower() != "token" or not name.isidentifier():
                    return None
                return User(username=name, name=name.title(), display_name=name.title())

            def is_token_authenticated(self, handler: Any) -> bool:
                # A header token, as jupyter-server's own: writes need no XSRF cookie.
                header = handler.request.headers.get("Authorization", "")
                return bool(header.lower().startswith("token "))

        return _Provider


def refusing_authorizer(refused: str = "mallory") -> type:
    """An Authorizer that refuses every action to one user (the others are allowed)."""
    from jupyter_server.auth.authorizer import Authorizer

    class _Refusing(Authorizer):
        def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
            return bool(user.username != refused)

    return _Refusing


@pytest.fixture
def mlops_multiuser_server_config(mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    """Server config with named test users and one refused user ("mallory")."""
    config = {k: dict(v) for k, v in mlops_server_config.items()}
    config["ServerApp"]["identity_provider_class"] = NamedTokenIdentityProvider.build()
    config["ServerApp"]["authorizer_class"] = refusing_authorizer()
    return config


# -- notebooks and the IPython shell ----------------------------------------------------------
def write_notebook(path: Path, *cells: str, parameters: str | None = None) -> Path:
    """A real python3 notebook at ``path`` (folders made): an optional ``parameters``
    cell (tagged as papermill wants it), then one code cell per source in ``cells``."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook()  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    if parameters is not None:
        tagged = new_code_cell(parameters, metadata={"tags": ["parameters"]})  # type: ignore[no-untyped-call]
        nb.cells.append(tagged)
    nb.cells.extend(new_code_cell(source) for source in cells)  # type: ignore[no-untyped-call]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)  # type: ignore[no-untyped-call]
    return path


@pytest.fixture
def mlops_shell(mlops_workspace: Workspace) -> Iterator[Any]:
    """A real IPython shell with ``%load_ext jupyter_mlops`` run, on the test workspace;
    names a test leaves in its namespace are removed afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "jupyter_mlops")
    before = set(ip.user_ns)
    yield ip
    for name in set(ip.user_ns) - before:
        ip.user_ns.pop(name, None)


def run_cell(ip: Any, cell: str) -> tuple[Any, Any]:
    """Run ``cell`` in shell ``ip`` as a notebook would: (its result, its captured output)."""
    from IPython.utils.capture import capture_output

    with capture_output() as out:
        result = ip.run_cell(cell, store_history=True)
    return result, out


def text_of(out: Any) -> str:
    """What a captured cell printed and displayed as plain text."""
    return str(out.stdout) + "".join(o.data.get("text/plain", "") for o in out.outputs)


def html_of(out: Any) -> str:
    """The HTML a captured cell displayed."""
    return "".join(o.data.get("text/html", "") for o in out.outputs)


# Path segments that try to leave the store or smuggle syntax (tornado decodes a segment
# once, so %2F arrives as "/" and %252F as "%2F"): every route must answer 400 or 404 to
# each, never a file outside the workspace or a 500 (see RELIABILITY.md).
PATH_TRICKS = (
    "../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2fetc",
    "%252e%252e%252f",
    "..\\..\\windows",
    "abc#frag",
    "abc;rm",
    "1;rm",
    "file:///etc/passwd",
    "/etc/passwd",
    "%00abc",
)
