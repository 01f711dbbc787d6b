"""Datasets in team mode: a DataFrame's bytes go straight to the team's object store, and
the service records the version (who saved it is the Hub token's user); a load asks the
service which version a reference names and reads its bytes from the store.

The object store is shared (``JUPYTER_MLOPS_OBJECT_STORE_URL``, e.g. an ``s3://`` bucket
users may write); the bytes are content addressed, so the service reads back exactly what
hashes to the id it is given, and records nothing else, and a kernel verifies what it
reads by the same hash.
"""

from __future__ import annotations

import builtins
from typing import Any

from ..errors import Invalid, NotFound
from ..objects import ObjectStore
from ..remote import Call, client, every_page
from ..remote.config import object_store_url
from .checks import Check, CheckReport, DatasetChecks
from .diff import DatasetDiff
from .frame_writer import FrameWriter
from .models import (
    DatasetDetail,
    DatasetVersion,
    DiffQuery,
    ListDatasetsQuery,
    ListDatasetsResponse,
    RecordVersionBody,
    SaveResult,
    VersionDetail,
    parse_ref,
)
from .store import read_version

RECORD = Call("post", "/datasets/{name}/versions", SaveResult, body=RecordVersionBody)
LIST = Call("get", "/datasets", ListDatasetsResponse, query=ListDatasetsQuery)
DETAIL = Call("get", "/datasets/{name}", DatasetDetail)
VERSION = Call("get", "/datasets/{name}/versions/{version}", VersionDetail)
DIFF = Call("get", "/datasets/{name}/diff", DatasetDiff, query=DiffQuery)
CHECKS = Call("put", "/datasets/{name}/checks", DatasetChecks, body=DatasetChecks)
CHECK = Call("post", "/datasets/{name}/versions/{version}/check", CheckReport)
CALLS = (RECORD, LIST, DETAIL, VERSION, DIFF, CHECKS, CHECK)
PAGE_SIZE = 200


def save(
    name: str,
    value: Any,
    message: str,
    tag: str | None,
    key: list[str] | None,
    notebook: str | None,
    cell: str | None,
) -> SaveResult:
    """Put ``value``'s Parquet bytes in the team's object store; record them as the next
    version of ``name`` through the service."""
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        raise Invalid(
            f"in team mode a dataset is saved from a DataFrame, not a {type(value).__name__}"
        )
    objects = ObjectStore(object_store_url())
    with FrameWriter(value) as writer:
        object_id, _ = objects.put_staged(writer.write, meanwhile=writer.finish)
    fields = {"object_id": object_id, "message": message, "key": key, "tag": tag}
    return client().send(RECORD, {"name": name}, **fields, notebook=notebook, cell=cell)


def resolve(ref: str) -> DatasetVersion:
    """The version ``ref`` names (latest, ``@vN``, ``@TAG``, ``@HASHPREFIX``), as the
    service resolves it."""
    name, selector = parse_ref(ref)
    if selector is None:
        versions = log(name)
        if not versions:
            raise NotFound(f"dataset {name!r} has no version (none saved)")
        return versions[0]
    return client().send(VERSION, {"name": name, "version": selector}).version


def load(ref: str) -> tuple[DatasetVersion, Any]:
    """The version ``ref`` names, and its data read from the team's object store."""
    version = resolve(ref)
    return version, read_version(ObjectStore(object_store_url()), version)


def log(name: str) -> builtins.list[DatasetVersion]:
    return client().send(DETAIL, {"name": name}).versions


def names() -> builtins.list[str]:
    def fetch(done: int) -> tuple[builtins.list[str], int]:
        answer = client().send(LIST, page=done // PAGE_SIZE, page_size=PAGE_SIZE)
        return [d.name for d in answer.datasets], answer.total

    return sorted(every_page(fetch))


def diff(ref_a: str, ref_b: str, key: builtins.list[str] | None) -> DatasetDiff:
    a, b = resolve(ref_a), resolve(ref_b)
    if a.name != b.name:
        raise Invalid(
            f"in team mode a diff compares two versions of one dataset, not {a.name!r} "
            f"and {b.name!r}"
        )
    selectors = {"a": f"v{a.version}", "b": f"v{b.version}", "key": key or []}
    return client().send(DIFF, {"name": a.name}, **selectors)


def expect(name: str, checks: builtins.list[Check]) -> builtins.list[Check]:
    return client().send(CHECKS, {"name": name}, checks=checks).checks


def check(ref: str) -> CheckReport:
    version = resolve(ref)
    return client().send(CHECK, {"name": version.name, "version": f"v{version.version}"})
