"""Which endpoints should be running: ``endpoint.json`` in an endpoint's folder (its model
reference and port), written whole once a deploy answers and removed first by a stop.

The endpoint supervisor (``supervisor.py``) starts again an endpoint that is wanted and
not running: its router was killed, or the machine restarted.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

WANTED_FILE = "endpoint.json"


class Wanted(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str  # NAME@ALIAS or NAME/VERSION
    port: int


def read_wanted(directory: Path) -> Wanted | None:
    """The endpoint ``directory`` should run, or None (never deployed, stopped, unreadable)."""
    try:
        return Wanted.model_validate_json((directory / WANTED_FILE).read_bytes())
    except (OSError, ValidationError):
        return None


def write_wanted(directory: Path, wanted: Wanted) -> None:
    path = directory / WANTED_FILE
    partial = path.with_suffix(".partial")
    partial.write_text(wanted.model_dump_json())
    os.replace(partial, path)


def forget_wanted(directory: Path) -> None:
    (directory / WANTED_FILE).unlink(missing_ok=True)
