"""The network graph's pure builders: published node, edge and tie-matrix rows in, a plotly figure dict out.

The graph is drawn by ``dcc.Graph`` with the app's partial plotly.js (``scatter`` only: lines for ties, markers for
nodes, no axes): organisations at the positions published with the release, sector groups on a circle computed
here. Also its colours and shapes, the legend, the cap on organisations drawn and the table of those left out
(charts and sentences are ``dashboard.figures.network_charts``). Inputs are rows of the tables
``dashboard.release.network`` publishes (already filtered to one view); labels of codes arrive as plain dicts, so
nothing here reads a release, a vocabulary file or microdata.

Why this module is longer than ~300 lines: the two figures share their lines, layout, colours and hover texts, and
the cap on what is drawn decides which rows those figures and the table of the rest receive.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from dashboard import formatting as FMT
from dashboard.data.schema import C
from dashboard.figures.theme import OKABE_ITO, PRIMARY, TEXT, base_layout
from dashboard.i18n import t
from dashboard.published import network_schema as NS
from dashboard.published import table as TB
from dashboard.published.network_schema import K

Figure = dict[str, Any]

GROUP_COLOURS: Final = dict(
    zip(("enforcement_border", "government", "community_settlement", "health_legal_other"), OKABE_ITO, strict=False)
)
SHAPES: Final = ("circle", "square", "triangle-up", "diamond", "hexagon", "star")  # plotly marker symbols
NODE_MIN, NODE_MAX = 9.0, 26.0  # marker diameters in pixels
GROUP_NODE: Final = 40.0
BAND_SIZES: Final = {"1-4": 24.0, "5-9": 32.0, "10-24": 40.0, "25-49": 48.0, "50+": 56.0}
EDGE_MIN, EDGE_MAX = 1.5, 12.0  # line widths of the sector-group graph, in pixels
TIE_WIDTH: Final = 0.6  # an organisation's tie: this many pixels per type of collaboration, plus EDGE_BASE
EDGE_BASE: Final = 0.4
WITHIN_EDGE: Final = "#8a8a8a"
CROSS_EDGE: Final = "#0b5394"
HIDDEN_EDGE: Final = "#767676"
EDGE_OPACITY: Final = 0.75
LOOP: Final = 0.22  # radius of a within-group loop, the circle of groups having radius 1
LABEL_AT: Final = 0.4  # a count is written this far along its line (not halfway: the diagonals cross there)
GRAPH_HEIGHT: Final = 560
SIZE_BY: Final = (K.DEGREE, K.BETWEENNESS)
HIDDEN_AXIS: Final = {"visible": False, "showgrid": False, "zeroline": False}


def sector_shapes(group_of: Mapping[str, str]) -> dict[str, str]:
    """A shape per sector, distinct within its group (colour gives the group: readable without colour too)."""
    seen: dict[str, int] = {}
    out = {}
    for sector, group in group_of.items():
        out[sector] = SHAPES[seen.get(group, 0) % len(SHAPES)]
        seen[group] = seen.get(group, 0) + 1
    return out


def _scale(values: pd.Series, low: float, high: float) -> pd.Series:
    v = values.astype(float)
    span = float(v.max() - v.min()) if len(v) else 0.0
    if span <= 0:
        return pd.Series((low + high) / 2, index=v.index)
    return low + (v - v.min()) / span * (high - low)


def circle_positions(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points on the unit circle, the first at the top, then clockwise."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.round(np.cos(angles), 6), np.round(np.sin(angles), 6)


def _loop(x: float, y: float) -> tuple[list[float], list[float], tuple[float, float]]:
    """A within-group loop: a small circle through the node, on its side away from the centre; and its far point."""
    norm = float(np.hypot(x, y))
    ux, uy = (x / norm, y / norm) if norm else (0.0, 1.0)
    cx, cy = x + LOOP * ux, y + LOOP * uy
    start = np.arctan2(-uy, -ux)
    angles = start + np.linspace(0, 2 * np.pi, 25)
    xs = np.round(cx + LOOP * np.cos(angles), 6).tolist()
    ys = np.round(cy + LOOP * np.sin(angles), 6).tolist()
    return xs, ys, (cx + LOOP * ux, cy + LOOP * uy)


def _lines(xs: list[float | None], ys: list[float | None], width: float, colour: str, dash: str = "solid") -> Figure:
    """Line segments of one width and colour (``None`` between segments), not hoverable."""
    return {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "line": {"width": width, "color": colour, "dash": dash},
        "opacity": EDGE_OPACITY,
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _graph_layout(xs: list[float | None], ys: list[float | None], lang: str, pad: float) -> Figure:
    """No axes, no grid, one unit the same length across and down; the ranges hold every point with ``pad``."""
    xaxis: dict[str, Any] = dict(HIDDEN_AXIS)
    yaxis: dict[str, Any] = {**HIDDEN_AXIS, "scaleanchor": "x", "scaleratio": 1}
    for axis, values in ((xaxis, xs), (yaxis, ys)):
        shown = [v for v in values if v is not None]
        if shown:
            low, high = min(shown), max(shown)
            room = pad * max(high - low, 1e-9)
            axis["range"] = [round(low - room, 3), round(high + room, 3)]
    return base_layout(GRAPH_HEIGHT, lang=lang, xaxis=xaxis, yaxis=yaxis, hovermode="closest", dragmode="pan")


def _group_codes(matrix: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """The groups of a matrix in vocabulary order (the order of ``labels``), then any other code in row order."""
    present = list(dict.fromkeys([*matrix[K.SECTOR_A], *matrix[K.SECTOR_B]]))
    found = set(present)
    return [c for c in labels if c in found] + [c for c in present if c not in labels]


def _group_hover(name: str, band: str | None, within: str | None, lang: str) -> str:
    """A group's name, its band of organisations (funder tier) and its published ties within the group."""
    colon = t("punct.colon", lang)
    lines = [name]
    if band is not None:
        lines.append(f"{t('network.col.organisations', lang)}{colon}{band}")
    if within is not None:
        lines.append(f"{t('network.col.ties', lang)}{colon}{within}")
    return "<br>".join(lines)


