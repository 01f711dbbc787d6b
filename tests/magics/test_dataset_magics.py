"""``%dataset`` in a real IPython shell against the real catalog and object store."""

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from jupyter_mlops.pytest_plugin import run_cell as run


@pytest.fixture
def shell(mlops_shell: InteractiveShell) -> InteractiveShell:
    return mlops_shell


def test_save_load_list_and_log(shell: InteractiveShell) -> None:
    shell.user_ns["df"] = pd.DataFrame({"a": [1, 2, 3]})
    _, out = run(shell, "%dataset save sales df -m 'first cut'")
    assert "sales saved v1" in out.stdout
    _, out = run(shell, "%dataset save sales df")
    assert "sales unchanged, already v1" in out.stdout
    shell.user_ns["df"] = pd.DataFrame({"a": [1, 2, 3, 4]})
    run(shell, "%dataset save sales df")
    result, _ = run(shell, "%dataset load sales@v1 --as old")
    assert result.success
    pd.testing.assert_frame_equal(shell.user_ns["old"], pd.DataFrame({"a": [1, 2, 3]}))
    result, _ = run(shell, "%dataset list")
    assert result.result == ["sales"]
    result, _ = run(shell, "%dataset log sales")
    assert list(result.result["version"]) == ["v2", "v1"]
    assert list(result.result["message"]) == ["", "first cut"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%dataset save bad/name df", "is not a dataset name"),
        ("%dataset save ok nosuchvar", "is neither a file nor a folder"),
        ("%dataset load nope", "no dataset named 'nope'"),
        ("%dataset load x@@", "after '@' give a version"),
        ("%dataset frobnicate", "invalid choice: 'frobnicate'"),
        ("%dataset save x 'df", "No closing quotation"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(
    shell: InteractiveShell, cell: str, message: str
) -> None:
    shell.user_ns["df"] = pd.DataFrame({"a": [1]})
    result, _ = run(shell, cell)
    assert not result.success
    assert message in str(result.error_in_exec)


def test_tag_then_load_by_tag(shell: InteractiveShell) -> None:
    shell.user_ns["df"] = pd.DataFrame({"a": [1]})
    run(shell, "%dataset save sales df")
    _, out = run(shell, "%dataset tag sales@v1 golden")
    assert "sales v1 tagged golden" in out.stdout
    result, _ = run(shell, "%dataset load sales@golden --as g")
    assert result.success and shell.user_ns["g"].equals(shell.user_ns["df"])


def test_diff_with_a_key(shell: InteractiveShell) -> None:
    shell.user_ns["df"] = pd.DataFrame({"id": [1, 2], "x": [1.0, 2.0]})
    run(shell, "%dataset save m df")
    shell.user_ns["df"] = pd.DataFrame({"id": [2, 3], "x": [2.5, 3.0]})
    run(shell, "%dataset save m df")
    result, out = run(shell, "%dataset diff m@v1 m@v2 --key id")
    assert result.success
    assert "by key ['id']: 1 added, 1 removed, 1 changed" in out.stdout
    assert "x.max: 2 → 3" in out.stdout


def test_save_with_tag_key_and_checks_reports_inline(shell: InteractiveShell) -> None:
    from jupyter_mlops import datasets
    from jupyter_mlops.datasets.checks import in_range, unique

    datasets.expect("scores", unique("id"), in_range("score", 0, 1))
    shell.user_ns["df"] = pd.DataFrame({"id": [1, 2, 2], "score": [0.5, 0.7, 1.5]})
    cell = "%dataset save scores df --tag draft --key id"
    _, out = run(shell, cell)
    assert "scores saved v1" in out.stdout and "tagged draft" in out.stdout
    assert "CHECKS FAILED" in out.stdout
    assert "✗ id is unique: 2 row(s) share a value" in out.stdout
    assert "✗ score in [0, 1]: 1 value(s) outside" in out.stdout
    version = datasets.store().resolve("scores@draft")
    assert version.manifest.key == ["id"] and version.manifest.source_cell == cell
    assert version.checks_passed is False
    _, out = run(shell, "%dataset check scores@v1")
    assert "scores v1: CHECKS FAILED" in out.stdout
    result, _ = run(shell, "%dataset save scores df --key nope")
    assert "key column(s) ['nope'] are not columns" in str(result.error_in_exec)


def test_load_names_its_variable_from_the_dataset_name(shell: InteractiveShell) -> None:
    shell.user_ns["df"] = pd.DataFrame({"a": [1]})
    run(shell, "%dataset save my-data.v2 df")
    result, _ = run(shell, "%dataset load my-data.v2@v1")
    assert result.success and list(shell.user_ns["my_data_v2"]["a"]) == [1]
    result, _ = run(shell, "%dataset load 9lives")
    assert "'9lives' is not a Python variable name; use --as VAR" in str(result.error_in_exec)
    result, _ = run(shell, "%dataset load my-data.v2 --as class")
    assert "is not a Python variable name" in str(result.error_in_exec)
