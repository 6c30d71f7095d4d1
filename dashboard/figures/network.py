"""The network graph's pure builders: published node, edge and tie-matrix rows in, cytoscape elements out.

Its colours, shapes and stylesheet, the cap on organisations drawn and the table of those left out (charts and
sentences are ``dashboard.figures.network_charts``). Inputs are rows of the tables ``dashboard.release.network``
publishes (already filtered to one view); labels of codes arrive as plain dicts, so nothing here reads a release,
a vocabulary file or microdata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from dashboard.data.schema import C
from dashboard.figures.theme import OKABE_ITO, PRIMARY, TEXT
from dashboard.published import network_schema as NS
from dashboard.published import table as TB
from dashboard.published.network_schema import K

Elements = list[dict[str, Any]]

GROUP_COLOURS: Final = dict(
    zip(("enforcement_border", "government", "community_settlement", "health_legal_other"), OKABE_ITO, strict=False)
)
SHAPES: Final = ("ellipse", "rectangle", "triangle", "diamond", "hexagon", "star")
NODE_MIN, NODE_MAX = 18.0, 60.0
GROUP_NODE: Final = 54.0
BAND_SIZES: Final = {"1-4": 30.0, "5-9": 40.0, "10-24": 52.0, "25-49": 64.0, "50+": 76.0}
EDGE_MIN, EDGE_MAX = 1.5, 12.0
HIDDEN_EDGE: Final = "#767676"
SIZE_BY: Final = (K.DEGREE, K.BETWEENNESS)

STYLESHEET: Final = [
    {
        "selector": "node",
        "style": {
            "label": "data(label)",
            "background-color": "data(colour)",
            "shape": "data(shape)",
            "width": "data(size)",
            "height": "data(size)",
            "color": TEXT,
            "font-size": 11,
            "text-wrap": "wrap",
            "text-max-width": 120,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "min-zoomed-font-size": 8,
            "border-width": 1,
            "border-color": TEXT,
        },
    },
    {
        "selector": "edge",
        "style": {
            "width": "data(width)",
            "line-color": "#8a8a8a",
            "line-style": "data(line)",
            "curve-style": "bezier",
            "opacity": 0.75,
        },
    },
    {
        "selector": "edge[label]",
        "style": {
            "label": "data(label)",
            "font-size": 12,
            "text-background-opacity": 1,
            "text-background-color": "#ffffff",
            "color": TEXT,
        },
    },
    {"selector": "edge[?cross]", "style": {"line-color": "#0b5394"}},
    {"selector": "edge[line = 'dashed']", "style": {"line-color": HIDDEN_EDGE}},
]


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


def group_elements(matrix: pd.DataFrame, labels: Mapping[str, str], bands: pd.DataFrame | None = None) -> Elements:
    """Sector groups as nodes and their published tie counts as edges (hidden counts: dashed, labelled ``x``).

    ``bands`` (funder tier) sizes the nodes by the banded number of organisations; otherwise nodes are equal.
    """
    size = dict(zip(bands[K.SECTOR_A], bands[K.SIZE_BAND], strict=True)) if bands is not None else {}
    codes = list(dict.fromkeys([*matrix[K.SECTOR_A], *matrix[K.SECTOR_B]]))
    nodes = [
        {
            "data": {
                "id": code,
                "label": f"{labels.get(code, code)}" + (f" ({size[code]})" if code in size else ""),
                "colour": GROUP_COLOURS.get(code, PRIMARY),
                "shape": "ellipse",
                "size": BAND_SIZES.get(size.get(code, ""), GROUP_NODE),
            }
        }
        for code in codes
    ]
    counts = matrix[TB.COUNT].astype("Float64")
    top = float(counts.max()) if counts.notna().any() else 0.0
    edges = []
    for a, b, count in zip(matrix[K.SECTOR_A], matrix[K.SECTOR_B], counts, strict=True):
        hidden = pd.isna(count)
        if not hidden and count == 0:
            continue
        width = EDGE_MIN if hidden or top == 0 else EDGE_MIN + (EDGE_MAX - EDGE_MIN) * float(count) / top
        edges.append(
            {
                "data": {
                    "id": f"{a}--{b}",
                    "source": a,
                    "target": b,
                    "label": TB.SUPPRESSED if hidden else str(int(count)),
                    "width": round(width, 2),
                    "line": "dashed" if hidden else "solid",
                    "cross": a != b,
                }
            }
        )
    return nodes + edges


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


def _position(x: float | None, y: float | None) -> dict[str, Any]:
    return {} if pd.isna(x) or pd.isna(y) else {"position": {"x": float(x), "y": float(y)}}


def org_elements(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    labels: Mapping[str, str],
    group_of: Mapping[str, str],
    size_by: str = K.DEGREE,
) -> Elements:
    """Coalition tier: organisations coloured by sector group, shaped by sector, sized by degree or betweenness."""
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}")
    shapes = sector_shapes(group_of)
    sizes = _scale(nodes[size_by], NODE_MIN, NODE_MAX)
    xs = nodes[NS.X] if NS.X in nodes else pd.Series(np.nan, index=nodes.index)
    ys = nodes[NS.Y] if NS.Y in nodes else pd.Series(np.nan, index=nodes.index)
    out: Elements = [
        {
            "data": {
                "id": node,
                "label": org_label(name, sector, pseudo, labels),
                "colour": GROUP_COLOURS.get(group_of.get(sector, ""), PRIMARY),
                "shape": shapes.get(sector, "ellipse"),
                "size": round(float(size), 1),
            },
            **_position(x, y),
        }
        for node, name, sector, pseudo, size, x, y in zip(
            nodes[K.NODE], nodes[K.NAME], nodes[C.SECTOR], nodes[K.PSEUDONYM], sizes, xs, ys, strict=True
        )
    ]
    out += [
        {
            "data": {
                "id": f"{s}--{d}",
                "source": s,
                "target": d,
                "width": round(EDGE_MIN + float(w - 1), 2),
                "line": "solid",
                "cross": bool(c),
            }
        }
        for s, d, c, w in zip(edges[K.SOURCE], edges[K.TARGET], edges[K.CROSS], edges[K.TIE_TYPES], strict=True)
    ]
    return out
