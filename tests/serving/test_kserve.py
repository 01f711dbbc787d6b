"""The KServe export from a real MLflow registry, checked against KServe's published
InferenceService schema as the Kubernetes API server checks it (strict field validation):
the champion as it is, a canary rollout as KServe's canary, a shadow rollout left out."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

import jupyter_mlops as mlops
from jupyter_mlops.cli import main
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.serving.endpoint import endpoint_dir
from jupyter_mlops.serving.kserve import inference_service
from jupyter_mlops.serving.rollout import Rollout, RolloutMode, end_rollout, write_rollout
from jupyter_mlops.serving.scoring import free_port
from jupyter_mlops.workspace import Workspace

from .conftest import MODEL, Registered

SCHEMA = Path(__file__).parent / "schemas" / "inferenceservice-v1beta1.json"
# Kubernetes' rules for object names, label keys and label values
_DNS_1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS_1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _strict(node: Any) -> Any:
    """The schema as strict field validation reads it: an object whose fields are listed
    takes no other (unless it says it keeps unknown fields)."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    strict = {key: _strict(value) for key, value in node.items()}
    if "properties" in node:
        strict["properties"] = {key: _strict(value) for key, value in node["properties"].items()}
        if "additionalProperties" not in node and not node.get(
            "x-kubernetes-preserve-unknown-fields"
        ):
            strict["additionalProperties"] = False
    return strict


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = _strict(json.loads(SCHEMA.read_text()))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _check_key(key: str) -> None:
    prefix, _, name = key.rpartition("/")
    assert len(name) <= 63 and _QUALIFIED_NAME.match(name), key
    assert not prefix or (len(prefix) <= 253 and _DNS_1123_SUBDOMAIN.match(prefix)), key


def _valid(validator: Draft7Validator, text: str) -> dict[str, Any]:
    """The YAML as the cluster would read it, once it passes what the cluster checks."""
    document: dict[str, Any] = yaml.safe_load(text)
    validator.validate(document)
    metadata = document["metadata"]  # ObjectMeta: checked by the API server and KServe
    assert len(metadata["name"]) <= 63 and _DNS_1035.match(metadata["name"])
    for key, value in metadata["labels"].items():
        _check_key(key)
        assert isinstance(value, str) and len(value) <= 63 and _LABEL_VALUE.match(value)
    for key, value in metadata["annotations"].items():
        _check_key(key)
        assert isinstance(value, str)
    return document


def _files_of(registered: Registered, version: str) -> str:
    uri = str(registered.client.get_model_version_download_uri(MODEL, version))
    assert (Path(uri.removeprefix("file://")) / "MLmodel").exists()  # the real artifacts
    return uri


def _rollout(ws: Workspace, mode: RolloutMode, challenger: str, percent: float = 0.0) -> None:
    version = challenger.rpartition("/")[2]
    rollout = Rollout(
        mode=mode,
        model=MODEL,
        challenger=challenger,
        challenger_version=version,
        percent=percent,
        started_at=datetime.now(UTC),
        started_by="alice",
    )
    directory = endpoint_dir(ws, MODEL)
    directory.mkdir(parents=True, exist_ok=True)
    end_rollout(directory)  # the one a test wrote before this one
    assert write_rollout(directory, rollout)


def test_the_champion_is_an_mlflow_predictor_reading_its_versions_files(
    registered: Registered, mlops_workspace: Workspace, validator: Draft7Validator
) -> None:
    exported = inference_service(mlops_workspace, f"{MODEL}@champion")
    document = _valid(validator, exported.to_yaml())

    assert document["apiVersion"] == "serving.kserve.io/v1beta1"
    assert document["kind"] == "InferenceService"
    assert document["metadata"]["name"] == exported.name == "cancer"
    assert document["spec"] == {
        "predictor": {
            "model": {
                "modelFormat": {"name": "mlflow"},
                "protocolVersion": "v2",
                "storageUri": _files_of(registered, registered.versions[0]),
            }
        }
    }
    assert document["metadata"]["labels"] == {
        "jupyter-mlops/model": "cancer",
        "jupyter-mlops/model-version": "1",
        "jupyter-mlops/model-alias": "champion",
    }
    assert document["metadata"]["annotations"]["jupyter-mlops/model-uri"] == "models:/cancer/1"
    # the local store's files: said, in the result and on top of the YAML
    assert len(exported.warnings) == 1 and "path on this machine" in exported.warnings[0]
    assert exported.to_yaml().startswith("# warning: storageUri ")

    fixed = _valid(validator, inference_service(mlops_workspace, f"{MODEL}/2").to_yaml())
    assert fixed["spec"]["predictor"]["model"]["storageUri"] == _files_of(registered, "2")
    assert "jupyter-mlops/model-alias" not in fixed["metadata"]["labels"]


def test_a_canary_rollout_is_kserves_canary_of_the_challenger(
    registered: Registered, mlops_workspace: Workspace, validator: Draft7Validator
) -> None:
    _rollout(mlops_workspace, "canary", f"{MODEL}/2", percent=10)
    exported = inference_service(mlops_workspace, f"{MODEL}@champion")
    predictor = _valid(validator, exported.to_yaml())["spec"]["predictor"]

    assert predictor["canaryTrafficPercent"] == 10
    assert predictor["model"]["storageUri"] == _files_of(registered, "2")
    labels = exported.document["metadata"]["labels"]
    assert labels["jupyter-mlops/model-version"] == "1"
    assert labels["jupyter-mlops/canary-version"] == "2"
    assert exported.notes == [
        "canary: KServe sends 10% to this revision (v2) and the rest to the revision rolled "
        "out before it: apply the export of cancer/1 first"
    ]
    assert exported.to_yaml().startswith("# note: canary: KServe sends 10%")

    _rollout(mlops_workspace, "canary", f"{MODEL}/2", percent=12.5)
    exported = inference_service(mlops_workspace, f"{MODEL}@champion")
    assert _valid(validator, exported.to_yaml())["spec"]["predictor"]["canaryTrafficPercent"] == 12
    assert any("whole percent: 12.5% as 12%" in w for w in exported.warnings)


