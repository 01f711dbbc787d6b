"""The contract's shared pieces: ids read from a path, times in UTC, 64-bit bounds."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from jupyter_mlops.contract import (
    INT64_MAX,
    Count,
    Id,
    StrictModel,
    UtcDateTime,
    max_page,
    parse_id,
)
from jupyter_mlops.errors import Invalid


@pytest.mark.parametrize(
    ("text", "number"), [("0", 0), ("7", 7), ("007", 7), (str(INT64_MAX), INT64_MAX)]
)
def test_a_path_id_is_a_whole_number_up_to_the_int64_bound(text: str, number: int) -> None:
    assert parse_id(text, "job run") == number


@pytest.mark.parametrize("text", ["", "-1", "1.5", "1e3", " 1", "١٢", "0x10", "\uff11"])
def test_anything_but_ascii_digits_is_not_an_id(text: str) -> None:
    with pytest.raises(Invalid, match="job run id must be a whole number"):
        parse_id(text, "job run")


@pytest.mark.parametrize("text", [str(INT64_MAX + 1), "9" * 20, "9" * 10_000, "0" + "9" * 19])
def test_a_larger_id_says_the_bound(text: str) -> None:
    with pytest.raises(Invalid, match=f"^job run id must be at most {INT64_MAX}$"):
        parse_id(text, "job run")


def test_leading_zeros_do_not_count_towards_the_bound() -> None:
    assert parse_id("0000" + str(INT64_MAX), "x") == INT64_MAX


def test_the_largest_page_keeps_its_offset_in_64_bits() -> None:
    for size in (1, 500, 1000):
        assert max_page(size) * size <= INT64_MAX < (max_page(size) + 1) * size


class Stamped(StrictModel):
    at: UtcDateTime
    until: UtcDateTime | None = None
    offset: Count = 0
    id: Id | None = None


def test_times_are_naive_utc_in_python_and_carry_z_in_json() -> None:
    paris = timezone(timedelta(hours=1))
    model = Stamped(at=datetime(2026, 12, 5, 3, 33, 41, tzinfo=paris), until=datetime(2026, 1, 1))
    assert model.at == datetime(2026, 12, 5, 2, 33, 41)
    assert model.model_dump()["at"] == datetime(2026, 12, 5, 2, 33, 41)
    assert model.model_dump_json() == (
        '{"at":"2026-12-05T02:33:41Z","until":"2026-01-01T00:00:00Z","offset":0,"id":null}'
    )
    again = Stamped.model_validate_json(model.model_dump_json())
    assert again == model and again.at.tzinfo is None


def test_a_naive_time_given_as_text_is_read_as_utc() -> None:
    model = Stamped.model_validate_json('{"at": "2026-12-05T02:33:41"}')
    assert model.at == datetime(2026, 12, 5, 2, 33, 41)
    assert model.at.replace(tzinfo=UTC).timestamp() == 1796438021


def test_the_document_says_date_time() -> None:
    schema = Stamped.model_json_schema(mode="serialization")["properties"]
    assert schema["at"] == {"format": "date-time", "title": "At", "type": "string"}


@pytest.mark.parametrize(
    "data",
    [{"offset": INT64_MAX + 1}, {"offset": -1}, {"id": 0}, {"id": INT64_MAX + 1}, {"extra": 1}],
)
def test_bounds_and_unknown_fields_are_refused(data: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        Stamped.model_validate({"at": "2026-12-05T02:33:41Z", **data})
