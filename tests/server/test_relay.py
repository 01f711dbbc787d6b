"""Team mode in a user's own server: the relay passes each API call on to the service as it
came (path and query still encoded, less the ``token``), with the server's Hub token, and
passes the answer back with the headers a panel reads; a service that does not answer is a
503 naming it, and a dot segment is refused.

The service here is a small recording HTTP server (the relay is what is under test; the
real service behind the real Hub's proxy is in tests/team/test_hub_service.py).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from jupyter_mlops.errors import Invalid
from jupyter_mlops.server.relay import _raw_path

SEEN: list[dict[str, Any]] = []
ALICE = {"Authorization": "token alice"}


class Recorder(RequestHandler):
    """Records what reached it, answers 404 with a report's headers."""

    def _answer(self) -> None:
        SEEN.append(
            {
                "method": self.request.method,
                "uri": self.request.uri,
                "auth": self.request.headers.get("Authorization"),
                "body": self.request.body,
            }
        )
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.set_header("Content-Disposition", 'attachment; filename="report.html"')
        self.set_header("Content-Security-Policy", "sandbox")
        self.finish(json.dumps({"message": "not here"}))

    def get(self, *_: str) -> None:
        self._answer()

    def post(self, *_: str) -> None:
        self._answer()


@pytest.fixture
def service() -> Iterator[str]:
    [sock] = bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    server = HTTPServer(Application([(r"/(.*)", Recorder)]))
    server.add_sockets([sock])
    SEEN.clear()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/services/mlops"
    server.stop()


@pytest.fixture
def jp_server_config(mlops_multiuser_server_config: dict[str, Any]) -> dict[str, Any]:
    """Named users, as the Hub's: ``token alice`` is alice."""
    return mlops_multiuser_server_config


@pytest.fixture(autouse=True)
def team_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """This server is alice's on a Hub, in team mode (set before the server starts)."""
    monkeypatch.setenv("JUPYTER_MLOPS_SERVICE_URL", "http://127.0.0.1:9/services/mlops")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "alices-server-token")
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")


Relay = Callable[..., Awaitable[HTTPResponse]]


@pytest.fixture
def relay(jp_serverapp: Any, http_server_client: Any, jp_http_port: int, jp_base_url: str) -> Relay:
    """Call this server's ``mlops/api/RAW`` (as written: still encoded) as alice."""

    async def fetch(raw: str, method: str = "GET") -> HTTPResponse:
        url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}mlops/api/{raw}"
        body = b"{}" if method == "POST" else None
        headers = {**ALICE, "Content-Type": "application/json"}
        return await AsyncHTTPClient().fetch(
            url, method=method, body=body, headers=headers, raise_error=False
        )

    return fetch


async def test_calls_go_on_as_they_came_and_answers_come_back(
    relay: Relay,
    service: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JUPYTER_MLOPS_SERVICE_URL", service)
    raw = "datasets/a%2Fb%3Fc/versions?x=%FF&token=secret&y=1"
    answer = await relay(raw)
    assert answer.code == 404 and json.loads(answer.body) == {"message": "not here"}
    assert answer.headers["Content-Disposition"] == 'attachment; filename="report.html"'
    assert answer.headers["Content-Security-Policy"] == "sandbox"
    [seen] = SEEN
    assert seen["uri"] == "/services/mlops/mlops/api/datasets/a%2Fb%3Fc/versions?x=%FF&y=1"
    assert seen["auth"] == "token alices-server-token"
    posted = await relay("reviews", "POST")
    assert posted.code == 404 and SEEN[-1]["body"] == b"{}"


@pytest.mark.parametrize("segment", ["%2E%2E", "%2e", ".%2E"])
async def test_a_dot_segment_is_refused(
    relay: Relay,
    service: str,
    monkeypatch: pytest.MonkeyPatch,
    segment: str,
) -> None:
    monkeypatch.setenv("JUPYTER_MLOPS_SERVICE_URL", service)
    raw = f"reviews/{segment}/{segment}/api/kernels"
    answer = await relay(raw)
    assert answer.code == 400 and "'..' segment" in json.loads(answer.body)["message"]
    assert SEEN == []


async def test_a_service_that_does_not_answer_is_a_503_naming_it(
    relay: Relay,
) -> None:
    # nothing listens on the discard port: the connection is refused
    answer = await relay("reviews")
    assert answer.code == 503
    message = json.loads(answer.body)["message"]
    assert "http://127.0.0.1:9/services/mlops did not answer" in message


async def test_a_user_the_server_is_shared_with_is_refused(
    relay: Relay,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")  # the server is bob's; alice holds its token
    answer = await relay("reviews")
    assert answer.code == 403 and "bob's" in json.loads(answer.body)["message"]


@pytest.mark.parametrize(
    ("raw", "base", "decoded", "relayed"),
    [
        ("/user/al/mlops/api/datasets/a%2Fb", "/user/al/", "datasets/a/b", "datasets/a%2Fb"),
        # a named server whose base URL holds "mlops/api" itself
        ("/user/mlops/api/mlops/api/reviews/1", "/user/mlops/api/", "reviews/1", "reviews/1"),
        # a base URL written otherwise than the request: the decoded path, encoded again
        ("/user/a%40b/mlops/api/reviews", "/user/a@b/", "reviews", "reviews"),
    ],
)
def test_the_relayed_path_is_the_part_after_this_servers_api_prefix(
    raw: str, base: str, decoded: str, relayed: str
) -> None:
    assert _raw_path(raw, base, decoded) == relayed


@pytest.mark.parametrize("segment", ["..", ".", "%2e%2E"])
def test_a_literal_or_encoded_dot_segment_is_refused(segment: str) -> None:
    with pytest.raises(Invalid, match="segment"):
        _raw_path(f"/user/al/mlops/api/reviews/{segment}/x", "/user/al/", "reviews/x")
