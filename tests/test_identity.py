"""The one username rule, and how an actor's origin travels (jupyter_mlops.identity)."""

from __future__ import annotations

import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.identity import (
    ASSERTED,
    AUTHENTICATED,
    Actor,
    asserted,
    check_username,
    current_author,
    same_user,
    source_of,
)


@pytest.mark.parametrize(
    "name", ["alice", "bob.smith", "a.b-c_d@example.org", "José", "Алиса", "山田太郎", "user1"]
)
def test_real_names_pass_unchanged(name: str) -> None:
    assert check_username(name) == name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("<img src=x onerror=alert(1)>", "markup"),
        ("<b>ceo</b>", "markup"),
        ("bob\x00", "control"),
        ("bob\u202e", "control"),  # a right-to-left override
        ("bo\u200bb", "control"),  # a zero-width space
        ("r\u043e\u043et", "mixes scripts"),  # root with two Cyrillic o's
        ("", "blank"),
        ("   ", "blank"),
        (" bob", "padded"),
        ("x" * 201, "longer than 200"),
    ],
)
def test_hostile_names_are_refused_naming_why(name: str, says: str) -> None:
    with pytest.raises(Invalid, match=says):
        check_username(name)


def test_names_compare_after_normalization_and_case_folding() -> None:
    assert same_user("ROOT", "root")
    assert same_user("\uff52\uff4f\uff4f\uff54", "root")  # full-width letters (NFKC)
    assert same_user("Stra\u00dfe", "STRASSE")
    assert not same_user("root", "roots")
    assert check_username("\uff52\uff4f\uff4f\uff54") == "root"  # stored in NFKC


def test_a_plain_name_is_asserted_and_only_an_actor_says_authenticated() -> None:
    assert source_of("alice") == ASSERTED
    assert source_of(Actor("alice", AUTHENTICATED)) == AUTHENTICATED
    # whatever a kernel passes, the Python API records it as its own claim
    assert source_of(asserted(Actor("alice", AUTHENTICATED))) == ASSERTED
    assert asserted(None) == current_author()
    with pytest.raises(Invalid, match="markup"):
        Actor("<b>ceo</b>", AUTHENTICATED)


def test_the_kernel_user_follows_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")
    assert current_author() == "bob"
    monkeypatch.setenv("JUPYTERHUB_USER", "<script>")
    with pytest.raises(Invalid, match="markup"):
        current_author()
