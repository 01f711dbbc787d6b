"""The reviews REST routes through a real server, state DB and MLflow registry, as named
users: alice requests, bob comments on a cell and approves, the alias moves; the object
rules answer 403 and change nothing; bad input is a 4xx and stores nothing."""

from typing import Any

import pytest

from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.reviews.models import ModelVersionInfo
from jupyter_mlops.workspace import Workspace
from tests.helpers import api, as_user
from tests.reviews.conftest import log_model_run


@pytest.fixture
def jp_server_config(mlops_multiuser_server_config: dict[str, Any]) -> dict[str, Any]:
    """Named users; reviewers are bob and carol (dave is signed in but no reviewer)."""
    config = {k: dict(v) for k, v in mlops_multiuser_server_config.items()}
    config["MlopsApp"]["review_reviewers"] = ["bob", "carol"]
    return config


@pytest.fixture
def version(mlops_workspace: Workspace, mlops_client: Any) -> ModelVersionInfo:
    """Version 1 of model ``cancer``, registered from a run that logged a real model."""
    return registry.register(mlops_workspace, log_model_run(), "cancer")


async def request_review(jp_fetch: Any) -> dict[str, Any]:
    code, review = await api(
        jp_fetch,
        "reviews",
        method="POST",
        body={"model": "cancer", "version": 1, "title": "first model"},
        **as_user("alice"),
    )
    assert code == 200, review
    return review  # type: ignore[no-any-return]


def stored(ws: Workspace, review_id: int) -> Any:
    detail = store_for(ws).detail(review_id)
    return detail.review, detail.comments, detail.decisions, detail.events


async def test_request_comment_on_a_cell_approve_moves_the_alias(
    jp_fetch: Any, mlops_workspace: Workspace, mlops_client: Any, version: ModelVersionInfo
) -> None:
    review = await request_review(jp_fetch)
    assert review["requested_by"]["username"] == "alice"
    assert review["rules"] == {
        "reviewers": ["bob", "carol"],
        "approvals_required": 1,
        "alias": "champion",
    }
    rid = str(review["id"])
    code, listed = await api(jp_fetch, "reviews", params={"view": "waiting"}, **as_user("bob"))
    assert code == 200 and [r["id"] for r in listed["reviews"]] == [review["id"]]
    code, mine = await api(jp_fetch, "reviews", params={"view": "mine"}, **as_user("bob"))
    assert code == 200 and mine["reviews"] == []

    code, comment = await api(
        jp_fetch,
        "reviews",
        rid,
        "comments",
        method="POST",
        body={"body": "why this threshold?", "anchor": {"cell_index": 2}},
        **as_user("bob"),
    )
    assert code == 200, comment
    assert comment["author"] == {
        "username": "bob",
        "display_name": "Bob",
        "anonymous": False,
        "source": None,  # a comment records no origin; its audit event does
    }
    assert comment["anchor"] == {"cell_id": None, "cell_index": 2}
    code, reply = await api(
        jp_fetch,
        "reviews",
        rid,
        "comments",
        method="POST",
        body={"body": "from the ROC curve", "parent_id": comment["id"]},
        **as_user("alice"),
    )
    assert code == 200 and reply["anchor"] == comment["anchor"]
    code, resolved = await api(
        jp_fetch,
        "reviews",
        rid,
        "comments",
        str(comment["id"]),
        "resolve",
        method="POST",
        **as_user("bob"),
    )
    assert code == 200 and resolved["resolved"] and resolved["resolved_by"] == "bob"

    code, decided = await api(
        jp_fetch,
        "reviews",
        rid,
        "decisions",
        method="POST",
        body={"decision": "approve", "note": "looks good"},
        **as_user("bob"),
    )
    assert code == 200, decided
    assert decided["status"] == "approved" and decided["alias_state"] == "moved"
    assert str(mlops_client.get_model_version_by_alias("cancer", "champion").version) == "1"

    code, detail = await api(jp_fetch, "reviews", rid, **as_user("alice"))
    assert code == 200
    assert [c["body"] for c in detail["comments"]] == ["why this threshold?", "from the ROC curve"]
    assert [d["reviewer"]["username"] for d in detail["decisions"]] == ["bob"]
    actions = [(e["action"], e["by"]) for e in detail["events"]]
    assert actions[0] == ("request", "alice") and ("approve", "bob") in actions
    code, models = await api(jp_fetch, "models", **as_user("alice"))
    assert code == 200
    [model] = models["models"]
    assert model["name"] == "cancer" and model["aliases"] == {"champion": 1}
    assert [(v["version"], v["aliases"]) for v in model["versions"]] == [(1, ["champion"])]


