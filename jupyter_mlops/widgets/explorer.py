"""``mlops.features.explorer()``: look up online feature values from a notebook.

A picker of the catalog's services and online views, one text box per join key of the
picked one (comma-separated values look up a batch), a Look up button, and the values
with each view's status and age; a refused lookup is said in text under the button.

Where no frontend renders widgets (papermill, nbconvert, a notebook reopened without its
kernel) the same output shows its fallbacks: the catalog as text/html and text/plain, and
the line of code that looks up the first target from Python.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..errors import Invalid, MlopsError
from ..features import api
from ..features.lookup import OnlineValues, resolve_target
from ..features.queries import catalog
from ..features.views import CatalogQuery
from ..rendering import (
    CATALOG_COLUMNS,
    catalog_rows,
    catalog_title,
    online_head,
    online_rows,
    online_title,
    table_bundle,
)

Target = tuple[str, str]  # ("service" | "view", name)
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def targets() -> list[tuple[str, Target]]:
    """The picker's options: every service, then every online view, by name."""
    store = api.store()
    found: list[tuple[str, Target]] = [
        (f"service {s.name}", ("service", s.name)) for s in store.latest("service")
    ]
    found += [(f"view {v.name}", ("view", v.name)) for v in store.latest("view") if v.online]
    return found


def join_keys(target: Target) -> dict[str, str]:
    """The join keys (name → type) a lookup of ``target`` needs."""
    kind, name = target
    if kind == "service":
        return resolve_target(api.store(), name, None).keys
    return resolve_target(api.store(), None, name).keys


def key_values(key: str, dtype: str, text: str) -> list[Any]:
    """The values typed for join key ``key`` (comma-separated), as its type wants them."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise Invalid(f"give a value for {key} ({dtype})")
    if dtype in ("Int32", "Int64"):
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise Invalid(f"{key} is {dtype}: give whole numbers, not {text!r}") from None
    if dtype in ("Float32", "Float64"):
        try:
            return [float(p) for p in parts]
        except ValueError:
            raise Invalid(f"{key} is {dtype}: give numbers, not {text!r}") from None
    if dtype == "Bool":
        if any(p.lower() not in _TRUE | _FALSE for p in parts):
            raise Invalid(f"{key} is Bool: give true or false, not {text!r}")
        return [p.lower() in _TRUE for p in parts]
    return parts


def look_up(target: Target, entities: dict[str, list[Any]]) -> OnlineValues:
    """The online values of ``target`` for ``entities``."""
    kind, name = target
    if kind == "service":
        return api.online(name, entities)
    return api.online(entities=entities, view=name)


def fallback_bundle() -> dict[str, str]:
    """text/html and text/plain: the catalog, and how to look up from code."""
    try:
        found = catalog(api.store(), CatalogQuery())
        options = targets()
        code = _example(options[0][1]) if options else None
    except MlopsError as exc:
        text = f"Feature explorer: the catalog could not be read ({exc})"
        return {"text/plain": text, "text/html": f"<p>{html.escape(text)}</p>"}
    bundle = table_bundle(
        f"Feature explorer: {catalog_title(found)}", CATALOG_COLUMNS, catalog_rows(found)
    )
    if code is None:
        how = (
            "Nothing to look up yet: define an entity, a view and a service "
            "(mlops.features.entity/view/service), then mlops.features.materialize(VIEW)."
        )
        plain, markup = how, f"<p>{html.escape(how)}</p>"
    else:
        how = "Look up from code (the interactive explorer needs a frontend that renders widgets):"
        plain = f"{how}\n    {code}"
        markup = f"<p>{html.escape(how)}</p><pre>{html.escape(code)}</pre>"
    return {
        "text/html": bundle["text/html"] + markup,
        "text/plain": f"{bundle['text/plain']}\n\n{plain}",
    }


def _example(target: Target) -> str:
    kind, name = target
    keys = ", ".join(f"{k!r}: [...]" for k in join_keys(target))
    if kind == "service":
        return f"mlops.features.online({name!r}, {{{keys}}}).to_df()"
    return f"mlops.features.online(entities={{{keys}}}, view={name!r}).to_df()"


def _message(text: str) -> str:
    return f"<span class='jp-mlops-error' style='color: var(--jp-error-color1)'>{text}</span>"


class FeatureExplorer(widgets.VBox):  # type: ignore[misc]
    """The explorer: ``picker``, ``inputs`` (join key → text box), ``button``, ``message``
    (errors, as text) and ``table`` (the values); ``result`` is the last lookup."""

    def __init__(self) -> None:
        super().__init__()
        self.picker = widgets.Dropdown(description="Target", options=targets())
        self.inputs: dict[str, widgets.Text] = {}
        self._keys: dict[str, str] = {}
        self._inputs_box = widgets.VBox()
        self.button = widgets.Button(description="Look up", button_style="primary", icon="search")
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.result: OnlineValues | None = None
        self.children = [self.picker, self._inputs_box, self.button, self.message, self.table]
        self.picker.observe(self._picked, names="value")
        self.button.on_click(self._look_up)
        self._picked()

    def _picked(self, change: Any = None) -> None:
        """One text box per join key of the picked target (typed values are kept)."""
        self.table.value = ""
        if self.picker.value is None:
            self._keys, self.inputs, self._inputs_box.children = {}, {}, ()
            self.button.disabled = True
            self.message.value = _message(
                "No services or online views yet: define them with mlops.features.view(…) "
                "and mlops.features.service(…), then materialize."
            )
            return
        try:
            keys = join_keys(self.picker.value)
        except MlopsError as exc:
            self.message.value = _message(html.escape(str(exc)))
            return
        before = self.inputs
        self.inputs = {
            key: before.get(key)
            or widgets.Text(description=key, placeholder=f"{dtype} (several: comma-separated)")
            for key, dtype in keys.items()
        }
        self._keys = keys
        self._inputs_box.children = tuple(self.inputs.values())
        self.button.disabled = False
        self.message.value = ""

    def _look_up(self, button: Any = None) -> None:
        """Look the typed keys up; the values as a table, or what was wrong as text."""
        try:
            entities = {
                key: key_values(key, dtype, self.inputs[key].value)
                for key, dtype in self._keys.items()
            }
            self.result = look_up(self.picker.value, entities)
        except MlopsError as exc:
            self.message.value, self.table.value = _message(html.escape(str(exc))), ""
            return
        except Exception as exc:  # a button's callback has nowhere else to say it
            text = f"{type(exc).__name__}: {exc}"
            self.message.value, self.table.value = _message(html.escape(text)), ""
            return
        result = self.result.model()
        name = self.picker.value[1]
        shown = table_bundle(online_title(name, result), online_head(result), online_rows(result))
        self.message.value, self.table.value = "", shown["text/html"]

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget's view, with the catalog as text/html and text/plain fallbacks."""
        bundle: dict[str, Any] = super()._repr_mimebundle_(**kwargs) or {}
        return {**bundle, **fallback_bundle()}


def explorer() -> FeatureExplorer:
    """The feature explorer (``mlops.features.explorer()``): leave it last in a cell, or
    ``display`` it."""
    return FeatureExplorer()
