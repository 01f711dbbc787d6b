"""The OpenAPI document is as strict as the server: path parameters carry the patterns,
enums and integer bounds the server enforces; query integers are bounded so offsets fit
in 64 bits; every status an operation can answer is declared; every time is a
``date-time`` with its offset, in the document's models and on the wire."""

import re
import typing
from datetime import UTC, datetime
from typing import Annotated, Any

import pandas as pd
import pytest
from pydantic import BaseModel, TypeAdapter

import jupyter_mlops as mlops
from jupyter_mlops.contract import INT64_MAX
from jupyter_mlops.datasets.models import NAME
from jupyter_mlops.server.openapi import EXTRA_MODELS, build_openapi
from jupyter_mlops.server.routes import API_PREFIX, ROUTES
from tests.helpers import api

DOC = build_openapi()
OPERATIONS = [
    (path, method, op) for path, item in DOC["paths"].items() for method, op in item.items()
]


def _params(where: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", p["name"], p["schema"])
        for path, method, op in OPERATIONS
        for p in op["parameters"]
        if p["in"] == where
    ]


def test_every_operation_id_is_unique() -> None:
    """The TypeScript types name each operation by its id: two alike do not compile."""
    ids = [op["operationId"] for _, _, op in OPERATIONS]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize(("operation", "name", "schema"), _params("path"))
def test_every_path_parameter_says_what_the_server_accepts(
    operation: str, name: str, schema: dict[str, Any]
) -> None:
    if schema["type"] == "integer":
        assert schema["minimum"] == 0 and 0 < schema["maximum"] <= INT64_MAX
    else:
        assert schema["type"] == "string" and ("pattern" in schema or "enum" in schema)


def test_path_parameters_name_their_rules() -> None:
    def schema(path: str, name: str) -> dict[str, Any]:
        [param] = [p for p in DOC["paths"][API_PREFIX + path]["get"]["parameters"]]
        return param["schema"] if param["name"] == name else {}

    assert schema("/job-runs/{job_run_id}", "job_run_id") == {
        "type": "integer",
        "minimum": 0,
        "maximum": INT64_MAX,
    }
    assert schema("/reviews/{review_id}", "review_id")["maximum"] == 999_999_999
    assert schema("/runs/{mlflow_run_id}", "mlflow_run_id")["pattern"] == "^[0-9a-f]{32}$"
    assert schema("/datasets/{name}", "name")["pattern"] == NAME.pattern
    stages = DOC["paths"][API_PREFIX + "/jobs/{name}/stages/{stage}"]["put"]["parameters"]
    assert [p["schema"].get("enum") for p in stages] == [None, ["dev", "staging", "prod"]]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_the_route_matches_every_id_its_document_allows(route: Any) -> None:
    """The server's regex is derived from the same rules: the largest documented id
    reaches the handler (which then answers 404 or 400), not the JSON 404 of no route."""
    path = route.path
    for name, param in route.path_params().items():
        schema = param.schema()
        example = str(schema["maximum"]) if schema["type"] == "integer" else "x"
        path = path.replace("{" + name + "}", example)
    assert re.fullmatch(route.pattern, path)


@pytest.mark.parametrize(("operation", "name", "schema"), _params("query"))
def test_every_query_integer_is_bounded(operation: str, name: str, schema: dict[str, Any]) -> None:
    kinds = [schema, *schema.get("anyOf", []), schema.get("items", {})]
    for kind in kinds:
        if kind.get("type") == "integer":
            assert kind["maximum"] <= INT64_MAX and kind["minimum"] >= -(2**63), name


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=lambda v: str(v)[:60])
def test_a_page_times_its_size_fits_in_64_bits(path: str, method: str, op: Any) -> None:
    query = {p["name"]: p["schema"] for p in op["parameters"] if p["in"] == "query"}
    if "page" in query and "page_size" in query:
        assert query["page"]["maximum"] * query["page_size"]["maximum"] <= INT64_MAX


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=lambda v: str(v)[:60])
def test_every_status_an_operation_answers_is_declared(path: str, method: str, op: Any) -> None:
    declared = set(op["responses"])
    assert {"200", "400", "403", "404"} <= declared
    assert ("409" in declared) == (method != "get")
    assert ("415" in declared) == ("requestBody" in op)
    # a proxy in front answers 431 with no body (the only status without one)
    assert "content" not in op["responses"]["431"]
    for status in declared - {"200", "431"}:
        content = op["responses"][status]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}


def _holds_time(tp: Any) -> bool:
    return tp is datetime or any(_holds_time(arg) for arg in typing.get_args(tp))


def _time_fields() -> list[tuple[str, Any]]:
    """Every field of every model the document holds whose type is a time."""
    seen: set[type[BaseModel]] = set()
    found: list[tuple[str, Any]] = []

    def walk(tp: Any) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.add(tp)
            for name, field in tp.model_fields.items():
                if _holds_time(field.annotation):
                    found.append((f"{tp.__name__}.{name}", field))
                walk(field.annotation)
        for arg in typing.get_args(tp):
            walk(arg)

    for route in ROUTES:
        for model in (route.response, route.query, route.body):
            walk(model)
    for model in EXTRA_MODELS:
        walk(model)
    return found


@pytest.mark.parametrize(("where", "field"), _time_fields(), ids=lambda v: str(v)[:50])
def test_every_time_field_is_written_in_utc_with_its_offset(where: str, field: Any) -> None:
    annotated = Annotated[(field.annotation, *field.metadata)] if field.metadata else None
    adapter: TypeAdapter[Any] = TypeAdapter(annotated or field.annotation)
    naive = datetime(2026, 12, 5, 2, 33, 41)
    assert adapter.dump_python(naive, mode="json") == "2026-12-05T02:33:41Z"
    # an aware time given to the model is kept as naive UTC, as the state DB stores it
    aware = datetime.fromisoformat("2026-12-05T03:33:41+01:00")
    assert adapter.validate_python(aware) == naive
    assert adapter.dump_python(adapter.validate_python(aware)) == naive


def test_the_document_has_time_fields() -> None:
    assert len(_time_fields()) > 30


@pytest.mark.usefixtures("mlops_workspace")
async def test_times_on_the_wire_carry_their_offset(jp_fetch: Any) -> None:
    before = datetime.now(UTC)
    mlops.datasets.save("wine", pd.DataFrame({"pH": [3.1]}))
    code, listed = await api(jp_fetch, "datasets")
    assert code == 200
    stamp = listed["datasets"][0]["latest"]["created_at"]
    assert stamp.endswith("Z")
    saved = datetime.fromisoformat(stamp)
    assert saved.utcoffset() is not None and abs((saved - before).total_seconds()) < 60
    # the Python side keeps the naive UTC time the state DB holds
    [version] = mlops.datasets.log("wine")
    assert version.created_at.tzinfo is None
    assert version.created_at == saved.replace(tzinfo=None)