async def test_review_page(jp_fetch: Any, version: ModelVersionInfo) -> None:
    review = await request_review(jp_fetch)
    code, page = await api(jp_fetch, "reviews", str(review["id"]), "page", **as_user("bob"))
    assert code == 200, page
    assert (page["model"], page["version"], page["champion_alias"]) == ("cancer", 1, "champion")


async def test_register_a_runs_model(jp_fetch: Any, mlops_client: Any) -> None:
    run_id = log_model_run()
    code, info = await api(
        jp_fetch,
        "models",
        method="POST",
        body={"run_id": run_id, "name": "iris"},
        **as_user("alice"),
    )
    assert code == 200, info
    assert (info["name"], info["version"], info["run_id"]) == ("iris", 1, run_id)
    assert mlops_client.get_model_version("iris", "1").run_id == run_id


@pytest.mark.parametrize(
    ("user", "body"),
    [
        ("alice", {"decision": "approve"}),  # the author
        ("dave", {"decision": "approve"}),  # not a reviewer
        ("dave", {"decision": "request_changes", "note": "no"}),
    ],
)
async def test_self_approval_and_non_reviewers_get_403_and_nothing_changes(
    jp_fetch: Any,
    mlops_workspace: Workspace,
    mlops_client: Any,
    version: ModelVersionInfo,
    user: str,
    body: dict[str, str],
) -> None:
    review = await request_review(jp_fetch)
    before = stored(mlops_workspace, review["id"])
    code, error = await api(
        jp_fetch,
        "reviews",
        str(review["id"]),
        "decisions",
        method="POST",
        body=body,
        **as_user(user),
    )
    assert code == 403, error
    assert error["reason"] == "Forbidden" and error["message"]
    assert stored(mlops_workspace, review["id"]) == before
    assert mlops_client.get_model_version("cancer", "1").aliases == []


async def test_editing_someone_elses_comment_is_403(
    jp_fetch: Any, mlops_workspace: Workspace, version: ModelVersionInfo
) -> None:
    review = await request_review(jp_fetch)
    rid = str(review["id"])
    code, comment = await api(
        jp_fetch,
        "reviews",
        rid,
        "comments",
        method="POST",
        body={"body": "mine"},
        **as_user("bob"),
    )
    assert code == 200
    before = stored(mlops_workspace, review["id"])
    code, error = await api(
        jp_fetch,
        "reviews",
        rid,
        "comments",
        str(comment["id"]),
        method="PUT",
        body={"body": "not yours"},
        **as_user("alice"),
    )
    assert code == 403 and error["reason"] == "Forbidden"
    assert stored(mlops_workspace, review["id"]) == before
    code, edited = await api(
        jp_fetch,
        "reviews",
        rid,
        "comments",
        str(comment["id"]),
        method="PUT",
        body={"body": "mine, edited"},
        **as_user("bob"),
    )
    assert code == 200 and edited["body"] == "mine, edited" and edited["edited_at"]


async def test_html_and_script_in_a_comment_come_back_verbatim_as_json_text(
    jp_fetch: Any, version: ModelVersionInfo
) -> None:
    review = await request_review(jp_fetch)
    text = '<script>alert("x")</script><img src=x onerror=alert(1)> & <b>bold</b>'
    code, comment = await api(
        jp_fetch,
        "reviews",
        str(review["id"]),
        "comments",
        method="POST",
        body={"body": text},
        **as_user("bob"),
    )
    assert code == 200 and comment["body"] == text
    resp = await jp_fetch("mlops", "api", "reviews", str(review["id"]), **as_user("alice"))
    assert resp.headers["Content-Type"].startswith("application/json")
    import json

    assert json.loads(resp.body)["comments"][0]["body"] == text


