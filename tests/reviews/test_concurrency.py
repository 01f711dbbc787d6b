"""Concurrent decisions and comments (RELIABILITY "Concurrency"): every decision and comment
is kept, the review is approved once and its alias moved once.

Each test runs on SQLite and, when ``JUPYTER_MLOPS_TEST_POSTGRES_URL`` names a PostgreSQL
database (its review tables are emptied first), on PostgreSQL through the same setting
(``make test-py`` starts a throw-away PostgreSQL and sets it; see ``tests/state_db.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.pytest_plugin import make_workspace
from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.reviews.models import Review, ReviewRules
from jupyter_mlops.reviews.store import ReviewStore
from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import REQUIRE_AUTHENTICATED_ENV
from tests.state_db import KINDS, empty_review_tables, use_state_db

from .conftest import ALICE, log_model_run


@pytest.fixture(params=KINDS)
def shared(
    request: pytest.FixtureRequest,
    mlops_root: Path,
    mlops_empty_mlflow_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> ReviewStore:
    """The review store on the state DB kind of the parameter, with ``cancer`` v1 registered.

    The reviewers here decide from kernels (the Python API), so their decisions are
    asserted; a shared (PostgreSQL) state DB would by default not count them. These tests
    are about racing writers, so asserted decisions count here; which decisions count is
    ``test_actor_sources.py``'s subject."""
    use_state_db(request.param, monkeypatch)
    monkeypatch.setenv(REQUIRE_AUTHENTICATED_ENV, "false")
    ws = make_workspace(mlops_root, mlops_empty_mlflow_db)
    use_workspace(ws)
    reviews = store_for(ws)
    empty_review_tables(reviews.url)
    registry.register(ws, log_model_run(), "cancer")
    return reviews


def approve_together(review_id: int, reviewers: list[str]) -> list[Review]:
    """Every reviewer approves at once, each in their own thread."""
    barrier = threading.Barrier(len(reviewers), timeout=60)
    results: list[Review] = []
    errors: list[BaseException] = []

    def approve(name: str) -> None:
        barrier.wait()
        try:
            results.append(mlops.reviews.approve(review_id, f"ok from {name}", by=name))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=approve, args=(name,)) for name in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    return results


def actions(review_id: int) -> Counter[str]:
    return Counter(e.action for e in mlops.reviews.audit(review_id))


def test_two_reviewers_approving_at_once_approve_once(
    shared: ReviewStore,
) -> None:
    rules = ReviewRules(reviewers=["bob", "carol"], approvals_required=2)
    review = mlops.reviews.request("cancer", 1, rules=rules, by=ALICE)
    approve_together(review.id, ["bob", "carol"])
    detail = mlops.reviews.get(review.id)
    assert (detail.review.status, detail.review.approvals) == ("approved", ["bob", "carol"])
    assert sorted(d.reviewer.username for d in detail.decisions) == ["bob", "carol"]
    assert actions(review.id) == {"request": 1, "approve": 2, "status": 1, "alias-moved": 1}
    champion = registry.champion(shared.ws, "cancer")
    assert champion is not None and champion.version == 1


def test_more_approvals_than_needed_at_once_are_all_kept(
    shared: ReviewStore,
) -> None:
    names = ["bob", "carol", "dave", "erin", "frank"]
    review = mlops.reviews.request("cancer", 1, rules=ReviewRules(reviewers=names), by=ALICE)
    approve_together(review.id, names)
    detail = mlops.reviews.get(review.id)
    assert (detail.review.status, detail.review.approvals) == ("approved", names)
    assert detail.review.alias_state == "moved"
    assert actions(review.id) == {"request": 1, "approve": 5, "status": 1, "alias-moved": 1}


WRITER = """
import sys
import jupyter_mlops as mlops
from jupyter_mlops.reviews.models import Identity

review_id, writer, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
who = Identity(username=writer)
for i in range(count):
    mlops.reviews.comment(review_id, f"{writer} #{i}", cell=i % 3, by=who)
"""


def test_processes_appending_comments_at_once_lose_nothing(
    shared: ReviewStore,
) -> None:
    review = mlops.reviews.request("cancer", 1, by=ALICE)
    writers, count = [f"user{n}" for n in range(6)], 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WRITER), str(review.id), name, str(count)],
            env=dict(os.environ),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in writers
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
    comments = mlops.reviews.get(review.id).comments
    assert sorted(c.body for c in comments) == sorted(
        f"{name} #{i}" for name in writers for i in range(count)
    )
    assert {c.author.username for c in comments} == set(writers)
    assert actions(review.id)["comment"] == len(writers) * count
