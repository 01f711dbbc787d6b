"""Which model an endpoint serves: ``NAME@ALIAS`` (follows the alias) or ``NAME/VERSION``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Invalid

_NAME = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,255}"
_REF = re.compile(
    rf"^(?P<name>{_NAME})(?:@(?P<alias>[A-Za-z0-9_\-]{{1,255}})|/(?P<version>[1-9]\d{{0,18}}))$"
)
ENDPOINT_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,62}$")


@dataclass(frozen=True)
class ModelRef:
    """A registered model and either the alias to follow or a fixed version."""

    name: str
    alias: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        return f"{self.name}@{self.alias}" if self.alias else f"{self.name}/{self.version}"


def parse_model_ref(text: str) -> ModelRef:
    """``cancer@champion`` or ``cancer/3``; a clear error for anything else."""
    found = _REF.fullmatch(text.strip())
    if found is None:
        raise Invalid(
            f"{text!r} is not a model to serve: write NAME@ALIAS (follows the alias) or "
            "NAME/VERSION, e.g. cancer@champion or cancer/3"
        )
    return ModelRef(found["name"], found["alias"], found["version"])


def check_endpoint_name(name: str) -> str:
    """An endpoint's name, part of its address: lower-case letters, digits, ``-`` and ``_``."""
    if not isinstance(name, str) or not ENDPOINT_NAME.fullmatch(name):
        raise Invalid(
            f"{name!r} is not an endpoint name: use 1-63 lower-case letters, digits, '-' or "
            "'_', starting with a letter or digit"
        )
    return name
