"""One typed request layer for every call a kernel makes to the team service.

An area describes each route it uses as a :class:`Call` (method, path, body and answer
models: the same models the server's route table documents, which
``tests/team/test_calls.py`` checks route by route), and :meth:`ServiceClient.call` does
the rest: path parameters, the JSON body, the Hub token, and the answer parsed into its
model. The service's 4xx answers become the product's own errors (Invalid, Forbidden,
NotFound, Conflict) with the service's message, so a magic shows them as it shows local
ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from ..contract import validation_message
from ..errors import Conflict, Forbidden, Invalid, MlopsError, NotFound
from .config import SERVICE_URL_ENV, service_token, service_url

API_PREFIX = "/mlops/api"
TIMEOUT_S = 60.0
AnswerT = TypeVar("AnswerT", bound=BaseModel)
ItemT = TypeVar("ItemT")
# each product error by the status it is answered with, and the statuses the server
# answers for refusals of the same kind (no token: 401; a body refused by its size or type)
_ERRORS: Mapping[int, type[MlopsError]] = {
    **{kind.status: kind for kind in (Invalid, Forbidden, NotFound, Conflict)},
    401: Forbidden,
    413: Invalid,
    415: Invalid,
    422: Invalid,
}


@dataclass(frozen=True)
class Call(Generic[AnswerT]):
    """One route of the service as a kernel calls it."""

    method: str  # lower case, as the route table has it
    path: str  # the route table's form, e.g. "/reviews/{review_id}/decisions"
    answer: type[AnswerT]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None


class ServiceClient:
    """A keep-alive HTTP client of one service, sending one token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self._http = httpx.Client(
            base_url=url + API_PREFIX,
            headers={"Authorization": f"token {token}"},
            timeout=TIMEOUT_S,
        )

    def call(
        self,
        call: Call[AnswerT],
        params: Mapping[str, object] | None = None,
        body: BaseModel | None = None,
        query: BaseModel | None = None,
    ) -> AnswerT:
        """``call``'s answer, with ``params`` in its path, ``body`` sent as JSON and
        ``query`` as its query string; a refusal raises the matching product error."""
        if (body is None) != (call.body is None) or (
            body is not None and not isinstance(body, call.body)  # type: ignore[arg-type]
        ):
            raise TypeError(f"{call.method} {call.path} takes a {call.body} body")
        path = call.path
        for name, value in (params or {}).items():
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        try:
            answer = self._http.request(
                call.method.upper(),
                path,
                # only the fields given: a partial update leaves the others as they are
                content=None if body is None else body.model_dump_json(exclude_unset=True),
                headers={"Content-Type": "application/json"} if body is not None else None,
                params=None if query is None else query.model_dump(mode="json", exclude_none=True),
            )
        except httpx.HTTPError as exc:
            raise MlopsError(
                f"the jupyter-mlops service at {self.url} did not answer "
                f"({type(exc).__name__}); check {SERVICE_URL_ENV} and that the service runs"
            ) from None
        if answer.status_code >= 400:
            raise _error(answer, self.url)
        try:
            return call.answer.model_validate_json(answer.content)
        except ValidationError as exc:
            raise MlopsError(
                f"the jupyter-mlops service at {self.url} answered {call.method.upper()} "
                f"{path} with an unexpected body ({exc.error_count()} errors): is it the "
                "same version as this kernel's jupyter-mlops?"
            ) from None

    def send(
        self,
        call: Call[AnswerT],
        params: Mapping[str, object] | None = None,
        /,
        **fields: object,
    ) -> AnswerT:
        """``call`` with a body (or query) of ``fields``, checked here first: a field the
        route refuses is an Invalid naming it, before anything is sent."""
        model = call.body or call.query
        if model is None:
            return self.call(call, params)
        try:
            built = model.model_validate(fields)
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        if call.body is not None:
            return self.call(call, params, body=built)
        return self.call(call, params, query=built)

    def close(self) -> None:
        self._http.close()


def _error(answer: httpx.Response, url: str) -> MlopsError:
    try:
        data = answer.json()
    except ValueError:
        data = None
    message = str(data.get("message") or "") if isinstance(data, dict) else ""
    if answer.status_code in (401, 403) and not message:
        message = "the service refused this Hub token (expired, revoked, or lacking access)"
    kind = _ERRORS.get(answer.status_code, MlopsError)
    return kind(message or f"the jupyter-mlops service at {url} answered {answer.status_code}")


def every_page(fetch: Callable[[int], tuple[Sequence[ItemT], int]]) -> list[ItemT]:
    """Every item of a paged list route: ``fetch(done)`` asks for the page that starts
    after the ``done`` items already had, and gives its items and the list's total."""
    found: list[ItemT] = []
    while True:
        items, total = fetch(len(found))
        found += items
        if len(found) >= total or not items:
            return found


_clients: dict[tuple[str, str], ServiceClient] = {}
_lock = threading.Lock()


def client() -> ServiceClient:
    """The client of the configured service with the configured token (one per process)."""
    url = service_url()
    if url is None:
        raise Invalid(f"{SERVICE_URL_ENV} is not set: this process is not in team mode")
    key = (url, service_token())
    with _lock:
        found = _clients.get(key)
        if found is None:
            found = _clients[key] = ServiceClient(*key)
    return found
