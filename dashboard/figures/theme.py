"""Colours and the shared figure style. Okabe–Ito: distinguishable with the common colour-vision deficiencies.

The sequential scale (light to dark blue) is the one scale of every heatmap and choropleth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from dashboard import formatting as FMT

if TYPE_CHECKING:  # the figures build plain dicts; only the graph config's type comes from Dash
    from dash import dcc

OKABE_ITO: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PRIMARY: Final = OKABE_ITO[0]
TEXT: Final = "#1a1a1a"
GRID: Final = "#d9d9d9"
SEQUENTIAL: Final = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]  # the one colour scale (counts)
FONT_STACK: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

GRAPH_CONFIG: Final[dcc.Graph.Config] = {
    "displaylogo": False,
    "responsive": True,
    # no "Share chart..." (plotly's upload to a chart server: nothing leaves the app) nor "Edit in Chart Studio"
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def base_layout(height: int = 340, *, lang: str = "en", **extra: object) -> dict:
    """The shared look as a plain layout dict, with the language's decimal and group separators.

    Every figure builder returns a plain dict (``{"data": [...], "layout": base_layout(...)}``): Dash sends it as
    it is, skipping plotly's validation of ``go.Figure``, which is slow. Keys of ``extra`` replace the defaults;
    ``xaxis`` and ``yaxis`` are merged into them.
    """
    axis = {"gridcolor": GRID, "linecolor": TEXT, "automargin": True}
    layout = {
        "template": {"layout": {"paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff"}},
        "colorway": list(OKABE_ITO),
        "font": {"family": FONT_STACK, "size": 14, "color": TEXT},
        "height": height,
        "margin": {"l": 16, "r": 16, "t": 16, "b": 16},
        "xaxis": dict(axis),
        "yaxis": dict(axis),
        "hoverlabel": {"font": {"family": FONT_STACK}},
        "showlegend": False,
        "separators": FMT.plotly_separators(lang),
    }
    for key in ("xaxis", "yaxis"):
        if key in extra:
            layout[key] = {**layout[key], **extra.pop(key)}  # type: ignore[dict-item]
    layout.update(extra)
    return layout


HEADROOM: Final = 1.2  # room beyond the longest bar for its label written outside it ("1 225" in French)


def value_range(values: object) -> list[float] | None:
    """An axis from zero to a little past the largest value, so that the label outside the longest bar is drawn
    inside the plot, whatever the language's digits and the chart's width; None when there is no value."""
    numbers = [float(v) for v in np.asarray(values, dtype=float).ravel() if np.isfinite(v)]
    top = max(numbers, default=0.0)
    return [0.0, top * HEADROOM] if top > 0 else None


def value_axis(values: object) -> dict[str, list[float]]:
    """``value_range`` as the keys of an axis (none when there is no value), for ``xaxis={..., **value_axis(x)}``."""
    found = value_range(values)
    return {"range": found} if found else {}


def category_figure(
    traces: list[dict], lang: str, x_title: str, y_title: str, y_range: list[float] | None = None, height: int = 360
) -> dict:
    """A figure of ``traces`` over a category x axis (waves, bands), both axes titled, y from zero."""
    yaxis: dict = {"title": {"text": y_title}, "rangemode": "tozero", "gridcolor": GRID}
    if y_range is not None:
        yaxis["range"] = y_range
    xaxis = {"title": {"text": x_title}, "type": "category"}
    return {"data": traces, "layout": base_layout(height, lang=lang, xaxis=xaxis, yaxis=yaxis)}
