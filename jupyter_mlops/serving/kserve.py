"""A registered model as a KServe ``InferenceService`` (``jupyter mlops export kserve``).

The predictor is KServe's MLflow model format, served by KServe's MLServer runtime over the
Open Inference Protocol (``protocolVersion: v2``), reading the model version's artifacts
from ``storageUri``: where MLflow's registry keeps them. Which version comes from MLflow
(``NAME@ALIAS`` resolved now, or ``NAME/VERSION``), and so does where its files are.

An endpoint running a canary rollout is exported as KServe's canary: the challenger's
artifacts with ``canaryTrafficPercent``, KServe sending the rest to the revision rolled out
before (the champion's export, applied first). A shadow rollout has no KServe equivalent:
it is left out, with a warning. Notes and warnings go to the caller and, as comments,
into the YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from mlflow.exceptions import MlflowException

from ..errors import Invalid, NotFound
from ..tracking.store import use_workspace
from ..workspace import Workspace
from .commands import running
from .endpoint import Endpoint, endpoint_dir
from .refs import ModelRef, check_endpoint_name, parse_model_ref
from .rollout import Rollout, read_rollout
from .serve import default_endpoint_name

API_VERSION = "serving.kserve.io/v1beta1"
KIND = "InferenceService"
KEY_PREFIX = "jupyter-mlops/"  # of our labels and annotations
# KServe's rule for an InferenceService's name (a DNS-1035 label)
_ISVC_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_LABEL_VALUE_CHARS = re.compile(r"[^A-Za-z0-9_.\-]+")
# what KServe's storage initializer downloads from (besides Azure Blob, under https://)
STORAGE_SCHEMES = (
    "gs://",
    "s3://",
    "pvc://",
    "https://",
    "http://",
    "hdfs://",
    "webhdfs://",
    "oci://",
    "hf://",
)


@dataclass(frozen=True)
class KServeExport:
    """An ``InferenceService`` document, what to know before applying it (``notes``) and
    what it could not say (``warnings``)."""

    name: str
    document: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The document as YAML, its notes and warnings as comments on top."""
        comments = [f"# note: {line}" for line in self.notes]
        comments += [f"# warning: {line}" for line in self.warnings]
        return "\n".join([*comments, yaml.safe_dump(self.document, sort_keys=False)])


def isvc_name(name: str) -> str:
    """An endpoint's name as an InferenceService's: ``_`` becomes ``-``; a name KServe would
    still refuse (a leading digit, over 63 characters) is refused here."""
    converted = name.replace("_", "-")
    if len(converted) > 63 or not _ISVC_NAME.match(converted):
        raise Invalid(
            f"{name!r} cannot name an InferenceService: KServe wants 1-63 lower-case letters, "
            "digits and '-', starting with a letter and ending with a letter or digit "
            "(give one with --name)"
        )
    return converted


def label_value(text: str) -> str:
    """``text`` as a valid Kubernetes label value (63 characters at most, alphanumeric at
    both ends); the exact text goes in an annotation beside it."""
    return _LABEL_VALUE_CHARS.sub("-", text)[:63].strip("-_.")


def inference_service(
    ws: Workspace, target: str, endpoint: str | None = None, name: str | None = None
) -> KServeExport:
    """The ``InferenceService`` for ``target``: ``NAME@ALIAS``, ``NAME/VERSION`` or the name of
    a running endpoint. The rollout read is that of ``endpoint`` (default: the endpoint the
    model is served as by default, or the running endpoint named); its name is the
    InferenceService's unless ``name`` is given."""
    ref, endpoint = _target(ws, target, endpoint)
    resolver = Endpoint(ws, endpoint, ref)
    version = resolver.resolve()
    parts = _Parts(
        labels={"model": ref.name, "model-version": version},
        annotations={"model": str(ref), "model-uri": f"models:/{ref.name}/{version}"},
    )
    parts.annotations["endpoint"] = endpoint
    if ref.alias:
        parts.labels["model-alias"] = ref.alias
    rollout = read_rollout(resolver.directory)
    served = version if rollout is None else _apply_rollout(parts, rollout, ref, version, endpoint)
    storage = _storage_uri(ws, ref.name, served)
    parts.warnings.extend(_storage_warnings(storage))
    parts.predictor["model"] = {
        "modelFormat": {"name": "mlflow"},
        "protocolVersion": "v2",
        "storageUri": storage,
    }
    name = isvc_name(name or endpoint)
    metadata = {
        "name": name,
        "labels": {KEY_PREFIX + key: label_value(value) for key, value in parts.labels.items()},
        "annotations": {KEY_PREFIX + key: value for key, value in parts.annotations.items()},
    }
    document = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": metadata,
        "spec": {"predictor": parts.predictor},
    }
    return KServeExport(name, document, parts.notes, parts.warnings)


