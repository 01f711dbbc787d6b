"""``mlops.output(name, value)``: a value a job step publishes for later steps and gates.

The worker starts each step's kernel with ``JUPYTER_MLOPS_JOB_*`` variables naming the job,
version, stage, run and step. Inside such a kernel a value is checked (an identifier name,
a JSON value) and stored into the step row's outputs in one transaction; outside a job the
value is only returned, so the same notebook runs interactively unchanged.
"""

from __future__ import annotations

import json
import keyword
import math
import re
from typing import Any, TypeVar

from ..errors import Invalid, NotFound
from ..job_context import job_context

MAX_OUTPUT_BYTES = 1024 * 1024
NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)  # as parameter names (kept import-light)
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
    from sqlalchemy import select

    from .. import db
    from ..workspace import resolve_workspace
    from .orm import JobStepRunRow

    with db.session_scope(resolve_workspace().state_db_url) as session:
        row = session.scalar(
            select(JobStepRunRow)
            .where(JobStepRunRow.run_id == ctx.run_id, JobStepRunRow.step == ctx.step)
            .with_for_update()
        )
        if row is None:
            raise NotFound(f"job run {ctx.run_id} has no step {ctx.step!r}")
        outputs = json.loads(row.outputs)
        outputs[name] = json.loads(text)
        row.outputs = json.dumps(outputs)
    return value
