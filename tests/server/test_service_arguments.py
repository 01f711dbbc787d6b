"""``jupyter mlops service`` reads where to listen from the Hub's variables, and refuses a
configuration that cannot work, naming it, before it starts anything."""

from __future__ import annotations

import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.server import service


def test_the_hubs_address_and_prefix_become_the_servers_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/services/mlops/")
    arguments = service.server_arguments("/srv/team")
    assert "--ServerApp.port=10101" in arguments
    assert "--ServerApp.base_url=/services/mlops/" in arguments
    assert "--MlopsApp.workspace_root=/srv/team" in arguments


@pytest.mark.parametrize("url", ["", "http://127.0.0.1", "http://127.0.0.1:port", "nonsense"])
def test_an_address_without_a_port_is_refused(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", url)
    with pytest.raises(Invalid, match="must give the service's address with a port"):
        service.server_arguments("/srv/team")


def test_a_service_told_to_use_a_service_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """It would relay every call to a service (itself) instead of serving the workspace."""
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")
    monkeypatch.setenv("JUPYTER_MLOPS_SERVICE_URL", "http://127.0.0.1:10101/services/mlops")
    with pytest.raises(Invalid, match="is set in the service's environment"):
        service.run("/srv/team")
