"""The drift output's HTML fallback reads in a light and in a dark frontend: its plots have
no background of their own, translucent grid lines, and text in the page's own colour."""

from __future__ import annotations

import json
import re

import jupyter_mlops as mlops
from jupyter_mlops.magics.monitoring import drift_html
from jupyter_mlops.workspace import Workspace

from .frames import frames


def _figures(html: str) -> list[dict]:
    match = re.search(r"var figs=(\[.*?\]);function draw", html)
    assert match is not None
    return list(json.loads(match.group(1).replace("<\\/", "</")))


def test_the_fallback_plots_take_the_page_colours(mlops_workspace: Workspace) -> None:
    reference, current = frames(rows=300)
    html = drift_html(mlops.monitor.drift(reference, current))
    figures = _figures(html)
    assert len(figures) == 3  # the drifted columns
    for figure in figures:
        layout = figure["layout"]
        assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "rgba(0,0,0,0)"
        for axis in ("xaxis", "yaxis"):
            assert layout[axis]["gridcolor"] == "rgba(128,128,128,0.3)"
        assert "font" not in layout  # set when drawn, from the page
    # Drawn with the colour and font of the output's own text (the frontend's theme).
    assert "f.layout.font={color:css.color,family:css.fontFamily}" in html
    assert html.index("getComputedStyle(el)") < html.index("Plotly.newPlot")
