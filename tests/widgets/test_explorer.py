"""The feature explorer, built against a real workspace and driven as a user would: pick a
target, type keys, click Look up; its fallback bundle for places no widget renders."""

from __future__ import annotations

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.widgets.explorer import FeatureExplorer
from jupyter_mlops.workspace import Workspace

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_pick_type_keys_and_look_up(online_features: Workspace) -> None:
    explorer = mlops.features.explorer()
    assert isinstance(explorer, FeatureExplorer)
    assert [label for label, _ in explorer.picker.options] == ["service eta", "view driver_stats"]
    assert list(explorer.inputs) == ["driver_id"]

    explorer.inputs["driver_id"].value = "1, 99, 3"
    explorer.button.click()
    assert explorer.message.value == ""
    table = explorer.table.value
    assert "eta: 3 entities; driver_stats: 2 present, 1 missing" in table
    assert "<th>trips</th><th>rating</th><th>status</th><th>age</th>" in table
    assert "<tr><td>1</td><td>10</td><td>4.5</td><td>present</td><td>5m" in table
    assert "<tr><td>99</td><td>—</td><td>—</td><td>missing</td><td>—</td></tr>" in table
    assert explorer.result is not None
    assert explorer.result.to_df()["rating"].tolist()[::2] == [4.5, 5.0]

    explorer.picker.value = ("view", "driver_stats")
    assert explorer.table.value == ""
    assert explorer.inputs["driver_id"].value == "1, 99, 3"  # the typed keys stay
    explorer.inputs["driver_id"].value = "2"
    explorer.button.click()
    assert "driver_stats: 1 entity; driver_stats: 1 present" in explorer.table.value
    assert "<td>3.25</td>" in explorer.table.value


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "give a value for driver_id (Int64)"),
        ("1, two", "driver_id is Int64: give whole numbers, not &#x27;1, two&#x27;"),
    ],
)
def test_a_refused_lookup_is_said_in_text(
    online_features: Workspace, typed: str, said: str
) -> None:
    explorer = mlops.features.explorer()
    explorer.inputs["driver_id"].value = "1"
    explorer.button.click()
    explorer.inputs["driver_id"].value = typed
    explorer.button.click()
    assert said in explorer.message.value
    assert explorer.table.value == ""  # no stale values under an error


def test_an_empty_catalog_says_what_to_do(mlops_workspace: Workspace) -> None:
    explorer = mlops.features.explorer()
    assert explorer.picker.options == ()
    assert explorer.button.disabled
    assert "No services or online views yet" in explorer.message.value
    bundle = explorer._repr_mimebundle_()
    assert "Nothing to look up yet" in bundle["text/plain"]


def test_the_bundle_has_the_widget_and_text_fallbacks(online_features: Workspace) -> None:
    bundle = mlops.features.explorer()._repr_mimebundle_()
    assert set(bundle) == {WIDGET_VIEW, "text/html", "text/plain"}
    assert bundle[WIDGET_VIEW]["model_id"]
    html, plain = bundle["text/html"], bundle["text/plain"]
    assert plain.startswith("Feature explorer: 1 entity, 1 view, 1 service\n")
    assert "driver_stats" in plain and "(full, 3 entities)" in plain
    assert "mlops.features.online('eta', {'driver_id': [...]}).to_df()" in plain
    assert "<td>driver_stats</td>" in html
    assert "<pre>mlops.features.online(&#x27;eta&#x27;, {&#x27;driver_id&#x27;: [...]})" in html


def test_other_names_of_the_features_package_stay_unknown() -> None:
    import jupyter_mlops.features as features

    assert "explorer" not in features.__all__
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        features.nothing  # noqa: B018
