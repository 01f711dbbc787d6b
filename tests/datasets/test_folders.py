"""Folder versions: one object per file plus a tree object; loads verified file by file."""

import os
from pathlib import Path

import pytest

from jupyter_mlops.datasets.folders import list_folder
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Corrupt, Invalid


def make_folder(root: Path) -> Path:
    folder = root / "images"
    (folder / "cats").mkdir(parents=True)
    (folder / "cats" / "a.bin").write_bytes(b"\x00cat" * 100)
    (folder / "dog.txt").write_text("woof")
    return folder


def test_folder_round_trip_dedupe_and_change(
    mlops_datasets: DatasetStore, mlops_root: Path
) -> None:
    folder = make_folder(mlops_root)
    first = mlops_datasets.save("images", "images", message="raw")
    manifest = first.version.manifest
    assert (manifest.kind, manifest.files, manifest.size) == ("folder", 2, 404)
    assert [e["path"] for e in list_folder(mlops_datasets.objects, manifest.object_id)] == [
        "cats/a.bin",
        "dog.txt",
    ]
    assert not mlops_datasets.save("images", folder).created  # identical: a no-op
    (folder / "dog.txt").write_text("WOOF")
    second = mlops_datasets.save("images", folder)
    assert second.created and second.version.version == 2

    copy = mlops_datasets.load("images@v1")
    assert copy.name == "images"
    assert (copy / "dog.txt").read_text() == "woof"
    assert (copy / "cats" / "a.bin").read_bytes() == b"\x00cat" * 100


def test_corrupted_file_in_a_folder_names_dataset_version_and_object(
    mlops_datasets: DatasetStore, mlops_root: Path
) -> None:
    make_folder(mlops_root)
    version = mlops_datasets.save("images", "images").version
    entry = list_folder(mlops_datasets.objects, version.manifest.object_id)[1]
    stored = mlops_datasets.objects.path(entry["object"])
    os.chmod(stored, 0o644)
    stored.write_text("meow")
    with pytest.raises(Corrupt, match=rf"images v1 .*{entry['object']}"):
        mlops_datasets.load("images@v1")


def test_empty_folder_and_links_out_of_the_folder_are_refused(
    mlops_datasets: DatasetStore, mlops_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (mlops_root / "empty").mkdir()
    with pytest.raises(Invalid, match="holds no files"):
        mlops_datasets.save("empty", "empty")
    folder = make_folder(mlops_root)
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("s3cr3t")
    (folder / "leak.txt").symlink_to(secret)
    with pytest.raises(Invalid, match="links outside"):
        mlops_datasets.save("images", folder)
    with pytest.raises(Invalid, match="outside the workspace"):
        mlops_datasets.save("images", secret.parent)
    assert mlops_datasets.names() == []
