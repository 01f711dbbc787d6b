"""A real JupyterHub for the team-mode tests: its proxy, three users, the mlops service.

- configurable-http-proxy from npm (``node_modules/.bin``, installed by ``make setup``);
- JupyterHub's DummyAuthenticator with users alice, bob and carol, and its
  SimpleLocalProcessSpawner (one home folder per user, in the test's directory);
- the mlops service, Hub-managed, on the test PostgreSQL database: its URL (and password)
  is only in the service's environment; users' servers and kernels are given the
  service's address (``JUPYTER_MLOPS_SERVICE_URL``) and their Hub token, nothing else;
- a ``test-admin`` service token, with which the tests make users' tokens and start
  their servers, as an administrator would.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import psutil

from jupyter_mlops.server.hub import AUTH_CACHE_S
from jupyter_mlops.serving.scoring import free_port
from tests.helpers import stop_process

__all__ = ["AUTH_CACHE_S", "Hub", "register_model", "running_hub"]

ROOT = Path(__file__).resolve().parents[2]
START_LIMIT_S = 180
USERS = ("alice", "bob", "carol")
SERVICE = "mlops"
# a Hub group, and the model whose reviews it decides (two approvals); others: bob decides
GROUPS = {"oncology": ["carol"]}
MODEL_RULES = {"tumor*": {"reviewers": ["group:oncology"], "approvals_required": 2}}
STATE_DB_ENV = "JUPYTER_MLOPS_STATE_DB_URL"


def proxy_command() -> str:
    """configurable-http-proxy: the project's npm copy, else one on PATH."""
    local = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    assert found, "configurable-http-proxy is a dev dependency in package.json: run make setup"
    return found


