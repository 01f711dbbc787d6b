"""Evidently's stored HTML reports: a verified local copy of one, from wherever it is kept
(an MLflow artifact of the tracked run, or an object of the workspace's object store)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..workspace import Workspace
from .models import EvidentlyArtifact


def copy_report(ws: Workspace, artifact: EvidentlyArtifact, folder: Path) -> Path:
    """Copy the report into ``folder`` and return the copy's path; an object's bytes are
    checked against its hash on the way."""
    if artifact.store == "mlflow":
        import mlflow.artifacts

        assert artifact.run_id is not None and artifact.artifact_path is not None
        local = mlflow.artifacts.download_artifacts(
            run_id=artifact.run_id,
            artifact_path=artifact.artifact_path,
            dst_path=str(folder),
            tracking_uri=ws.tracking_uri,
        )
        return Path(local)
    from ..objects import ObjectStore

    assert artifact.object_id is not None
    objects = ObjectStore(ws.object_store_url)
    return objects.copy_to(artifact.object_id, folder / "evidently-drift.html")


def read_report(ws: Workspace, artifact: EvidentlyArtifact) -> bytes:
    """The report's bytes (verified as by ``copy_report``), leaving no copy behind."""
    with tempfile.TemporaryDirectory(prefix="mlops-evidently-") as folder:
        return copy_report(ws, artifact, Path(folder)).read_bytes()
