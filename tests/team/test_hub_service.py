"""Team mode on a real JupyterHub (``hub.py``): the mlops service alone holds the state
DB's credentials, takes who acts from the Hub token, and nobody acts as someone else.

One Hub for the module: its proxy, alice, bob and carol, their single-user servers and
real kernels, and the service on the test PostgreSQL database, reviewers ``bob`` only.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from jupyter_mlops.pytest_plugin import write_notebook
from tests.state_db import POSTGRES_ENV, empty_review_tables
from tests.team.hub import AUTH_CACHE_S, Hub, register_model, running_hub
from tests.team.kernel import Kernel


@pytest.fixture(scope="module")
def db_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (make test-py sets it)")
    empty_review_tables(url)
    return url


@pytest.fixture(scope="module")
def hub(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub"), db_url) as running:
        yield running


@pytest.fixture(scope="module")
def version(hub: Hub, db_url: str) -> int:
    """Version 1 of model ``cancer`` in the service's registry."""
    return register_model(hub, db_url)


@pytest.fixture(scope="module")
def tokens(hub: Hub) -> dict[str, str]:
    """An API token of each user, as each would make on the Hub's token page."""
    return {user: hub.token(user)[1] for user in ("alice", "bob", "carol")}


@pytest.fixture(scope="module")
def alice_kernel(hub: Hub, tokens: dict[str, str]) -> Iterator[Kernel]:
    """A kernel of alice's own server on the Hub, with jupyter-mlops imported."""
    kernel = Kernel(hub.start_server("alice"), tokens["alice"])
    cell = kernel.run("import os, json\nimport jupyter_mlops as mlops")
    assert cell.error is None, cell.error
    yield kernel
    kernel.close()


def call(
    hub: Hub, token: str | None, method: str, path: str, body: object = None
) -> httpx.Response:
    headers = {"Authorization": f"token {token}"} if token else {}
    return httpx.request(
        method, f"{hub.service_url}/mlops/api{path}", headers=headers, json=body, timeout=60
    )


