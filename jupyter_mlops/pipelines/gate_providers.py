"""Gate providers: how other areas add promotion gates (the model review, for one).

A provider is a callable ``provider(store, job, version, to_stage) -> GateResult | None``
(see :class:`GateProvider`): it is asked about every promotion and returns None when it has
nothing to say about this one (no gate is shown), or a :class:`GateResult`. A provider that
raises fails its gate with the error as reason, so a broken provider never lets a version
through. Providers are found, when first needed, under their name:

1. the built-in ``model_review`` provider, :func:`model_review_gate`, a placeholder that
   returns None until the reviews area exists;
2. entry points of the group ``jupyter_mlops.promotion_gates`` (an installed package adds
   a gate; an entry point of an existing name replaces that provider);
3. :func:`register_gate` at run time (tests, embedding applications).

How the reviews area plugs in: it writes ``jupyter_mlops/reviews/gates.py`` with
``model_review_gate(store, job, version, to_stage)`` that returns None unless ``to_stage``
is ``"prod"``, else ``GateResult(name="model review", passed=<an approved review of JOB
version VERSION exists>, reason=<who approved when, or what is missing>)``, and declares
it in ``pyproject.toml``, replacing the placeholder by name (``make`` reinstalls the
package when ``pyproject.toml`` changes, which registers the entry point)::

    [project.entry-points."jupyter_mlops.promotion_gates"]
    model_review = "jupyter_mlops.reviews.gates:model_review_gate"

Nothing in the jobs area (``gates.py``, ``promotion.py``) changes for that.
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Protocol

from .models import Stage
from .promotion_models import GateResult

if TYPE_CHECKING:
    from .store import JobStore

ENTRY_POINT_GROUP = "jupyter_mlops.promotion_gates"


class GateProvider(Protocol):
    """A gate of another area: None when it has nothing to say about this promotion."""

    def __call__(
        self, store: JobStore, job: str, version: int, to_stage: Stage
    ) -> GateResult | None: ...


def model_review_gate(
    store: JobStore, job: str, version: int, to_stage: Stage
) -> GateResult | None:
    """Placeholder of the ``model review`` gate (prod only): reviews do not exist yet, so
    it shows no gate. The reviews area replaces it (see the module docstring)."""
    return None


@functools.cache
def _registry() -> dict[str, GateProvider]:
    """The providers by name, built on first use (built-in, then entry points)."""
    providers: dict[str, GateProvider] = {"model_review": model_review_gate}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        providers[point.name] = _deferred(point)
    return providers


def _deferred(point: EntryPoint) -> GateProvider:
    """A provider that loads its entry point when first asked (a load error fails it)."""

    def provider(store: JobStore, job: str, version: int, to_stage: Stage) -> GateResult | None:
        loaded: GateProvider = point.load()
        return loaded(store, job, version, to_stage)

    return provider


def register_gate(name: str, provider: GateProvider) -> GateProvider | None:
    """Add (or replace) the gate provider ``name``; returns the provider it replaced."""
    registry = _registry()
    before = registry.get(name)
    registry[name] = provider
    return before


def unregister_gate(name: str) -> None:
    """Remove the gate provider ``name`` (nothing happens if there is none)."""
    _registry().pop(name, None)


def gate_providers() -> dict[str, GateProvider]:
    """The gate providers in the order they are asked."""
    return dict(_registry())
