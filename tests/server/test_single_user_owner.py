"""On a single-user server (jupyter-server's own identity provider, token login), whoever
holds the token is the server's owner: every write is recorded under the owner's name, the
name its kernels record (the Hub user, else the OS user), as authenticated. Without this,
jupyter-server names each browser a random "Anonymous" user and the review UI refuses it.
"""

from typing import Any

import jupyter_mlops as mlops
from jupyter_mlops.identity import current_author
from jupyter_mlops.monitoring import check_drift
from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.reviews.models import Identity
from jupyter_mlops.workspace import Workspace
from tests.helpers import api
from tests.monitoring.frames import frames
from tests.reviews.conftest import log_model_run


async def test_the_token_holder_writes_as_the_owner(
    jp_fetch: Any, mlops_workspace: Workspace, mlops_client: Any
) -> None:
    owner = current_author()
    run_id = log_model_run()
    code, version = await api(
        jp_fetch, "models", method="POST", body={"run_id": run_id, "name": "cancer"}
    )
    assert code == 200, version
    assert (version["registered_by"], version["registered_by_source"]) == (owner, "authenticated")

    code, review = await api(
        jp_fetch, "reviews", method="POST", body={"model": "cancer", "version": 1}
    )
    assert code == 200, review
    assert review["requested_by"]["username"] == owner
    # the owner cannot approve their own model, in any case
    code, error = await api(
        jp_fetch, "reviews", str(review["id"]), "decisions", method="POST",
        body={"decision": "approve"},
    )  # fmt: skip
    assert code == 403 and "cannot decide" in error["message"]
    [event] = store_for(mlops_workspace).events(review["id"])
    assert (event.by, event.by_source) == (owner, "authenticated")


async def test_an_alert_acknowledged_through_the_server_is_the_owners(
    jp_fetch: Any, mlops_workspace: Workspace
) -> None:
    reference, current = frames()
    mlops.monitor.configure("owner", thresholds=["dataset_drift"])
    [alert] = mlops.monitor.record("owner", check_drift(reference, current)).alerts
    code, acked = await api(jp_fetch, "alerts", str(alert.id), "acknowledge", method="POST")
    assert code == 200, acked
    assert (acked["acknowledged_by"], acked["acknowledged_by_source"]) == (
        current_author(),
        "authenticated",
    )


async def test_a_review_someone_else_requested_is_approved_by_the_owner(
    jp_fetch: Any, mlops_workspace: Workspace, mlops_client: Any
) -> None:
    registry.register(mlops_workspace, log_model_run(), "cancer")
    review = store_for(mlops_workspace).request("cancer", 1, Identity(username="someone-else"))
    code, decided = await api(
        jp_fetch, "reviews", str(review.id), "decisions", method="POST",
        body={"decision": "approve"},
    )  # fmt: skip
    assert code == 200, decided
    assert decided["status"] == "approved"
    [decision] = store_for(mlops_workspace).detail(review.id).decisions
    assert (decision.reviewer.username, decision.reviewer.source) == (
        current_author(),
        "authenticated",
    )


async def test_info_names_the_owner_for_the_panels(
    jp_fetch: Any, mlops_workspace: Workspace
) -> None:
    """The panels ask who acts here: Lab itself names the browser "Anonymous …"."""
    code, info = await api(jp_fetch, "info")
    assert code == 200
    assert info["user"]["username"] == current_author()
    assert (info["user"]["source"], info["user"]["anonymous"]) == ("authenticated", False)
    assert info["require_authenticated_decisions"] is False  # SQLite: single user
