"""On a server with a real identity provider (JupyterHub's, or one configured), an
anonymous user may read and is refused every write with 403 naming why; nothing is stored.
"""

from typing import Any

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.monitoring import check_drift
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.reviews.models import Identity
from jupyter_mlops.workspace import Workspace
from tests.helpers import api
from tests.monitoring.frames import frames
from tests.reviews.conftest import log_model_run


class AnonymousVisitors:
    """An identity provider of its own (not jupyter-server's default) whose every
    token-holding visitor is anonymous, as a Hub's public or guest access would be."""

    @staticmethod
    def build() -> type:
        from jupyter_server.auth.identity import IdentityProvider

        class _Provider(IdentityProvider):
            def get_user(self, handler: Any) -> Any:
                if not handler.request.headers.get("Authorization", "").startswith("token "):
                    return None
                return self.generate_anonymous_user(handler)

            def is_token_authenticated(self, handler: Any) -> bool:
                return True

        return _Provider


@pytest.fixture
def jp_server_config(mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    config = {k: dict(v) for k, v in mlops_server_config.items()}
    config["ServerApp"]["identity_provider_class"] = AnonymousVisitors.build()
    return config


TOKEN = {"headers": {"Authorization": "token visitor"}}


async def test_an_anonymous_user_reads_but_cannot_write(
    jp_fetch: Any, mlops_workspace: Workspace, mlops_client: Any
) -> None:
    run_id = log_model_run()
    registry.register(mlops_workspace, run_id, "cancer")
    review = store_for(mlops_workspace).request("cancer", 1, Identity(username="alice"))
    reference, current = frames()
    mlops.monitor.configure("anon", thresholds=["dataset_drift"])
    [alert] = mlops.monitor.record("anon", check_drift(reference, current)).alerts
    write_notebook(mlops_workspace.root / "nb.ipynb", "x = 1")

    code, listed = await api(jp_fetch, "reviews", **TOKEN)
    assert code == 200 and [r["id"] for r in listed["reviews"]] == [review.id]
    before = store_for(mlops_workspace).detail(review.id)
    for parts, body in [
        (("reviews",), {"model": "cancer", "version": 1}),
        (("reviews", str(review.id), "comments"), {"body": "hello"}),
        (("reviews", str(review.id), "decisions"), {"decision": "approve"}),
        (("models",), {"run_id": run_id, "name": "other"}),
        (("alerts", str(alert.id), "acknowledge"), None),
        (("jobs",), {"notebook": "nb.ipynb"}),
        (("features", "entities"), {"name": "e", "join_keys": [{"name": "k", "dtype": "Int64"}]}),
        (("features", "services"), {"name": "s", "features": ["v"]}),
        (("features", "materialize"), {"view": "v"}),
    ]:
        code, error = await api(jp_fetch, *parts, method="POST", body=body, **TOKEN)
        assert code == 403, (parts, error)
        assert "an anonymous user cannot" in error["message"], error
    assert store_for(mlops_workspace).detail(review.id) == before
    assert mlops.monitor.alerts()[0].acknowledged_by is None
    assert mlops.jobs.jobs() == []
    assert mlops.features.list() == {"entity": [], "view": [], "service": []}
    assert [v.version for v in registry.versions(mlops_workspace, "cancer")] == [1]
