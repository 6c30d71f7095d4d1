"""Colours and the shared figure style. Okabe–Ito: distinguishable with the common colour-vision deficiencies."""

from __future__ import annotations

from typing import Final

import plotly.graph_objects as go

OKABE_ITO: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PRIMARY: Final = OKABE_ITO[0]
TEXT: Final = "#1a1a1a"
GRID: Final = "#d9d9d9"
FONT_STACK: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

GRAPH_CONFIG: Final = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def styled(fig: go.Figure, *, title: str | None = None, height: int = 360) -> go.Figure:
    """Apply the shared look to ``fig`` and return it."""
    fig.update_layout(
        template="plotly_white",
        colorway=list(OKABE_ITO),
        font={"family": FONT_STACK, "size": 14, "color": TEXT},
        title={"text": title} if title else None,
        height=height,
        margin={"l": 56, "r": 16, "t": 40 if title else 16, "b": 48},
        hoverlabel={"font": {"family": FONT_STACK}},
    )
    fig.update_xaxes(gridcolor=GRID, linecolor=TEXT)
    fig.update_yaxes(gridcolor=GRID, linecolor=TEXT, rangemode="tozero")
    return fig


def base_layout(height: int = 340, **extra: object) -> dict:
    """The shared look as a plain layout dict (figures built as dicts skip plotly's slow validation)."""
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
    }
    for key in ("xaxis", "yaxis"):
        if key in extra:
            layout[key] = {**layout[key], **extra.pop(key)}  # type: ignore[dict-item]
    layout.update(extra)
    return layout