def run_to_its_end(hub: Hub, token: str, job: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run ``job``'s dev stage through the service with ``token`` and wait until it
    succeeded: (the run as started, as it ended)."""
    run = call(hub, token, "POST", f"/jobs/{job}/runs", {"stage": "dev"}).json()
    deadline = time.monotonic() + 240
    while (status := call(hub, token, "GET", f"/job-runs/{run['id']}").json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, f"run {run['id']} did not end"
        time.sleep(1)
    assert status["status"] == "succeeded", status
    return run, status


def test_the_service_answers_only_hub_users_and_runs_no_code(
    hub: Hub, tokens: dict[str, str], db_url: str
) -> None:
    for token in (None, "not-a-token", tokens["alice"][:-1] + "x"):
        refused = call(hub, token, "GET", "/reviews")
        assert refused.status_code == 403, refused.text
    assert call(hub, tokens["alice"], "GET", "/reviews").status_code == 200
    # the Jupyter server under the service runs no kernel and serves no file to anyone
    for path in ("/api/kernels", "/api/contents", "/api/sessions", "/api/terminals"):
        refused = httpx.get(
            hub.service_url + path, headers={"Authorization": f"token {tokens['alice']}"}
        )
        assert refused.status_code in (403, 404), (path, refused.text)
    # the workspace it shows names the state DB, never its password
    info = call(hub, tokens["alice"], "GET", "/info").json()
    password = make_url(db_url).password
    assert password and password not in json.dumps(info)


def test_alice_cannot_act_as_bob_from_her_kernel(
    hub: Hub, tokens: dict[str, str], version: int, alice_kernel: Kernel, db_url: str
) -> None:
    cell = alice_kernel.run(f"r = mlops.reviews.request('cancer', {version}); print(r.id)")
    assert cell.error is None, cell.error
    rid = int(cell.stdout)
    detail = call(hub, tokens["bob"], "GET", f"/reviews/{rid}").json()
    assert detail["review"]["requested_by"]["username"] == "alice"
    assert [(e["by"], e["by_source"]) for e in detail["events"]] == [("alice", "authenticated")]

    # 1. naming bob with by=
    cell = alice_kernel.run(f"mlops.reviews.approve({rid}, by='bob')")
    assert cell.error and cell.error.startswith("Invalid") and "by=" in cell.error
    # 2. claiming to be bob through the environment: the token still says alice, the author
    cell = alice_kernel.run(f"os.environ['JUPYTERHUB_USER'] = 'bob'\nmlops.reviews.approve({rid})")
    assert cell.error and cell.error.startswith("Forbidden"), cell.error
    assert "alice" in cell.error
    # 3. a REST call carrying bob's name in its body
    forged = call(
        hub,
        tokens["alice"],
        "POST",
        f"/reviews/{rid}/decisions",
        {"decision": "approve", "by": "bob", "reviewer": {"username": "bob"}},
    )
    assert forged.status_code == 400, forged.text
    # 4. the state DB: the kernel holds no credentials, and the API opens no local one
    url = make_url(db_url)
    cell = alice_kernel.run("print(json.dumps(dict(os.environ)))")
    assert cell.error is None
    assert url.password and url.password not in cell.stdout
    assert "JUPYTER_MLOPS_STATE_DB_URL" not in cell.stdout
    cell = alice_kernel.run(
        "import sqlalchemy\n"
        f"sqlalchemy.create_engine('postgresql+psycopg://{url.username}@{url.host}:{url.port}"
        f"/{url.database}').connect()"
    )
    assert cell.error and cell.error.startswith("OperationalError"), cell.error
    cell = alice_kernel.run("mlops.features.list()")
    assert cell.error and cell.error.startswith("Invalid") and "team mode" in cell.error

    # nothing of it was stored
    detail = call(hub, tokens["bob"], "GET", f"/reviews/{rid}").json()
    assert detail["review"]["status"] == "open"
    assert detail["decisions"] == []
    assert [e["action"] for e in detail["events"]] == ["request"]
    # alice may withdraw her own review, as herself
    cell = alice_kernel.run(f"print(mlops.reviews.withdraw({rid}).status)")
    assert (cell.error, cell.stdout.strip()) == (None, "withdrawn")


def test_bob_approves_alice_sees_the_alias_move_carol_is_refused(
    hub: Hub, tokens: dict[str, str], version: int, alice_kernel: Kernel
) -> None:
    cell = alice_kernel.run(f"print(mlops.reviews.request('cancer', {version}).id)")
    assert cell.error is None, cell.error
    rid = int(cell.stdout)

    carol = call(hub, tokens["carol"], "POST", f"/reviews/{rid}/decisions", {"decision": "approve"})
    assert carol.status_code == 403, carol.text
    bob = call(hub, tokens["bob"], "POST", f"/reviews/{rid}/decisions", {"decision": "approve"})
    assert bob.status_code == 200, bob.text

    cell = alice_kernel.run(
        f"d = mlops.reviews.get({rid})\n"
        "print(json.dumps([d.review.status, [x.reviewer.username for x in d.decisions],"
        " [x.reviewer.source for x in d.decisions]]))"
    )
    assert cell.error is None, cell.error
    assert json.loads(cell.stdout) == ["approved", ["bob"], ["authenticated"]]
    models = call(hub, tokens["alice"], "GET", "/models").json()["models"]
    assert {m["name"]: m["aliases"] for m in models}["cancer"] == {"champion": version}


def test_a_hub_group_reviews_the_models_its_rules_name(
    hub: Hub, tokens: dict[str, str], db_url: str
) -> None:
    """The service's rules give models ``tumor*`` to Hub group ``oncology`` (carol), with
    two approvals: bob, the default reviewer, is refused until the Hub's admin adds him to
    the group, and then his approval counts."""
    version = register_model(hub, db_url, "tumor")
    made = call(hub, tokens["alice"], "POST", "/reviews", {"model": "tumor", "version": version})
    assert made.status_code == 200, made.text
    review = made.json()
    assert (review["rules"]["reviewers"], review["rules"]["approvals_required"]) == (
        ["group:oncology"],
        2,
    )
    decide = f"/reviews/{review['id']}/decisions"
    refused = call(hub, tokens["bob"], "POST", decide, {"decision": "approve"})
    assert refused.status_code == 403, refused.text
    assert "group:oncology" in refused.json()["message"]
    carol = call(hub, tokens["carol"], "POST", decide, {"decision": "approve"})
    assert carol.status_code == 200 and carol.json()["status"] == "open", carol.text

    added = httpx.post(
        f"{hub.url}/hub/api/groups/oncology/users",
        headers={"Authorization": f"token {hub.admin_token}"},
        json={"users": ["bob"]},
        timeout=30,
    )
    assert added.status_code == 200, added.text
    time.sleep(AUTH_CACHE_S + 1)  # the service's answer about the group, remembered
    bob = call(hub, tokens["bob"], "POST", decide, {"decision": "approve"})
    assert bob.status_code == 200 and bob.json()["status"] == "approved", bob.text
    models = call(hub, tokens["alice"], "GET", "/models").json()["models"]
    assert {m["name"]: m["aliases"] for m in models}["tumor"] == {"champion": version}


def test_a_revoked_or_expired_token_is_refused(hub: Hub) -> None:
    token_id, token = hub.token("alice")
    _, short_lived = hub.token("alice", expires_in=1)
    assert call(hub, token, "GET", "/reviews").status_code == 200
    assert hub.admin("DELETE", f"/users/alice/tokens/{token_id}").status_code == 204
    time.sleep(AUTH_CACHE_S + 1)  # the service asks the Hub again once its answer is stale
    assert call(hub, token, "GET", "/reviews").status_code == 403
    assert call(hub, short_lived, "GET", "/reviews").status_code == 403


def test_lab_panels_reach_the_service_through_their_own_server(
    hub: Hub, tokens: dict[str, str], version: int, alice_kernel: Kernel
) -> None:
    server = hub.start_server("alice")
    alice = {"Authorization": f"token {tokens['alice']}"}
    made = httpx.post(
        f"{server}/mlops/api/reviews",
        headers=alice,
        json={"model": "cancer", "version": version, "title": "from the panel"},
        timeout=60,
    )
    assert made.status_code == 200, made.text
    rid = made.json()["id"]
    seen = httpx.get(f"{server}/mlops/api/reviews/{rid}", headers=alice, timeout=60).json()
    assert [(e["by"], e["by_source"]) for e in seen["events"]] == [("alice", "authenticated")]
    # the service's refusals come back as they are: alice may not approve her own model
    refused = httpx.post(
        f"{server}/mlops/api/reviews/{rid}/decisions",
        headers=alice,
        json={"decision": "approve"},
        timeout=60,
    )
    assert refused.status_code == 403 and "alice" in refused.json()["message"]
    # bob cannot use alice's server (the Hub refuses him), nor so act as her
    bob = {"Authorization": f"token {tokens['bob']}"}
    assert httpx.get(f"{server}/mlops/api/reviews", headers=bob, timeout=60).status_code == 403
    withdrawn = httpx.post(
        f"{server}/mlops/api/reviews/{rid}/withdraw", headers=alice, json={}, timeout=60
    )
    assert withdrawn.status_code == 200, withdrawn.text


def test_alice_saves_a_dataset_from_her_kernel_as_herself(
    hub: Hub, tokens: dict[str, str], alice_kernel: Kernel
) -> None:
    name = f"sales-{secrets.token_hex(4)}"  # the test database is the session's
    cell = alice_kernel.run(
        "import pandas as pd\n"
        "frame = pd.DataFrame({'a': [1, 2, 3]})\n"
        f"r = mlops.datasets.save('{name}', frame, 'first', tag='gold')\n"
        "print(r.version.version, r.version.manifest.author, r.version.manifest.rows)"
    )
    assert cell.error is None, cell.error
    assert cell.stdout.split() == ["1", "alice", "3"]
    # naming another author is refused, as by= is; nothing is recorded
    cell = alice_kernel.run(
        f"mlops.datasets.save('{name}', pd.DataFrame({{'a': [4]}}), author='bob')"
    )
    assert cell.error and cell.error.startswith("Invalid") and "author=" in cell.error
    detail = call(hub, tokens["bob"], "GET", f"/datasets/{name}").json()
    assert [(v["version"], v["manifest"]["author"], v["tags"]) for v in detail["versions"]] == [
        (1, "alice", ["gold"])
    ]
    # the service records only bytes that are in the store under the id given
    absent = call(
        hub, tokens["alice"], "POST", f"/datasets/{name}/versions", {"object_id": "0" * 64}
    )
    assert absent.status_code == 400 and "not in the workspace's object store" in absent.text
    # and loads what was saved, in bob's kernel-free view of it
    rows = call(hub, tokens["bob"], "GET", f"/datasets/{name}/versions/v1/rows").json()
    assert rows["total"] == 3


def test_alice_reads_checks_and_diffs_datasets_from_her_kernel(
    hub: Hub, tokens: dict[str, str], alice_kernel: Kernel
) -> None:
    """The rest of the datasets' Python API in team mode: the service resolves references
    and runs checks and diffs; the kernel reads the bytes from the store, verified."""
    name = f"stock-{secrets.token_hex(4)}"
    cell = alice_kernel.run(
        "import pandas as pd\nfrom jupyter_mlops.datasets import checks\n"
        f"mlops.datasets.expect('{name}', checks.not_null('a'))\n"
        f"mlops.datasets.save('{name}', pd.DataFrame({{'a': [1, 2]}}), tag='gold')\n"
        f"mlops.datasets.save('{name}', pd.DataFrame({{'a': [1, None, 3]}}))\n"
        f"loaded = mlops.datasets.load('{name}@gold')\n"
        f"latest = mlops.datasets.load('{name}')\n"
        f"report = mlops.datasets.check('{name}@v2')\n"
        f"changes = mlops.datasets.diff('{name}@v1', '{name}')\n"
        "print(json.dumps([loaded['a'].tolist(), len(latest),"
        f" [v.version for v in mlops.datasets.log('{name}')],"
        f" '{name}' in mlops.datasets.list(), report.passed,"
        " [changes.rows_a, changes.rows_b]]))"
    )
    assert cell.error is None, cell.error
    assert json.loads(cell.stdout) == [[1, 2], 3, [2, 1], True, False, [2, 3]]
    cell = alice_kernel.run(f"mlops.datasets.load('{name}@v9')")
    assert cell.error and cell.error.startswith("NotFound"), cell.error


def test_serving_from_her_kernel_reads_the_teams_endpoints_and_deploys_none(
    hub: Hub, alice_kernel: Kernel
) -> None:
    """The team's endpoints are the service's: a kernel reads them through it, and a
    deploy from a kernel is refused, instead of a private endpoint and audit trail."""
    cell = alice_kernel.run("print(len(mlops.serving.endpoints().endpoints))")
    assert (cell.error, cell.stdout.strip()) == (None, "0")
    cell = alice_kernel.run("mlops.serving.status('nowhere')")
    assert cell.error and cell.error.startswith("NotFound"), cell.error
    cell = alice_kernel.run("mlops.serving.deploy('cancer@champion')")
    assert cell.error and cell.error.startswith("Invalid") and "team mode" in cell.error


def test_alice_acknowledges_an_alert_from_her_kernel_as_herself(
    hub: Hub, db_url: str, alice_kernel: Kernel
) -> None:
    """A drift alert of the team (recorded by the operator, as a scheduled check would);
    alice reads it from her kernel and acknowledges it as herself, authenticated."""
    from jupyter_mlops.monitoring.drift import check_drift
    from jupyter_mlops.monitoring.store import MonitorStore
    from jupyter_mlops.workspace import resolve_workspace
    from tests.monitoring.frames import frames

    monitors = MonitorStore(replace(resolve_workspace(hub.workspace), state_db_url=db_url))
    name = f"sales-{secrets.token_hex(3)}"
    monitors.configure(name, thresholds=["dataset_drift"])
    [alert] = monitors.record(name, check_drift(*frames())).alerts
    cell = alice_kernel.run(f"print([a.id for a in mlops.monitor.alerts('{name}')])")
    assert (cell.error, cell.stdout.strip()) == (None, f"[{alert.id}]")
    cell = alice_kernel.run(f"mlops.monitor.acknowledge({alert.id}, user='bob')")
    assert cell.error and cell.error.startswith("Invalid") and "user=" in cell.error
    cell = alice_kernel.run(
        f"a = mlops.monitor.acknowledge({alert.id})\n"
        "print(a.acknowledged_by, a.acknowledged_by_source)"
    )
    assert (cell.error, cell.stdout.split()) == (None, ["alice", "authenticated"])


def test_a_job_runs_as_its_author_without_the_services_credentials(
    hub: Hub, tokens: dict[str, str], db_url: str, alice_kernel: Kernel
) -> None:
    """A job's notebook is its author's code: its kernel holds none of the service's
    secrets, and acts through the service as the author, with a token revoked after."""
    name = f"probe-{secrets.token_hex(4)}"
    write_notebook(
        hub.workspace / f"{name}.ipynb",
        "import os\nimport pandas as pd\nimport jupyter_mlops as mlops",
        "mlops.output('env', dict(os.environ))",
        # (new bytes each run: the same bytes again would be the version saved before)
        "run = int(os.environ['JUPYTER_MLOPS_JOB_RUN'])\n"
        f"saved = mlops.datasets.save('{name}', pd.DataFrame({{'x': [1, 2, run]}}))\n"
        "mlops.output('author', saved.version.manifest.author)",
        "try:\n"
        f"    mlops.datasets.save('{name}', pd.DataFrame({{'x': [3]}}), author='bob')\n"
        "except Exception as exc:\n"
        "    mlops.output('as_bob', type(exc).__name__)",
    )
    job = call(hub, tokens["alice"], "POST", "/jobs", {"notebook": f"{name}.ipynb"})
    assert job.status_code == 200, job.text
    run, status = run_to_its_end(hub, tokens["alice"], name)
    outputs = status["steps"][0]["outputs"]
    env = outputs["env"]
    password = make_url(db_url).password
    assert password and not any(password in value for value in env.values())
    assert "JUPYTER_MLOPS_STATE_DB_URL" not in env and "JUPYTERHUB_API_TOKEN" not in env
    assert env["JUPYTER_MLOPS_SERVICE_URL"].endswith("/services/mlops")
    # it acted as alice, who wrote the job, and could not name bob
    assert outputs["author"] == "alice" and outputs["as_bob"] == "Invalid"
    # the step's token ended with the step (once the service's cached answer expired)
    step_token = env["JUPYTER_MLOPS_SERVICE_TOKEN"]
    time.sleep(AUTH_CACHE_S + 1)
    assert call(hub, step_token, "GET", "/reviews").status_code == 403

    # alice runs it again from her kernel, through the service, and waits for it
    cell = alice_kernel.run(
        f"again = mlops.jobs.run('{name}', wait=True, timeout=240)\n"
        f"print(json.dumps([again.status, again.created_by, mlops.jobs.job('{name}').created_by,"
        f" [r.id for r in mlops.jobs.runs('{name}')][-1], mlops.jobs.gates('{name}').to_stage]))"
    )
    assert cell.error is None, cell.error
    assert json.loads(cell.stdout) == ["succeeded", "alice", "alice", run["id"], "staging"]
    cell = alice_kernel.run(f"mlops.jobs.run('{name}', by='bob')")
    assert cell.error and cell.error.startswith("Invalid") and "by=" in cell.error
    # a partial schedule change leaves the rest as it was
    cell = alice_kernel.run(
        f"mlops.jobs.schedule('{name}', 'dev', cron='0 6 * * *')\n"
        f"print(mlops.jobs.schedule('{name}', 'dev', paused=True).cron)"
    )
    assert (cell.error, cell.stdout.strip()) == (None, "0 6 * * *")

    # bob runs alice's job: it acts as bob, who started it, not as alice
    _, status = run_to_its_end(hub, tokens["bob"], name)
    assert status["steps"][0]["outputs"]["author"] == "bob"
