from pathlib import Path

import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.workspace import resolve_workspace


def test_defaults_live_under_dot_mlops(mlops_root: Path) -> None:
    ws = resolve_workspace()
    assert ws.root == mlops_root.resolve()
    assert ws.mlops_dir == mlops_root.resolve() / ".mlops"
    assert ws.tracking_uri == f"sqlite:///{ws.mlops_dir / 'mlflow.db'}"
    assert ws.state_db_url == f"sqlite:///{ws.mlops_dir / 'state.db'}"
    assert ws.artifact_location == (ws.mlops_dir / "artifacts").as_uri()
    assert ws.config_file is None


def test_mlops_toml_overrides_defaults_and_env_overrides_toml(
    mlops_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (mlops_root / "mlops.toml").write_text(
        '[mlops]\ndir = "state"\ntracking_uri = "sqlite:///elsewhere.db"\n'
    )
    ws = resolve_workspace()
    assert ws.mlops_dir == mlops_root.resolve() / "state"
    assert ws.tracking_uri == "sqlite:///elsewhere.db"
    assert ws.config_file == mlops_root.resolve() / "mlops.toml"
    monkeypatch.setenv("JUPYTER_MLOPS_TRACKING_URI", "postgresql://db/mlflow")
    assert resolve_workspace().tracking_uri == "postgresql://db/mlflow"


@pytest.mark.parametrize(
    ("content", "message"),
    [("[mlops\n", "not valid TOML"), ('[mlops]\ntracking = "x"\n', "unknown setting(s) tracking")],
)
def test_bad_config_names_the_problem(mlops_root: Path, content: str, message: str) -> None:
    (mlops_root / "mlops.toml").write_text(content)
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_workspace()


def test_env_resolves_the_same_workspace_in_a_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job's worker and kernels get the workspace as environment variables, the
    decisions setting included, and resolve the same workspace from them."""
    monkeypatch.setenv("JUPYTER_MLOPS_REQUIRE_AUTHENTICATED_DECISIONS", "true")
    ws = resolve_workspace(tmp_path)
    for name in ("JUPYTER_MLOPS_REQUIRE_AUTHENTICATED_DECISIONS", "JUPYTER_MLOPS_ROOT"):
        monkeypatch.delenv(name, raising=False)
    assert resolve_workspace(tmp_path).require_authenticated_decisions is False
    for key, value in ws.env().items():
        monkeypatch.setenv(key, value)
    assert resolve_workspace() == ws
