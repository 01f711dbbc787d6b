"""``%mlops register`` and ``%mlops review …`` in a real IPython shell with a real MLflow
registry: alice registers and requests, bob comments on a cell and approves, the alias
moves; the refusals and bad input are one-line usage errors."""

import re
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

import jupyter_mlops as mlops
from jupyter_mlops.pytest_plugin import html_of, text_of
from jupyter_mlops.pytest_plugin import run_cell as run
from tests.reviews.conftest import log_model_run


@pytest.fixture
def shell(mlops_shell: InteractiveShell, mlops_client: Any) -> InteractiveShell:
    return mlops_shell


def as_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", name)


def test_register_request_comment_approve(
    shell: InteractiveShell, mlops_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = log_model_run()
    as_user(monkeypatch, "alice")
    result, out = run(shell, f"%mlops register {run_id} --name cancer")
    assert result.success, result.error_in_exec
    assert "registered cancer v1" in text_of(out) and run_id in html_of(out)
    # whether the review page got a frozen copy of the run's notebook, or why not
    assert f"notebook: run {run_id} was not tracked from a notebook" in out.stdout
    assert mlops_client.get_model_version("cancer", "1").run_id == run_id

    result, out = run(shell, "%mlops review request cancer 1 --title 'first <b>model</b>'")
    assert result.success, result.error_in_exec
    [review] = mlops.reviews.list("all")
    assert f"review {review.id} requested" in text_of(out)
    assert "first &lt;b&gt;model&lt;/b&gt;" in html_of(out)
    assert review.requested_by.username == "alice" and review.title == "first <b>model</b>"

    as_user(monkeypatch, "bob")
    result, out = run(shell, "%mlops review list --view waiting")
    assert result.success and "1 reviews (waiting)" in text_of(out)
    result, out = run(shell, f"%mlops review comment {review.id} 'why 0.5?' --cell 2")
    assert result.success, result.error_in_exec
    assert "(cell 2)" in text_of(out)
    result, out = run(shell, f"%mlops review approve {review.id} --note 'fine'")
    assert result.success, result.error_in_exec
    assert f"review {review.id}: approved" in text_of(out)
    assert str(mlops_client.get_model_version_by_alias("cancer", "champion").version) == "1"

    result, out = run(shell, f"%mlops review show {review.id}")
    assert result.success and "why 0.5?" in text_of(out) and "approve" in text_of(out)
    [comment] = mlops.reviews.get(review.id).comments
    assert (comment.author.username, comment.anchor and comment.anchor.cell_index) == ("bob", 2)


def test_request_changes_needs_a_note_and_refusals_are_usage_errors(
    shell: InteractiveShell, mlops_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, "alice")
    mlops.reviews.register(log_model_run(), "cancer")
    review = mlops.reviews.request("cancer", 1)

    result, _ = run(shell, f"%mlops review changes {review.id}")
    assert not result.success and "--note" in str(result.error_in_exec)
    result, _ = run(shell, f"%mlops review approve {review.id}")  # the author
    assert not result.success
    assert "%mlops review" in str(result.error_in_exec)
    assert mlops.reviews.get(review.id).decisions == []

    as_user(monkeypatch, "bob")
    result, out = run(shell, f"%mlops review changes {review.id} --note 'add a test set'")
    assert result.success, result.error_in_exec
    assert "changes_requested" in text_of(out)
    result, _ = run(shell, "%mlops review comment 999 hello")
    assert not result.success and "999" in str(result.error_in_exec)
    result, _ = run(shell, "%mlops review list --view everything")
    assert not result.success
    result, _ = run(shell, "%mlops register 0123 --name ''")
    assert not result.success


def test_show_lists_comments_and_events_in_the_order_they_happened(
    shell: InteractiveShell, mlops_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within one second too: the times shown stop at the second, the order must not."""
    as_user(monkeypatch, "alice")
    mlops.reviews.register(log_model_run(), "cancer")
    review = mlops.reviews.request("cancer", 1)
    mlops.reviews.comment(review.id, "first look", by="bob")
    mlops.reviews.request_changes(review.id, "log the recall", by="bob")
    mlops.reviews.comment(review.id, "recall logged")
    mlops.reviews.approve(review.id, by="bob")

    result, out = run(shell, f"%mlops review show {review.id}")
    assert result.success, result.error_in_exec
    lines = text_of(out).splitlines()[2:]  # below the title and the header
    shown = [re.split(r"\s{2,}", line)[3 if "(whole review)" in line else 2] for line in lines]
    assert shown == [
        "request",
        "first look",
        "request-changes",
        "status",
        "recall logged",
        "approve",
        "status",
        "alias-moved",
    ]


def test_show_gives_the_note_of_each_decision(
    shell: InteractiveShell, mlops_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, "alice")
    mlops.reviews.register(log_model_run(), "cancer")
    review = mlops.reviews.request("cancer", 1)
    mlops.reviews.request_changes(review.id, "log the <b>recall</b>\nfor both runs", by="bob")
    mlops.reviews.approve(review.id, "recall logged, fine", by="bob")

    result, out = run(shell, f"%mlops review show {review.id}")
    assert result.success, result.error_in_exec
    rows = {
        parts[2]: parts[3:]
        for line in text_of(out).splitlines()[2:]
        for parts in [re.split(r"\s{2,}", line)]
    }
    assert rows["request-changes"] == ["log the <b>recall</b> for both runs"]
    assert rows["approve"] == ["recall logged, fine"]
    assert rows["status"] == [] and rows["request"] == []
    # who acted, and how that is known: a kernel's names are its own claim
    assert "bob (asserted)" in text_of(out) and "alice (asserted)" in text_of(out)
    assert "<td>log the &lt;b&gt;recall&lt;/b&gt; for both runs</td>" in html_of(out)
