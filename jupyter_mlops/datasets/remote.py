"""Datasets in team mode: a DataFrame's bytes go straight to the team's object store, and
the service records the version (who saved it is the Hub token's user).

The object store is shared (``JUPYTER_MLOPS_OBJECT_STORE_URL``, e.g. an ``s3://`` bucket
users may write); the bytes are content addressed, so the service reads back exactly what
hashes to the id it is given, and records nothing else.
"""

from __future__ import annotations

from typing import Any

from ..errors import Invalid
from ..objects import ObjectStore
from ..remote import Call, client
from ..remote.config import object_store_url
from .frame_writer import FrameWriter
from .models import RecordVersionBody, SaveResult

RECORD = Call("post", "/datasets/{name}/versions", SaveResult, body=RecordVersionBody)
CALLS = (RECORD,)


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
