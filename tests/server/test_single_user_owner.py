"""With jupyter-server's own shared token, each request is a new "Anonymous" user: it may
read reviews but not write them (a comment or an approval needs a person)."""

from typing import Any

from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.reviews.models import Identity
from jupyter_mlops.workspace import Workspace
from tests.helpers import api
from tests.reviews.conftest import log_model_run


async def test_a_token_only_user_reads_but_cannot_write(
    jp_fetch: Any, mlops_workspace: Workspace, mlops_client: Any
) -> None:
    registry.register(mlops_workspace, log_model_run(), "cancer")
    review = store_for(mlops_workspace).request("cancer", 1, Identity(username="alice"))
    code, listed = await api(jp_fetch, "reviews")
    assert code == 200 and [r["id"] for r in listed["reviews"]] == [review.id]
    before = store_for(mlops_workspace).detail(review.id)
    for parts, body in [
        (("reviews",), {"model": "cancer", "version": 1}),
        (("reviews", str(review.id), "comments"), {"body": "hello"}),
        (("reviews", str(review.id), "decisions"), {"decision": "approve"}),
    ]:
        code, error = await api(jp_fetch, *parts, method="POST", body=body)
        assert code == 403, (parts, error)
        assert "anonymous" in error["message"]
    assert store_for(mlops_workspace).detail(review.id) == before