def group_figure(
    matrix: pd.DataFrame, labels: Mapping[str, str], bands: pd.DataFrame | None = None, lang: str = "en"
) -> Figure:
    """Sector groups on a circle and their published tie counts as lines (a loop: within one group), each line
    labelled with its count; a hidden count is a dashed grey line labelled ``x``, a published zero no line.

    ``bands`` (funder tier) sizes the nodes by the banded number of organisations and adds the band to the name;
    otherwise nodes are equal. Hovering a group gives its name, band and ties within it; hovering a count, the pair.
    """
    size = dict(zip(bands[K.SECTOR_A], bands[K.SIZE_BAND], strict=True)) if bands is not None else {}
    codes = _group_codes(matrix, labels)
    x, y = circle_positions(len(codes))
    at = {code: i for i, code in enumerate(codes)}
    counts = matrix[TB.COUNT].astype("Float64")
    top = float(counts.max()) if counts.notna().any() else 0.0
    colon = t("punct.colon", lang)
    traces: list[Figure] = []
    text: dict[str, list[Any]] = {"x": [], "y": [], "text": [], "hovertext": []}
    within: dict[str, str] = {}
    pairs = sorted(zip(matrix[K.SECTOR_A], matrix[K.SECTOR_B], counts, strict=True), key=lambda p: (at[p[0]], at[p[1]]))
    for a, b, count in pairs:  # in vocabulary order, whatever the order of the rows
        hidden = pd.isna(count)
        shown = TB.SUPPRESSED if hidden else FMT.count(float(count), lang)
        if a == b:
            within[a] = shown
        if not hidden and count == 0:
            continue
        i, j = at[a], at[b]
        if a == b:
            xs, ys, (lx, ly) = _loop(float(x[i]), float(y[i]))
        else:
            xs, ys = [float(x[i]), float(x[j])], [float(y[i]), float(y[j])]
            lx, ly = xs[0] + LABEL_AT * (xs[1] - xs[0]), ys[0] + LABEL_AT * (ys[1] - ys[0])
        width = EDGE_MIN if hidden or top == 0 else EDGE_MIN + (EDGE_MAX - EDGE_MIN) * float(count) / top
        colour = HIDDEN_EDGE if hidden else CROSS_EDGE if a != b else WITHIN_EDGE
        traces.append(_lines(list(xs), list(ys), round(width, 2), colour, "dash" if hidden else "solid"))
        pair = f"{labels.get(a, a)} × {labels.get(b, b)}"
        text["x"].append(round(lx, 6))
        text["y"].append(round(ly, 6))
        text["text"].append(shown)
        text["hovertext"].append(f"{pair}{colon}{shown}")
    traces.append(
        {
            "type": "scatter",
            "mode": "text",
            **text,
            "textfont": {"size": 13, "color": TEXT},
            "hovertemplate": "%{hovertext}<extra></extra>",
            "showlegend": False,
        }
    )
    names = [f"{labels.get(c, c)}" + (f" ({size[c]})" if c in size else "") for c in codes]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": x.tolist(),
            "y": y.tolist(),
            "text": names,
            "textposition": ["top center" if v < -0.1 else "bottom center" for v in y],
            "hovertext": [_group_hover(labels.get(c, c), size.get(c), within.get(c), lang) for c in codes],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {
                "size": [BAND_SIZES.get(size.get(c, ""), GROUP_NODE) for c in codes],
                "color": [GROUP_COLOURS.get(c, PRIMARY) for c in codes],
                "line": {"width": 1, "color": TEXT},
                "opacity": 1,
            },
            "cliponaxis": False,
            "showlegend": False,
        }
    )
    every_x = [v for trace in traces for v in trace["x"]]
    every_y = [v for trace in traces for v in trace["y"]]
    return {"data": traces, "layout": _graph_layout(every_x, every_y, lang, 0.18)}