def test_a_shadow_rollout_has_no_kserve_equivalent_and_is_left_out(
    registered: Registered, mlops_workspace: Workspace, validator: Draft7Validator
) -> None:
    _rollout(mlops_workspace, "shadow", f"{MODEL}/2")
    exported = inference_service(mlops_workspace, f"{MODEL}@champion")
    predictor = _valid(validator, exported.to_yaml())["spec"]["predictor"]

    assert "canaryTrafficPercent" not in predictor
    assert predictor["model"]["storageUri"] == _files_of(registered, "1")
    assert any("KServe has no shadow traffic" in w for w in exported.warnings)
    assert "# warning: endpoint cancer runs a shadow rollout" in exported.to_yaml()


def test_the_schema_check_is_not_vacuous(
    registered: Registered, mlops_workspace: Workspace, validator: Draft7Validator
) -> None:
    document = inference_service(mlops_workspace, f"{MODEL}@champion").document
    validator.validate(document)
    predictor = document["spec"]["predictor"]
    wrong = [
        {**predictor, "canaryTrafficPercent": "abc"},
        {**predictor, "model": {**predictor["model"], "storageURI": "s3://typo"}},
        {**predictor, "model": {**predictor["model"], "modelFormat": {"version": "2"}}},
        {**predictor, "shadowTrafficPercent": 10},
    ]
    for bad in wrong:
        with pytest.raises(ValidationError):
            validator.validate({**document, "spec": {"predictor": bad}})


def test_bad_names_and_unknown_models_are_refused_clearly(
    registered: Registered, mlops_workspace: Workspace
) -> None:
    ws = mlops_workspace
    with pytest.raises(Invalid, match="NAME@ALIAS"):
        inference_service(ws, f"{MODEL}@")
    with pytest.raises(NotFound, match="no running endpoint"):
        inference_service(ws, MODEL)
    with pytest.raises(Invalid, match="neither a model nor an endpoint name"):
        inference_service(ws, "Cancer")
    with pytest.raises(NotFound, match="nope@champion"):
        inference_service(ws, "nope@champion")
    with pytest.raises(NotFound, match="cancer@challenger"):
        inference_service(ws, f"{MODEL}@challenger")
    with pytest.raises(NotFound, match="cancer/7"):
        inference_service(ws, f"{MODEL}/7")
    with pytest.raises(Invalid, match="not an endpoint name"):
        inference_service(ws, f"{MODEL}@champion", endpoint="Cancer!")
    with pytest.raises(Invalid, match="cannot name an InferenceService"):
        inference_service(ws, f"{MODEL}@champion", endpoint="2nd")
    # the endpoint rules allow '_', KServe's names do not: it becomes '-'
    assert inference_service(ws, f"{MODEL}@champion", endpoint="cancer_eu").name == "cancer-eu"

    # an endpoint whose canary is another model's
    rollout = Rollout(
        mode="canary",
        model="wine",
        challenger="wine/1",
        challenger_version="1",
        percent=5,
        started_at=datetime.now(UTC),
        started_by="alice",
    )
    (directory := endpoint_dir(ws, "shared")).mkdir(parents=True)
    write_rollout(directory, rollout)
    with pytest.raises(Invalid, match="canary is wine/1, not a version of cancer"):
        inference_service(ws, f"{MODEL}@champion", endpoint="shared")


def test_cli_writes_the_file_and_says_what_kserve_cannot_do(
    registered: Registered,
    mlops_workspace: Workspace,
    validator: Draft7Validator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = str(mlops_workspace.root)
    out = tmp_path / "cancer.yaml"
    assert main(["export", "kserve", f"{MODEL}@champion", "--out", str(out), "--root", root]) == 0
    printed = capsys.readouterr()
    assert printed.out.strip() == str(out)
    assert "warning: storageUri" in printed.err
    document = _valid(validator, out.read_text())
    assert document["spec"]["predictor"]["model"]["storageUri"] == _files_of(registered, "1")

    argv = ["export", "kserve", f"{MODEL}/2", "--name", "cancer-v2", "--root", root]
    assert main(argv) == 0
    document = _valid(validator, capsys.readouterr().out)
    assert document["metadata"]["name"] == "cancer-v2"

    assert main(["export", "kserve", "nope@champion", "--root", root]) == 2
    assert "jupyter mlops export: cannot serve nope@champion" in capsys.readouterr().err


def test_a_running_endpoint_by_its_name_from_the_notebook(
    registered: Registered, mlops_workspace: Workspace, validator: Draft7Validator
) -> None:
    mlops.serving.deploy(f"{MODEL}/2", name="cancer_v2", port=free_port())
    try:
        document = _valid(validator, mlops.serving.export_kserve("cancer_v2"))
    finally:
        mlops.serving.stop("cancer_v2")
    assert document["metadata"]["name"] == "cancer-v2"
    assert document["metadata"]["annotations"]["jupyter-mlops/endpoint"] == "cancer_v2"
    assert document["spec"]["predictor"]["model"]["storageUri"] == _files_of(registered, "2")