@pytest.mark.parametrize(
    ("method", "parts", "body", "code"),
    [
        ("GET", ("reviews", "999"), None, 404),
        ("GET", ("reviews", "999", "page"), None, 404),
        ("POST", ("reviews", "999", "comments"), {"body": "hi"}, 404),
        ("POST", ("reviews", "{rid}", "comments"), {"body": ""}, 400),
        ("POST", ("reviews", "{rid}", "comments"), {"body": "   "}, 400),
        ("POST", ("reviews", "{rid}", "comments"), {"body": "x", "anchor": {}}, 400),
        ("POST", ("reviews", "{rid}", "comments"), "not json", 400),
        ("PUT", ("reviews", "{rid}", "comments", "999"), {"body": "x"}, 404),
        ("POST", ("reviews", "{rid}", "decisions"), {"decision": "merge"}, 400),
        ("POST", ("reviews", "{rid}", "decisions"), {"decision": "request_changes"}, 400),
        ("POST", ("reviews",), {"model": "cancer", "version": 7}, 404),
        ("POST", ("reviews",), {"model": "cancer", "version": 1}, 409),
        ("POST", ("reviews",), {"model": "", "version": 1}, 400),
        ("POST", ("models",), {"run_id": "../x", "name": "m"}, 400),
        ("POST", ("models",), {"run_id": "0" * 32, "name": "m"}, 404),
    ],
)
async def test_bad_input_is_a_4xx_and_nothing_is_stored(
    jp_fetch: Any,
    mlops_workspace: Workspace,
    version: ModelVersionInfo,
    method: str,
    parts: tuple[str, ...],
    body: Any,
    code: int,
) -> None:
    review = await request_review(jp_fetch)
    before = stored(mlops_workspace, review["id"])
    parts = tuple(p.format(rid=review["id"]) for p in parts)
    got, error = await api(jp_fetch, *parts, method=method, body=body, **as_user("bob"))
    assert got == code, error
    assert error["message"]
    assert stored(mlops_workspace, review["id"]) == before
    assert [r.id for r in store_for(mlops_workspace).search()] == [review["id"]]


async def test_reviews_of_a_run(
    jp_fetch: Any, mlops_workspace: Workspace, mlops_client: Any, version: ModelVersionInfo
) -> None:
    """A notebook opened from a run finds the reviews of the versions registered from it."""
    review = await request_review(jp_fetch)
    for view in ("all", "open", "waiting"):
        params = {"view": view, "run_id": str(version.run_id)}
        code, listed = await api(jp_fetch, "reviews", params=params, **as_user("bob"))
        assert code == 200 and [r["id"] for r in listed["reviews"]] == [review["id"]], view
    code, other = await api(
        jp_fetch, "reviews", params={"view": "all", "run_id": "0123abcd"}, **as_user("bob")
    )
    assert code == 200 and other["reviews"] == []


async def test_bad_list_query_is_400(jp_fetch: Any, mlops_workspace: Workspace) -> None:
    for params in (
        {"view": "everything"},
        {"limit": "0"},
        {"colour": "red"},
        {"run_id": "../etc"},
    ):
        code, error = await api(jp_fetch, "reviews", params=params, **as_user("bob"))
        assert code == 400, (params, error)


REVIEW_ROUTES = [
    ("GET", ("reviews",), None),
    ("POST", ("reviews",), {"model": "cancer", "version": 1}),
    ("GET", ("reviews", "1"), None),
    ("GET", ("reviews", "1", "page"), None),
    ("POST", ("reviews", "1", "comments"), {"body": "hi"}),
    ("PUT", ("reviews", "1", "comments", "1"), {"body": "hi"}),
    ("POST", ("reviews", "1", "comments", "1", "resolve"), None),
    ("POST", ("reviews", "1", "decisions"), {"decision": "approve"}),
    ("POST", ("reviews", "1", "withdraw"), None),
    ("GET", ("models",), None),
    ("POST", ("models",), {"run_id": "abc", "name": "m"}),
]


@pytest.mark.parametrize(("method", "parts", "body"), REVIEW_ROUTES)
@pytest.mark.parametrize("user", [None, "mallory"])
async def test_every_route_refuses_no_token_and_a_refused_user(
    jp_fetch: Any,
    mlops_workspace: Workspace,
    method: str,
    parts: tuple[str, ...],
    body: Any,
    user: str | None,
) -> None:
    kw = as_user(user) if user else {"headers": {"Authorization": ""}}
    code, _ = await api(jp_fetch, *parts, method=method, body=body, **kw)
    assert code == 403
    assert store_for(mlops_workspace).search(limit=10) == []


async def test_withdraw_is_the_authors_only(
    jp_fetch: Any, mlops_workspace: Workspace, version: ModelVersionInfo
) -> None:
    review = await request_review(jp_fetch)
    rid = str(review["id"])
    code, _ = await api(jp_fetch, "reviews", rid, "withdraw", method="POST", **as_user("bob"))
    assert code == 403
    code, withdrawn = await api(
        jp_fetch,
        "reviews",
        rid,
        "withdraw",
        method="POST",
        body={"note": "wrong run"},
        **as_user("alice"),
    )
    assert code == 200 and withdrawn["status"] == "withdrawn"
