"""Notebook parameters: read from the papermill ``parameters`` cell, validated before a run,
and injected by a real papermill run on a real python3 kernel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jupyter_mlops.errors import Invalid
from jupyter_mlops.pipelines.parameters import (
    InvalidParameters,
    NotebookParameter,
    read_parameters,
    validate_parameters,
)

PARAMETERS_CELL = """\
alpha = 0.5  # learning rate
epochs: int = 3
name = "baseline"  # run name
sep = "a=b"
verbose = False
layers = [64,
          32]  # hidden sizes
options = {"seed": 1}
note = None
start = pd.Timestamp("2026-01-01")
shift = -2
"""


def _notebook(parameters: str, body: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# a job"))
    nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    if body:
        nb.cells.append(nbformat.v4.new_code_cell(body))
    return nb


def _write(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


def _run(notebook: Path, out: Path, parameters: dict[str, Any]) -> nbformat.NotebookNode:
    return papermill.execute_notebook(
        str(notebook), str(out), parameters=parameters, kernel_name="python3",
        cwd=str(notebook.parent), progress_bar=False,
    )  # fmt: skip


def _stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")


@pytest.fixture
def declared(tmp_path: Path) -> list[NotebookParameter]:
    return read_parameters(_write(_notebook(PARAMETERS_CELL), tmp_path / "job.ipynb"))


def test_reads_names_types_defaults_and_help(declared: list[NotebookParameter]) -> None:
    got = {p.name: (p.type, p.default, p.help) for p in declared}
    assert got == {
        "alpha": ("float", 0.5, "learning rate"),
        "epochs": ("int", 3, ""),
        "name": ("str", "baseline", "run name"),
        "sep": ("str", "a=b", ""),
        "verbose": ("bool", False, ""),
        "layers": ("list", [64, 32], "hidden sizes"),
        "options": ("dict", {"seed": 1}, ""),
        "note": ("None", None, ""),
        "start": ("any", None, ""),
        "shift": ("int", -2, ""),
    }
    start = next(p for p in declared if p.name == "start")
    assert start.source == 'pd.Timestamp("2026-01-01")'
    assert [p.name for p in declared][:3] == ["alpha", "epochs", "name"]


def test_annotation_wins_over_the_default() -> None:
    params = read_parameters(_notebook("rate: float = 1\nlimit: int = None\n"))
    assert [(p.name, p.type, p.default) for p in params] == [
        ("rate", "float", 1),
        ("limit", "int", None),
    ]
    assert validate_parameters(params, {"limit": None, "rate": 2}) == {"limit": None, "rate": 2.0}


def test_no_parameters_cell_gives_no_parameters() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    assert read_parameters(nb) == []


def test_unreadable_cell_and_other_languages_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="not valid Python"):
        read_parameters(_notebook("x = (1,\n"))
    nb = _notebook("x <- 1")
    nb.metadata["kernelspec"] = {"name": "ir", "language": "R", "display_name": "R"}
    nb.metadata["language_info"] = {"name": "R"}
    with pytest.raises(Invalid, match="Python notebooks only"):
        read_parameters(nb)
    with pytest.raises(Invalid, match="cannot read notebook"):
        read_parameters(tmp_path / "missing.ipynb")


def test_valid_values_pass_and_int_becomes_float(declared: list[NotebookParameter]) -> None:
    given = {"alpha": 1, "epochs": 10, "name": "x", "layers": [1], "options": {}, "note": [1]}
    assert validate_parameters(declared, given) == {**given, "alpha": 1.0}
    assert isinstance(validate_parameters(declared, {"alpha": 1})["alpha"], float)
    assert validate_parameters(declared, {"start": "2026-02-01"}) == {"start": "2026-02-01"}


@pytest.mark.parametrize(
    "name", ["x=1;import os#", "1abc", "", "class", "None", "a b", "é", "x\n", "os.system"]
)
def test_bad_names_are_refused_naming_them(declared: list[NotebookParameter], name: str) -> None:
    with pytest.raises(InvalidParameters) as caught:
        validate_parameters(declared, {name: 1})
    assert caught.value.problems[0].problem == "bad_name"
    assert repr(name) in str(caught.value)
    assert isinstance(caught.value, Invalid)


def test_unknown_names_are_refused(declared: list[NotebookParameter]) -> None:
    with pytest.raises(InvalidParameters, match="unknown parameter 'alpah'"):
        validate_parameters(declared, {"alpah": 0.1})


@pytest.mark.parametrize(
    ("name", "value", "expected", "given"),
    [
        ("epochs", 2.5, "int", "float"),
        ("epochs", True, "int", "bool"),
        ("epochs", "3", "int", "str"),
        ("alpha", "0.1", "float", "str"),
        ("alpha", False, "float", "bool"),
        ("verbose", 1, "bool", "int"),
        ("name", None, "str", "None"),
        ("layers", {"a": 1}, "list", "dict"),
        ("options", [1], "dict", "list"),
    ],
)
def test_wrong_types_name_parameter_expected_and_given(
    declared: list[NotebookParameter], name: str, value: Any, expected: str, given: str
) -> None:
    with pytest.raises(InvalidParameters) as caught:
        validate_parameters(declared, {name: value})
    problem = caught.value.problems[0]
    assert (problem.name, problem.problem, problem.expected, problem.given) == (
        name,
        "wrong_type",
        expected,
        given,
    )
    assert str(caught.value) == f"parameter {name!r} expects {expected}, got {given}"


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), {1: "a"}, {1, 2}, b"x", object(), [1, {2: 3}]]
)
def test_non_json_values_are_refused(declared: list[NotebookParameter], value: Any) -> None:
    with pytest.raises(InvalidParameters, match="is not a JSON value"):
        validate_parameters(declared, {"note": value})


def test_every_problem_is_reported_at_once(declared: list[NotebookParameter]) -> None:
    with pytest.raises(InvalidParameters) as caught:
        validate_parameters(declared, {"x=1;import os#": 1, "nope": 1, "epochs": "a"})
    assert [p.problem for p in caught.value.problems] == ["bad_name", "unknown", "wrong_type"]
    dumped = caught.value.problems[2].model_dump()
    assert dumped["expected"] == "int" and dumped["given"] == "str"


def test_validated_values_reach_the_notebook_typed(tmp_path: Path) -> None:
    body = (
        "import json\n"
        "print(json.dumps({k: [type(v).__name__, v] for k, v in "
        "dict(alpha=alpha, epochs=epochs, sep=sep, layers=layers, options=options).items()}))"
    )
    src = _write(_notebook(PARAMETERS_CELL.replace("start = pd", "# start = pd"), body),
                 tmp_path / "job.ipynb")  # fmt: skip
    given = {"alpha": 2, "epochs": 7, "sep": "x=1;import os#", "layers": [], "options": {"k": None}}
    values = validate_parameters(read_parameters(src), given)
    out = _run(src, tmp_path / "out.ipynb", values)
    assert json.loads(_stdout(out)) == {
        "alpha": ["float", 2.0],
        "epochs": ["int", 7],
        "sep": ["str", "x=1;import os#"],
        "layers": ["list", []],
        "options": ["dict", {"k": None}],
    }


SLOTS = 8
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(["'", '"', "\\", "\n", "\r", "\t", "#", "\x00", "{", "}", "%"]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=24,
)


@pytest.fixture(scope="module")
def strings_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("strings")
    cell = "".join(f's{i} = ""\n' for i in range(SLOTS))
    names = ", ".join(f"s{i}" for i in range(SLOTS))
    body = f"import json\nprint(json.dumps([{names}]))"
    return _write(_notebook(cell, body), folder / "strings.ipynb")


@settings(
    max_examples=15,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(
    ['"; import os; os.system("echo owned") #', "\\", "\\n", "'''", '"""', "\u2028\u00e9\U0001f600"]
)
@example(["a\x00b", "\r\n\t", "{x} %s", '\\"', "x=1;import os#", ""])
@given(strings=st.lists(TRICKY, min_size=1, max_size=SLOTS))
def test_strings_come_back_unchanged_from_a_real_run(
    strings_notebook: Path, strings: list[str]
) -> None:
    declared = read_parameters(strings_notebook)
    values = validate_parameters(declared, {f"s{i}": s for i, s in enumerate(strings)})
    out = _run(strings_notebook, strings_notebook.with_name("out.ipynb"), values)
    received = json.loads(_stdout(out))
    assert received[: len(strings)] == strings
    assert received[len(strings) :] == [""] * (SLOTS - len(strings))