@dataclass
class _Parts:
    """What an export gathers before it is a document."""

    labels: dict[str, str]
    annotations: dict[str, str]
    predictor: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _apply_rollout(
    parts: _Parts, rollout: Rollout, ref: ModelRef, version: str, endpoint: str
) -> str:
    """The version whose files the predictor reads: a canary's challenger (with its share
    of traffic), else the champion's, a shadow being left out."""
    if rollout.mode == "shadow":
        parts.warnings.append(
            f"endpoint {endpoint} runs a shadow rollout of {ref.name} "
            f"v{rollout.challenger_version}: KServe has no shadow traffic, so only "
            f"v{version} is exported"
        )
        return version
    challenger = parse_model_ref(rollout.challenger)
    if challenger.name != ref.name:
        raise Invalid(
            f"endpoint {endpoint}'s canary is {rollout.challenger}, not a version of "
            f"{ref.name}: name the endpoint serving {ref.name} with --endpoint"
        )
    served = rollout.challenger_version
    share = min(99, max(1, round(rollout.percent)))  # a canary is above 0 and below 100
    if share != rollout.percent:
        parts.warnings.append(f"KServe takes a whole percent: {rollout.percent:g}% as {share}%")
    parts.predictor["canaryTrafficPercent"] = share
    parts.labels["canary-version"] = served
    parts.annotations["canary-model-uri"] = f"models:/{ref.name}/{served}"
    parts.notes.append(
        f"canary: KServe sends {share}% to this revision (v{served}) and the rest to the "
        f"revision rolled out before it: apply the export of {ref.name}/{version} first"
    )
    return served


def _target(ws: Workspace, target: str, endpoint: str | None) -> tuple[ModelRef, str]:
    """The model reference and the endpoint whose rollout to read."""
    if "@" in target or "/" in target:
        ref = parse_model_ref(target)
        return ref, check_endpoint_name(endpoint or default_endpoint_name(ref))
    hint = "give the model as NAME@ALIAS or NAME/VERSION, e.g. cancer@champion or cancer/3"
    try:
        directory = endpoint_dir(ws, target)
    except Invalid:
        raise Invalid(f"{target!r} is neither a model nor an endpoint name: {hint}") from None
    served = running(directory)
    if served is None:
        raise NotFound(f"{target!r} is no running endpoint: {hint}")
    return parse_model_ref(served.model), check_endpoint_name(endpoint or target)


def _storage_uri(ws: Workspace, model: str, version: str) -> str:
    """Where MLflow keeps the version's files (a ``models:/`` or ``runs:/`` source resolved
    to the artifact store's own URI)."""
    client = use_workspace(ws)
    try:
        return str(client.get_model_version_download_uri(model, version))
    except MlflowException as exc:
        raise NotFound(f"cannot find the files of {model} v{version}: {exc.message}") from exc


def _storage_warnings(uri: str) -> list[str]:
    if uri.startswith(STORAGE_SCHEMES):
        return []
    if "://" not in uri or uri.startswith("file://"):
        return [
            f"storageUri {uri} is a path on this machine, which a cluster's pods cannot read: "
            "keep MLflow's artifacts where the cluster reads them (s3://, gs://, a PVC)"
        ]
    return [f"KServe cannot download {uri}: it reads {', '.join(STORAGE_SCHEMES)} URIs"]