@dataclass
class Hub:
    """A running Hub: its public address and the admin token of the tests."""

    url: str  # the proxy's public address
    admin_token: str
    directory: Path
    workspace: Path  # the service's workspace root
    service_port: int = 0

    @property
    def service_url(self) -> str:
        """The service through the Hub's proxy (as a browser reaches it)."""
        return f"{self.url}/services/{SERVICE}"

    @property
    def service_internal_url(self) -> str:
        """The service at its own address, as users' servers and kernels are given it
        (as JupyterHub gives them its API's internal address, not the proxy's)."""
        return f"http://127.0.0.1:{self.service_port}/services/{SERVICE}"

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call of the Hub's REST API as the tests' administrator."""
        headers = {"Authorization": f"token {self.admin_token}"}
        return httpx.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def token(self, user: str, expires_in: int | None = None) -> tuple[str, str]:
        """A new API token of ``user`` (as the user would make on the Hub's token page):
        (its id, the token)."""
        body: dict[str, Any] = {"note": "team-mode test"}
        if expires_in is not None:
            body["expires_in"] = expires_in
        made = self.admin("POST", f"/users/{user}/tokens", json=body)
        assert made.status_code == 201, made.text
        return made.json()["id"], made.json()["token"]

    def start_server(self, user: str) -> str:
        """Start ``user``'s single-user server (if not running); its address when ready."""
        started = self.admin("POST", f"/users/{user}/server")
        assert started.status_code in (201, 202, 400), started.text  # 400: already running
        deadline = time.monotonic() + START_LIMIT_S
        while time.monotonic() < deadline:
            model = self.admin("GET", f"/users/{user}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return f"{self.url}{server['url'].rstrip('/')}"
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server did not start: {self.log()[-4000:]}")

    def log(self) -> str:
        return (self.directory / "hub.log").read_text(errors="replace")


def hub_config(directory: Path, ports: dict[str, int], admin_token: str, db_url: str) -> str:
    """The ``jupyterhub_config.py`` of the test Hub."""
    workspace = directory / "workspace"
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    python_path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    base_env = {"PATH": path, "PYTHONPATH": python_path, "LANG": "C.UTF-8"}
    # servers and kernels reach the service at its own address, not through the proxy
    service_url = f"http://127.0.0.1:{ports['service']}/services/{SERVICE}"
    # the team's object store: kernels put datasets' bytes there, the service reads them
    objects = {"JUPYTER_MLOPS_OBJECT_STORE_URL": str(directory / "objects")}
    settings = {
        "ip": "127.0.0.1",
        "port": ports["proxy"],
        "hub_ip": "127.0.0.1",
        "hub_port": ports["hub"],
        "proxy_api": f"http://127.0.0.1:{ports['proxy_api']}",
        "proxy": proxy_command(),
        "db": f"sqlite:///{directory / 'hub.sqlite'}",
        "cookie_secret": str(directory / "cookie_secret"),
        "homes": str(directory / "home") + "/{username}",
        "python": sys.executable,
        "workspace": str(workspace),
        "admin_token": admin_token,
        "service_port": ports["service"],
        "base_env": base_env,
        "user_env": {**base_env, **objects, "JUPYTER_MLOPS_SERVICE_URL": service_url},
        "service_env": {
            **base_env,
            **objects,
            STATE_DB_ENV: db_url,
            "JUPYTER_MLOPS_JOB_STANDBY": "false",
            "JUPYTER_MLOPS_ROOT": str(workspace),
        },
        "users": list(USERS),
        # the CI machine runs the tests as root; Jupyter servers refuse that unless told
        "root_args": ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else [],
        "service": SERVICE,
        "groups": GROUPS,
        "model_rules": json.dumps(MODEL_RULES),
    }
    return f"SETTINGS = {json.dumps(settings)}\n" + CONFIG_BODY


CONFIG_BODY = """
c = get_config()  # noqa: F821
s = SETTINGS
c.JupyterHub.ip = s["ip"]
c.JupyterHub.port = s["port"]
c.JupyterHub.hub_ip = s["hub_ip"]
c.JupyterHub.hub_port = s["hub_port"]
c.JupyterHub.db_url = s["db"]
c.JupyterHub.cookie_secret_file = s["cookie_secret"]
c.ConfigurableHTTPProxy.api_url = s["proxy_api"]
c.ConfigurableHTTPProxy.command = [s["proxy"]]
c.ConfigurableHTTPProxy.debug = False
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = set(s["users"])
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = s["homes"]
c.Spawner.cmd = [s["python"], "-m", "jupyterhub.singleuser"]
# Lab exposes its app object to the UI test, as Galata's own server config does
c.Spawner.args = [*s["root_args"], "--LabApp.expose_app_in_browser=True"]
c.Spawner.environment = s["user_env"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# a server's token (and so its kernels') may use the mlops service, and nothing more
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    f"access:services!service={s['service']}",
]
c.JupyterHub.services = [
    {
        "name": s["service"],
        "url": f"http://127.0.0.1:{s['service_port']}",
        "command": [
            s["python"], "-m", "jupyter_mlops.cli", "service", "--root", s["workspace"],
            "--MlopsApp.review_reviewers=bob",
            f"--MlopsApp.review_model_rules={s['model_rules']}", *s["root_args"],
        ],
        "cwd": s["workspace"],
        "environment": s["service_env"],
        "oauth_no_confirm": True,
    },
    {"name": "test-admin", "api_token": s["admin_token"]},
]
c.JupyterHub.load_groups = {name: {"users": users} for name, users in s["groups"].items()}
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self", f"access:services!service={s['service']}"]},
    # the service asks the Hub for a token of a job's author for the job's kernel
    # and who is in a group its review rules name
    {"name": "mlops-service", "scopes": ["tokens", "read:groups"], "services": [s["service"]]},
    {
        "name": "test-admin",
        "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens", "read:users"],
        "services": ["test-admin"],
    },
]
"""


def register_model(hub: Hub, db_url: str, name: str = "cancer") -> int:
    """A new version of model ``name`` in the service's MLflow registry, registered by the
    operator (this process) from a run that trained a small real model: what a data
    scientist's run would have left. Returns the version."""
    import mlflow

    from jupyter_mlops.reviews import registry
    from jupyter_mlops.workspace import resolve_workspace
    from tests.reviews.conftest import log_model_run

    ws = replace(resolve_workspace(hub.workspace), state_db_url=db_url)
    before = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(ws.tracking_uri)
    try:
        return registry.register(ws, log_model_run("team"), name).version
    finally:
        mlflow.set_tracking_uri(before)


def quiet_lab(home: Path) -> None:
    """Lab in ``home`` asks no question on first use (news, updates), as Galata's own
    test server is set up: the UI tests see the panels, not a notification."""
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    quiet = {"fetchNews": "false", "checkForUpdates": False}
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(quiet))


@contextmanager
def running_hub(directory: Path, db_url: str, port: int | None = None) -> Iterator[Hub]:
    """A Hub with its proxy and the mlops service (public ``port``, else a free one),
    stopped (users' servers too) on exit."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "workspace").mkdir(exist_ok=True)
    for user in USERS:
        quiet_lab(directory / "home" / user)
    ports = {name: free_port() for name in ("proxy", "proxy_api", "hub", "service")}
    if port is not None:
        ports["proxy"] = port
    admin_token = secrets.token_hex(16)
    config = directory / "jupyterhub_config.py"
    config.write_text(hub_config(directory, ports, admin_token, db_url))
    log = (directory / "hub.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_MLOPS_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=directory,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    hub = Hub(
        f"http://127.0.0.1:{ports['proxy']}",
        admin_token,
        directory,
        directory / "workspace",
        ports["service"],
    )
    try:
        _wait(lambda: _ready(hub), proc, hub)
        yield hub
    finally:
        for user in USERS:
            with suppress(httpx.HTTPError):
                hub.admin("DELETE", f"/users/{user}/server")
        stop_process(proc)
        log.close()
        stop_leftovers(ports)


def stop_leftovers(ports: dict[str, int]) -> None:
    """Stop what a Hub that ended abruptly (a service that failed to start stops it) left
    running: its proxy, the service and users' servers, each found by the Hub's ports."""
    hub_api = f"127.0.0.1:{ports['hub']}"
    left = []
    for found in psutil.process_iter(["cmdline"]):
        with suppress(psutil.Error):
            command = found.info["cmdline"] or []
            proxy = "--api-port" in command and str(ports["proxy_api"]) in command
            if proxy or hub_api in found.environ().get("JUPYTERHUB_API_URL", ""):
                left.append(found)
    for found in left:
        with suppress(psutil.Error):
            found.terminate()
    _, alive = psutil.wait_procs(left, timeout=20)
    for found in alive:
        with suppress(psutil.Error):
            found.kill()


def _ready(hub: Hub) -> bool:
    """Whether the Hub answers and the mlops service behind the proxy answers (403: it
    runs, and refuses a request without a token)."""
    try:
        if httpx.get(f"{hub.url}/hub/health", timeout=10).status_code != 200:
            return False
        return httpx.get(f"{hub.service_url}/mlops/api/info", timeout=10).status_code == 403
    except httpx.HTTPError:
        return False


def _wait(check: Any, proc: subprocess.Popen[bytes], hub: Hub) -> None:
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline and proc.poll() is None:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"the Hub or its mlops service did not start:\n{hub.log()[-6000:]}")
