"""A notebook's papermill parameters: what its ``parameters`` cell declares, and checking
the values a run is given before papermill writes them into the notebook.

papermill finds the cell (tagged ``parameters``) and its translator reads each parameter's
annotation and help comment. Python's own parser (``ast``) reads the names and defaults:
it also keeps a default such as ``sep = "a=b"``, a line papermill's inspection skips.
papermill writes ``name = value`` without checking the name, so names are validated here,
and values are restricted to JSON types; papermill escapes strings itself.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Mapping
from os import PathLike
from typing import Any, Literal, cast

import nbformat
from papermill.translators import papermill_translators
from pydantic import BaseModel, ConfigDict

from ..errors import Invalid

ParameterType = Literal["int", "float", "str", "bool", "list", "dict", "None", "any"]
NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)  # matched whole (fullmatch)
_ANNOTATIONS: dict[str, ParameterType] = {
    "int": "int",
    "float": "float",
    "str": "str",
    "bool": "bool",
    "list": "list",
    "List": "list",
    "tuple": "list",
    "Tuple": "list",
    "Sequence": "list",
    "dict": "dict",
    "Dict": "dict",
    "Mapping": "dict",
}


class NotebookParameter(BaseModel):
    """One parameter of the ``parameters`` cell.

    ``type`` is inferred from the annotation when it names a JSON type, else from the
    default: ``"None"`` for a ``None`` default (any JSON value is accepted), ``"any"`` when
    the default is not a JSON literal (e.g. ``pd.Timestamp(...)``; ``default`` is then
    ``None`` and ``source`` holds its text).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: ParameterType
    default: Any = None
    source: str = ""
    help: str = ""


class ParameterProblem(BaseModel):
    """Why one given parameter was refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    problem: Literal["bad_name", "unknown", "not_json", "wrong_type"]
    message: str
    expected: str | None = None
    given: str | None = None


class InvalidParameters(Invalid):
    """Some given parameters were refused; ``problems`` says which and why."""

    def __init__(self, problems: list[ParameterProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def _load(notebook: nbformat.NotebookNode | str | PathLike[str]) -> nbformat.NotebookNode:
    if isinstance(notebook, nbformat.NotebookNode):
        return notebook
    try:
        node = nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as err:
        raise Invalid(f"cannot read notebook {str(notebook)!r}: {err}") from None
    return cast(nbformat.NotebookNode, node)


def _json_type(value: Any) -> str | None:
    """The JSON type name of ``value`` (recursively checked), or None if it is not JSON."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float" if math.isfinite(value) else None
    if isinstance(value, str):
        return "str"
    if isinstance(value, list | tuple):
        return "list" if all(_json_type(v) is not None for v in value) else None
    if isinstance(value, dict):
        ok = all(isinstance(k, str) and _json_type(v) is not None for k, v in value.items())
        return "dict" if ok else None
    return None


def _annotation_type(annotation: str) -> ParameterType | None:
    base = annotation.strip().split("[", 1)[0].rsplit(".", 1)[-1]
    return _ANNOTATIONS.get(base)


def _declared(cell_source: str) -> list[tuple[str, ast.expr, str]]:
    """(name, default node, default text) of each top-level ``name = value`` assignment."""
    try:
        tree = ast.parse(cell_source)
    except SyntaxError as err:
        raise Invalid(
            f"the parameters cell is not valid Python: {err.msg} (line {err.lineno})"
        ) from None
    found: list[tuple[str, ast.expr, str]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target: ast.expr = node.targets[0]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target = node.target
        else:
            continue
        if isinstance(target, ast.Name) and node.value is not None:
            text = ast.get_source_segment(cell_source, node.value) or ""
            found.append((target.id, node.value, text))
    return found


def read_parameters(
    notebook: nbformat.NotebookNode | str | PathLike[str],
) -> list[NotebookParameter]:
    """The parameters declared by the notebook's ``parameters`` cell, in cell order
    (a later assignment to the same name wins). No such cell: an empty list."""
    nb = _load(notebook)
    tagged = (c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", ()))
    cell = next(tagged, None)  # the first one, as papermill does
    if cell is None:
        return []
    kernelspec = nb.metadata.get("kernelspec", {})
    language = nb.metadata.get("language_info", {}).get("name") or kernelspec.get("language")
    if (language or "python") != "python":
        raise Invalid(f"parameters can be read from Python notebooks only, not {language!r}")
    translator = papermill_translators.find_translator(kernelspec.get("name", "python3"), "python")
    inspected = {p.name: p for p in translator.inspect(cell)}
    source = cell.source if isinstance(cell.source, str) else "".join(cell.source)

    params: dict[str, NotebookParameter] = {}
    for name, node, text in _declared(source):
        try:
            default: Any = ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            default, value_type = None, "any"
        else:
            value_type = _json_type(default) or "any"
            if value_type == "any":
                default = None
            elif isinstance(default, tuple):
                default = list(default)
        info = inspected.get(name)
        annotated = _annotation_type(info.inferred_type_name) if info else None
        param_type: ParameterType = annotated or value_type  # type: ignore[assignment]
        help_text = info.help if info else ""
        params.pop(name, None)
        params[name] = NotebookParameter(
            name=name, type=param_type, default=default, source=text, help=help_text
        )
    return list(params.values())


def _check_name(name: object) -> ParameterProblem | None:
    if not isinstance(name, str) or not NAME.fullmatch(name) or keyword.iskeyword(name):
        return ParameterProblem(
            name=str(name),
            problem="bad_name",
            message=f"parameter name {name!r} is not a valid Python identifier",
        )
    return None


def _check_value(param: NotebookParameter, value: Any) -> tuple[Any, ParameterProblem | None]:
    given = _json_type(value)
    if given is None:
        return value, ParameterProblem(
            name=param.name,
            problem="not_json",
            message=f"parameter {param.name!r}: {type(value).__name__} is not a JSON value "
            "(null, bool, int, float, str, list or dict with str keys)",
            given=type(value).__name__,
        )
    expected = param.type
    if expected in ("None", "any") or given == expected:
        return (list(value) if isinstance(value, tuple) else value), None
    if given == "None" and param.default is None:
        return None, None  # an annotated parameter whose default is None
    if expected == "float" and given == "int" and abs(value) <= 2**53:
        return float(value), None
    return value, ParameterProblem(
        name=param.name,
        problem="wrong_type",
        message=f"parameter {param.name!r} expects {expected}, got {given}",
        expected=expected,
        given=given,
    )


def validate_parameters(
    declared: list[NotebookParameter], given: Mapping[str, Any]
) -> dict[str, Any]:
    """Check values given to a run against the declared parameters.

    Returns the values ready for papermill (an int given for a float becomes a float).
    Raises InvalidParameters naming every bad name, unknown name and mistyped value.
    """
    by_name = {p.name: p for p in declared}
    values: dict[str, Any] = {}
    problems: list[ParameterProblem] = []
    for name, value in given.items():
        bad_name = _check_name(name)
        if bad_name is not None:
            problems.append(bad_name)
            continue
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none"
            problems.append(
                ParameterProblem(
                    name=name,
                    problem="unknown",
                    message=f"unknown parameter {name!r} (the notebook declares: {known})",
                )
            )
            continue
        checked, problem = _check_value(by_name[name], value)
        if problem is not None:
            problems.append(problem)
        else:
            values[name] = checked
    if problems:
        raise InvalidParameters(problems)
    return values
