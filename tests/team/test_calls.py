"""Every call team mode makes is a route of the service, with the route's own models:
the one typed request layer cannot drift from the REST API it calls."""

from jupyter_mlops.datasets import remote as datasets_remote
from jupyter_mlops.monitoring import remote as monitoring_remote
from jupyter_mlops.pipelines import remote as jobs_remote
from jupyter_mlops.reviews import remote as reviews_remote
from jupyter_mlops.server.routes import ROUTES
from jupyter_mlops.serving import remote as serving_remote


def test_each_remote_call_is_a_documented_route_with_its_models() -> None:
    routes = {(r.method, r.path): r for r in ROUTES}
    calls = (*reviews_remote.CALLS, *datasets_remote.CALLS, *serving_remote.CALLS)
    for call in (*calls, *jobs_remote.CALLS, *monitoring_remote.CALLS):
        route = routes.get((call.method, call.path))
        assert route is not None, f"{call.method} {call.path} is no route"
        assert call.answer is route.response, call.path
        assert call.body is route.body, call.path
        assert call.query is route.query, call.path
