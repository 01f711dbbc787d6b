"""An acknowledgement records how its user was established, refuses a name the username
rule refuses, and under ``require_authenticated_decisions`` clears a ``block_promotion``
alert only when the Jupyter server authenticated who acknowledged it."""

from __future__ import annotations

import dataclasses

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Conflict, Invalid
from jupyter_mlops.identity import AUTHENTICATED, Actor
from jupyter_mlops.monitoring import actions
from jupyter_mlops.monitoring.store import MonitorStore
from jupyter_mlops.workspace import Workspace

from .frames import frames


@pytest.fixture
def blocking_alert(mlops_workspace: Workspace) -> int:
    reference, current = frames()
    check = mlops.monitor.drift(
        reference, current, name="gate", thresholds=["dataset_drift"],
        actions=["block_promotion:serve"],
    )  # fmt: skip
    assert check.point is not None
    return check.point.alerts[0].id


@pytest.mark.parametrize("user", ["<b>ceo</b>", "ceo\x00", "c\u0435o", ""])
def test_a_hostile_name_cannot_acknowledge(blocking_alert: int, user: str) -> None:
    with pytest.raises(Invalid):
        mlops.monitor.acknowledge(blocking_alert, user)
    assert [a.id for a in mlops.monitor.promotion_blockers("serve")] == [blocking_alert]


def test_a_kernels_acknowledgement_is_asserted_and_clears_by_default(
    blocking_alert: int,
) -> None:
    acked = mlops.monitor.acknowledge(blocking_alert, "ceo")
    assert (acked.acknowledged_by, acked.acknowledged_by_source) == ("ceo", "asserted")
    assert mlops.monitor.promotion_blockers("serve") == []


def test_a_strict_workspace_needs_an_authenticated_acknowledgement(
    blocking_alert: int, mlops_workspace: Workspace
) -> None:
    strict_ws = dataclasses.replace(mlops_workspace, require_authenticated_decisions=True)
    strict = MonitorStore(strict_ws)
    strict.acknowledge(blocking_alert, "ceo")  # a plain name: asserted
    assert [a.id for a in actions.promotion_blockers(strict, "serve")] == [blocking_alert]
    assert strict.alerts() == []  # acknowledged all the same: it is no longer "open"
    # the server's acknowledgement replaces the kernel's, and clears the block
    acked = strict.acknowledge(blocking_alert, Actor("alice", AUTHENTICATED))
    assert (acked.acknowledged_by, acked.acknowledged_by_source) == ("alice", "authenticated")
    assert actions.promotion_blockers(strict, "serve") == []
    with pytest.raises(Conflict, match="already acknowledged by alice"):
        strict.acknowledge(blocking_alert, Actor("bob", AUTHENTICATED))
