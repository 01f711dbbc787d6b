"""Checking the parameters a run or a stage overrides against the version it runs.

A job version's steps are snapshots; their ``parameters`` cells are read from the snapshot
in the object store (never from the notebook file, which may have changed since). A given
name must be declared by at least one step, and its value must suit every step declaring
it; every problem is named at once (``InvalidParameters``), before anything is stored.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import nbformat

from ..errors import Invalid
from ..objects import ObjectStore
from .models import JobSpec
from .parameters import NotebookParameter, read_parameters, validate_parameters
from .store import JobStore


@functools.lru_cache(maxsize=256)
def _declared(object_store_url: str, notebook_object: str) -> tuple[NotebookParameter, ...]:
    """The parameters a snapshot declares (snapshots are immutable, so this is cached)."""
    data = ObjectStore(object_store_url).read_bytes(notebook_object)
    node = nbformat.reads(data.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
    return tuple(read_parameters(cast(nbformat.NotebookNode, node)))


def check_overrides(store: JobStore, spec: JobSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` checked against the steps of ``spec``: values ready for papermill (an int
    given for a float parameter becomes a float). Raises InvalidParameters."""
    if not isinstance(given, Mapping):
        raise Invalid(f"parameters must be an object of name: value, not {given!r}")
    if not given:
        return {}
    per_step = [_declared(store.ws.object_store_url, s.notebook_object) for s in spec.steps]
    union: dict[str, NotebookParameter] = {}
    for declared in per_step:
        for param in declared:
            union.setdefault(param.name, param)
    values = validate_parameters(list(union.values()), given)  # names, unknown, first type
    for declared in per_step[1:]:
        mine = [p for p in declared if p.name in values]
        validate_parameters(mine, {p.name: given[p.name] for p in mine})
    return values


def stage_spec(store: JobStore, name: str, stage: str, *, latest: bool = False) -> JobSpec:
    """The spec of the version ``stage`` runs (with ``latest``: the latest version when the
    stage has none yet); Invalid when it has none."""
    job = store.get_job(name)
    state = next(s for s in job.stages if s.stage == stage)
    if state.version is None and not latest:
        raise Invalid(f"job {name!r} has no version in {stage}; promote one first")
    return store.version(name, state.version).spec


def parse_assignments(pairs: Sequence[str], option: str = "--param") -> dict[str, Any]:
    """``NAME=VALUE`` pairs of a command line into a dict: VALUE read as JSON, else kept as
    text (``alpha=0.1`` is a float, ``label=a b`` a string, ``label='"0.1"'`` the string)."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise Invalid(f"{option} expects NAME=VALUE, got {pair!r}")
        try:
            params[name] = json.loads(text)
        except ValueError:
            params[name] = text
    return params