def legend_items(group_labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """(colour, label) of every sector group, in vocabulary order, for the graph's legend."""
    return [(GROUP_COLOURS.get(code, PRIMARY), label) for code, label in group_labels.items()]


def org_label(name: object, sector: str, pseudonym: int, labels: Mapping[str, str]) -> str:
    """The consented name, else the stable pseudonym: sector label and number ("NGO / social services 7")."""
    if isinstance(name, str) and name.strip():
        return name
    return f"{labels.get(sector, sector)} {int(pseudonym)}"


class Capped(NamedTuple):
    """The organisations and ties a capped graph draws, and what it leaves out."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    rest: pd.DataFrame  # organisations not drawn
    ties_not_drawn: int


def capped(nodes: pd.DataFrame, edges: pd.DataFrame, limit: int) -> Capped:
    """The ``limit`` best-ranked organisations of a view (most partners first) and the ties among them.

    Ranks and positions come with the release (``network_layout``); a release without them is ranked here by
    degree, then betweenness, then node id.
    """
    if NS.DRAW_RANK in nodes:
        ranks = nodes[NS.DRAW_RANK].to_numpy()
    else:
        ranks = NS.draw_ranks(nodes[K.NODE], nodes[K.DEGREE], nodes[K.BETWEENNESS])
    keep = ranks <= limit
    drawn = nodes[keep]
    ids = set(drawn[K.NODE])
    among = edges[K.SOURCE].isin(ids).to_numpy() & edges[K.TARGET].isin(ids).to_numpy()
    return Capped(drawn, edges[among], nodes[~keep], int((~among).sum()))


def undrawn_by_sector(rest: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Organisations not drawn, per sector: how many and how many partners they have (sector order of labels)."""
    per = rest.groupby(C.SECTOR, sort=False).agg(organisations=(K.NODE, "size"), partners=(K.DEGREE, "sum"))
    order = [code for code in labels if code in per.index]
    per = per.reindex(order).reset_index()
    per[C.SECTOR] = per[C.SECTOR].map(labels)
    return per


def org_labels(nodes: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """Every organisation's label (``org_label``), in row order."""
    return [
        org_label(name, sector, pseudo, labels)
        for name, sector, pseudo in zip(nodes[K.NAME], nodes[C.SECTOR], nodes[K.PSEUDONYM], strict=True)
    ]


def org_positions(nodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The positions published with the release (``network_layout``; y turned up, as a screen's y runs down), or,
    when any organisation has none, a circle in drawing-rank order (most partners first, from the top, clockwise)."""
    if len(nodes) and NS.X in nodes and NS.Y in nodes and nodes[[NS.X, NS.Y]].notna().all(axis=None):
        return nodes[NS.X].to_numpy(dtype=float), -nodes[NS.Y].to_numpy(dtype=float)
    if NS.DRAW_RANK in nodes:
        ranks = nodes[NS.DRAW_RANK].to_numpy()
    else:
        ranks = NS.draw_ranks(nodes[K.NODE], nodes[K.DEGREE], nodes[K.BETWEENNESS])
    order = np.argsort(ranks, kind="stable")
    cx, cy = circle_positions(len(nodes))
    x, y = np.empty(len(nodes)), np.empty(len(nodes))
    x[order], y[order] = cx, cy
    return x, y


def _org_hover(name: str, sector: str, degree: float, between: float, lang: str) -> str:
    """An organisation's label, sector, partners and betweenness, numbers in the reader's language."""
    colon = t("punct.colon", lang)
    return "<br>".join(
        [
            escape(name, quote=False),  # a name as its organisation wrote it: no markup of plotly's
            sector,
            f"{t('network.col.degree', lang)}{colon}{FMT.count(degree, lang)}",
            f"{t('network.col.betweenness', lang)}{colon}{FMT.decimal(between, lang, 3)}",
        ]
    )


def org_figure(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    labels: Mapping[str, str],
    group_of: Mapping[str, str],
    size_by: str = K.DEGREE,
    lang: str = "en",
) -> Figure:
    """Coalition tier: organisations coloured by sector group, shaped by sector, sized by degree or betweenness,
    at their published positions; ties as lines, wider with more types of collaboration, blue across sectors.

    Hovering an organisation gives its label (the name only with consent), sector, partners and betweenness.
    """
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}")
    x, y = org_positions(nodes)
    row = {node: i for i, node in enumerate(nodes[K.NODE])}
    bands: dict[tuple[float, bool], tuple[list[float | None], list[float | None]]] = {}
    for s, d, cross, types in zip(edges[K.SOURCE], edges[K.TARGET], edges[K.CROSS], edges[K.TIE_TYPES], strict=True):
        if s not in row or d not in row:
            continue
        xs, ys = bands.setdefault((round(EDGE_BASE + TIE_WIDTH * float(types), 2), bool(cross)), ([], []))
        xs += [float(x[row[s]]), float(x[row[d]]), None]
        ys += [float(y[row[s]]), float(y[row[d]]), None]
    traces = [
        _lines(xs, ys, width, CROSS_EDGE if cross else WITHIN_EDGE)
        for (width, cross), (xs, ys) in sorted(bands.items())
    ]
    shapes = sector_shapes(group_of)
    sectors = nodes[C.SECTOR].tolist()
    names = org_labels(nodes, labels)
    hover = [
        _org_hover(name, labels.get(sector, sector), degree, between, lang)
        for name, sector, degree, between in zip(names, sectors, nodes[K.DEGREE], nodes[K.BETWEENNESS], strict=True)
    ]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": x.tolist(),
            "y": y.tolist(),
            "text": hover,
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "size": [round(float(v), 1) for v in _scale(nodes[size_by], NODE_MIN, NODE_MAX)],
                "color": [GROUP_COLOURS.get(group_of.get(s, ""), PRIMARY) for s in sectors],
                "symbol": [shapes.get(s, SHAPES[0]) for s in sectors],
                "line": {"width": 1, "color": TEXT},
                "opacity": 1,
            },
            "cliponaxis": False,
            "showlegend": False,
        }
    )
    return {"data": traces, "layout": _graph_layout(x.tolist(), y.tolist(), lang, 0.04)}
