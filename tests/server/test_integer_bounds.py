"""Integers a request carries stay within what the database holds (signed 64 bits): past
it, a 400 naming the parameter, never SQLite's OverflowError as a 500. At the bound
itself, the request goes through (an empty page, a 404 for an id no row has)."""

from typing import Any

import pytest

from jupyter_mlops.contract import INT64_MAX
from tests.helpers import api

pytestmark = pytest.mark.usefixtures("mlops_workspace")

TOO_BIG = str(INT64_MAX + 1)  # 9223372036854775808


@pytest.mark.parametrize(
    ("parts", "params", "named"),
    [
        (("datasets",), {"page": TOO_BIG}, "page"),
        (("runs",), {"page": TOO_BIG}, "page"),
        (("monitors",), {"page": TOO_BIG}, "page"),
        (("monitors", "wine", "points"), {"page": TOO_BIG}, "page"),
        (("alerts",), {"page": TOO_BIG}, "page"),
        (("jobs",), {"offset": TOO_BIG}, "offset"),
        (("jobs", "train", "runs"), {"offset": TOO_BIG}, "offset"),
        (("runs",), {"experiment_ids": TOO_BIG}, "experiment_ids"),
        # in range alone, but page * page_size would overflow the offset
        (("runs",), {"page": "10000000000000000", "page_size": "1000"}, "page"),
        (("datasets", "wine", "versions", "v1", "rows"), {"page": TOO_BIG}, "page"),
    ],
)
async def test_an_out_of_range_query_integer_is_a_400_naming_it(
    jp_fetch: Any, parts: tuple[str, ...], params: dict[str, str], named: str
) -> None:
    code, answer = await api(jp_fetch, *parts, params=params)
    assert code == 400, answer
    assert answer["message"].startswith(f"{named}") and answer["reason"] == "Invalid"


@pytest.mark.parametrize(
    ("parts", "body", "named"),
    [
        (("jobs", "train", "promote"), {"to": "staging", "expected_version": 2**63}, "expected"),
        (("reviews",), {"model": "cancer", "version": 2**63}, "version"),
        (("reviews", "1", "comments"), {"body": "hi", "parent_id": 2**63}, "parent_id"),
    ],
)
async def test_an_out_of_range_body_integer_is_a_400_naming_it(
    jp_fetch: Any, parts: tuple[str, ...], body: dict[str, Any], named: str
) -> None:
    code, answer = await api(jp_fetch, *parts, method="POST", body=body)
    assert code == 400, answer
    assert answer["message"].startswith(named)


@pytest.mark.parametrize(
    ("parts", "params"),
    [
        (("datasets",), {"page": str(INT64_MAX // 500), "page_size": "500"}),
        (("runs",), {"page": str(INT64_MAX // 1000), "page_size": "1000"}),
        (("monitors",), {"page": str(INT64_MAX // 500), "page_size": "500"}),
        (("alerts",), {"page": str(INT64_MAX // 500), "page_size": "500"}),
        (("jobs",), {"offset": str(INT64_MAX)}),
        (("runs",), {"experiment_ids": "999999999999999999"}),
    ],
)
async def test_the_largest_page_or_offset_is_an_empty_page(
    jp_fetch: Any, parts: tuple[str, ...], params: dict[str, str]
) -> None:
    code, answer = await api(jp_fetch, *parts, params=params)
    assert code == 200, answer
    listed = next(v for k, v in answer.items() if isinstance(v, list) and k != "metric_keys")
    assert listed == []


@pytest.mark.parametrize(
    ("method", "parts", "status", "message"),
    [
        ("GET", ("job-runs", str(INT64_MAX)), 404, f"no job run {INT64_MAX}"),
        ("GET", ("job-runs", TOO_BIG), 400, f"job run id must be at most {INT64_MAX}"),
        ("GET", ("job-runs", "9" * 40), 400, f"job run id must be at most {INT64_MAX}"),
        ("GET", ("job-runs", "9" * 5000), 400, f"job run id must be at most {INT64_MAX}"),
        ("POST", ("job-runs", TOO_BIG, "cancel"), 400, "at most"),
        ("GET", ("job-runs", TOO_BIG, "log"), 400, "at most"),
        ("GET", ("monitors", "wine", "points", TOO_BIG), 400, f"must be at most {INT64_MAX}"),
        ("POST", ("alerts", TOO_BIG, "acknowledge"), 400, f"must be at most {INT64_MAX}"),
        ("POST", ("alerts", str(INT64_MAX), "acknowledge"), 404, f"no alert {INT64_MAX}"),
        # review ids match the route up to 9 digits: a longer one is no route at all
        ("GET", ("reviews", "9" * 10), 404, "no such resource"),
        ("GET", ("reviews", TOO_BIG, "page"), 404, "no such resource"),
    ],
)
async def test_an_out_of_range_path_id_is_a_clear_4xx(
    jp_fetch: Any, method: str, parts: tuple[str, ...], status: int, message: str
) -> None:
    code, answer = await api(jp_fetch, *parts, method=method)
    assert code == status, answer
    assert message in answer["message"], answer
