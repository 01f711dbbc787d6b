"""Once the server has started, the objects it holds are frozen out of the cyclic garbage
collector's way (``MlopsApp.freeze_startup_objects``)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest


@pytest.fixture
def jp_server_config(mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    config = {k: dict(v) for k, v in mlops_server_config.items()}
    config["MlopsApp"]["freeze_startup_objects"] = True
    return config


async def test_startup_objects_are_frozen_once_the_loop_runs(jp_serverapp: Any) -> None:
    try:
        for _ in range(50):  # the freeze is the started loop's first callback
            if gc.get_freeze_count() > 0:
                break
            await asyncio.sleep(0.01)
        assert gc.get_freeze_count() > 0
        assert jp_serverapp.web_app.settings["mlops_workspace"] is not None
    finally:
        gc.unfreeze()  # this test process starts other servers after this one


def test_a_real_server_freezes_by_default() -> None:
    # (the project's pytest plugin turns it off for the servers of other tests)
    from jupyter_mlops.server.app import MlopsApp

    assert MlopsApp.freeze_startup_objects.default_value is True
