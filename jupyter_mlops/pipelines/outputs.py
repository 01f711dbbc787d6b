"""``mlops.output(name, value)``: a value a job step publishes for later steps and gates.

The worker starts each step's kernel with ``JUPYTER_MLOPS_JOB_*`` variables naming the job,
version, stage, run and step. Inside such a kernel a value is checked (an identifier name,
a JSON value) and stored into the step row's outputs in one transaction; outside a job the
value is only returned, so the same notebook runs interactively unchanged.

On a SQLite state DB the transaction goes through the standard library's ``sqlite3``, begun
IMMEDIATE with the busy timeout and synchronous level ``db.py`` uses (the database is in
WAL mode since the worker opened it): importing SQLAlchemy would cost the step's
kernel 0.3–1 s on its first output, on the run's critical path. Other state DBs go through
the ORM.

A kernel the team service started holds no state DB credentials (``remote/children.py``):
there the value is appended, as a JSON line, to the step's outputs file the worker names in
``JUPYTER_MLOPS_JOB_OUTPUTS``, and the worker stores what the file holds when the step ends
(``store_published``), before any later step starts.
"""

from __future__ import annotations

import json
import keyword
import math
import os
import re
import sqlite3
from typing import Any, TypeVar

from ..errors import Invalid, NotFound
from ..job_context import JobContext, job_context
from ..remote.config import active as team_mode

MAX_OUTPUT_BYTES = 1024 * 1024
STEP_RUNS_TABLE = "mlops_job_step_runs"  # orm.JobStepRunRow's (a test holds them equal)
SQLITE_BUSY_TIMEOUT_S = 10.0  # db.SQLITE_BUSY_TIMEOUT_MS (a test holds them equal)
NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)  # as parameter names (kept import-light)
OUTPUTS_FILE_ENV = "JUPYTER_MLOPS_JOB_OUTPUTS"  # a team-mode step's outputs file
T = TypeVar("T")


def _scalar(value: Any) -> Any:
    """NumPy-like scalars (``np.int64(3)``) as the Python value they hold."""
    item = getattr(value, "item", None)
    if callable(item):
        plain = item()
        if plain is None or isinstance(plain, bool | int | float | str):
            return plain
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _check_keys(value: Any) -> None:
    """JSON would turn ``{1: ...}`` into ``{"1": ...}`` silently: refuse non-str keys."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"dict key {key!r} is not a str")
            _check_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_keys(item)


def _encode(name: str, value: Any) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise Invalid(f"output name {name!r} is not a valid Python identifier")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid(f"output {name!r}: {value} is not a JSON number")
    try:
        _check_keys(value)
        text = json.dumps(value, allow_nan=False, default=_scalar)
    except (TypeError, ValueError) as exc:
        raise Invalid(
            f"output {name!r}: {exc} (null, bool, int, float, str, list or dict with str keys)"
        ) from exc
    if len(text) > MAX_OUTPUT_BYTES:
        raise Invalid(f"output {name!r} is {len(text)} bytes as JSON, over {MAX_OUTPUT_BYTES}")
    return text


def output(name: str, value: T) -> T:
    """Publish ``value`` as output ``name`` of the running job step, and return it.

    Later steps receive it as a parameter (``inputs={"param": "STEP.NAME"}``) and promotion
    gates can compare it; outside a job run nothing is stored.
    """
    text = _encode(name, value)
    ctx = job_context()
    if ctx is None:
        return value
    if team_mode():
        _append(name, text)
        return value
    from ..workspace import resolve_workspace

    store_output(resolve_workspace().state_db_url, ctx, name, text)
    return value


def store_output(url: str, ctx: JobContext, name: str, text: str) -> None:
    """Set output ``name`` (JSON ``text``) of the step ``ctx`` in the state DB at ``url``."""
    if url.startswith("sqlite:///"):
        _store_sqlite(url.removeprefix("sqlite:///"), ctx, name, text)
    else:
        _store_orm(url, ctx, name, text)


def _append(name: str, text: str) -> None:
    path = os.environ.get(OUTPUTS_FILE_ENV)
    if not path:
        raise Invalid(
            f"output {name!r}: this job step runs in team mode without an outputs file "
            f"({OUTPUTS_FILE_ENV}); the service's job worker names one"
        )
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"name": name, "value": json.loads(text)}) + "\n")


def store_published(url: str, ctx: JobContext, path: str | os.PathLike[str]) -> None:
    """Store, in the state DB at ``url``, the outputs a team-mode kernel appended to the
    file at ``path`` (each name's last value, checked as ``output`` checks it)."""
    published: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        try:
            item = json.loads(line)
            published[item["name"]] = _encode(item["name"], item["value"])
        except (ValueError, KeyError, TypeError, Invalid):
            continue  # a line cut short by a killed kernel, or not one of ours
    for name, text in published.items():
        store_output(url, ctx, name, text)


def _missing(ctx: JobContext) -> NotFound:
    return NotFound(f"job run {ctx.run_id} has no step {ctx.step!r}")


def _merged(current: str, name: str, text: str) -> str:
    """The step's outputs (JSON) with ``name`` set to ``text`` (JSON)."""
    outputs = json.loads(current)
    outputs[name] = json.loads(text)
    return json.dumps(outputs)


def _store_sqlite(path: str, ctx: JobContext, name: str, text: str) -> None:
    where = "WHERE run_id = ? AND step = ?"
    con = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=NORMAL")  # as every connection of db.py (WAL)
        con.execute("BEGIN IMMEDIATE")
        row = con.execute(
            f"SELECT outputs FROM {STEP_RUNS_TABLE} {where}", (ctx.run_id, ctx.step)
        ).fetchone()
        if row is None:
            raise _missing(ctx)
        merged = _merged(row[0], name, text)
        con.execute(
            f"UPDATE {STEP_RUNS_TABLE} SET outputs = ? {where}", (merged, ctx.run_id, ctx.step)
        )
        con.execute("COMMIT")
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()


def _store_orm(url: str, ctx: JobContext, name: str, text: str) -> None:
    from sqlalchemy import select

    from .. import db
    from .orm import JobStepRunRow

    with db.session_scope(url) as session:
        row = session.scalar(
            select(JobStepRunRow)
            .where(JobStepRunRow.run_id == ctx.run_id, JobStepRunRow.step == ctx.step)
            .with_for_update()
        )
        if row is None:
            raise _missing(ctx)
        row.outputs = _merged(row.outputs, name, text)
