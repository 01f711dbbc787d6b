"""The server app builds each area's store once, from its ``MlopsApp.*_store_class`` trait,
and the handlers use that one: a deployment can swap a store as jupyter-scheduler's users
swap its services."""

from typing import Any

import pytest

from jupyter_mlops.errors import NotFound
from jupyter_mlops.reviews.models import ReviewDetail
from jupyter_mlops.reviews.store import ReviewStore
from tests.helpers import api


class SwappedReviewStore(ReviewStore):
    """A review store that answers every detail from elsewhere."""

    def detail(self, review_id: int) -> ReviewDetail:
        raise NotFound(f"review {review_id} lives in the swapped store")


@pytest.fixture
def jp_server_config(mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    config = {k: dict(v) for k, v in mlops_server_config.items()}
    config["MlopsApp"]["review_store_class"] = SwappedReviewStore
    return config


async def test_a_configured_store_class_serves_its_area(
    jp_fetch: Any, jp_serverapp: Any, mlops_workspace: Any
) -> None:
    stores = jp_serverapp.web_app.settings["mlops_stores"]
    assert type(stores.reviews) is SwappedReviewStore
    assert stores.reviews.ws.root == mlops_workspace.root
    code, error = await api(jp_fetch, "reviews", "7")
    assert code == 404 and error["message"] == "review 7 lives in the swapped store"
    code, listed = await api(jp_fetch, "datasets")  # the other areas keep their own
    assert code == 200 and listed["datasets"] == []
