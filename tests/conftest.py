"""Test configuration: the project's own pytest plugin provides the ``mlops_*`` fixtures."""

from typing import Any

import pytest

pytest_plugins = ["jupyter_mlops.pytest_plugin"]


@pytest.fixture
def jp_server_config(mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    return mlops_server_config
