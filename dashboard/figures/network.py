"""Pure builders for the network page: a published network table in, cytoscape elements, a figure or text out.

Inputs are rows of the tables ``dashboard.release.network`` publishes (already filtered to one view); labels of
codes arrive as plain dicts, so nothing here reads a release, a vocabulary file or microdata.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting as FMT
from dashboard.data.schema import C
from dashboard.figures.theme import OKABE_ITO, PRIMARY, TEXT, styled
from dashboard.i18n import t
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
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "\0")

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


def _position(x: object, y: object) -> dict[str, Any]:
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


def square(matrix: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The symmetric code × code matrix of published counts (NaN where hidden)."""
    grid = pd.DataFrame(np.nan, index=codes, columns=codes)
    for a, b, count in zip(matrix[K.SECTOR_A], matrix[K.SECTOR_B], matrix[TB.COUNT].astype("Float64"), strict=True):
        value = np.nan if pd.isna(count) else float(count)
        grid.loc[a, b] = grid.loc[b, a] = value
    return grid


def heatmap(matrix: pd.DataFrame, labels: Mapping[str, str], lang: str = "en") -> go.Figure:
    """Sector × sector tie counts; a hidden cell is blank with an ``x``."""
    codes = [c for c in labels if c in set(matrix[K.SECTOR_A]) | set(matrix[K.SECTOR_B])]
    grid = square(matrix, codes)
    names = [labels[c] for c in codes]
    text = [[TB.SUPPRESSED if np.isnan(v) else f"{int(v)}" for v in row] for row in grid.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=names,
            y=names,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            colorbar={"title": {"text": t("network.axis.ties", lang)}},
            hovertemplate="%{y} × %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)")
    fig.update_xaxes(automargin=True, tickangle=-30, gridcolor="rgba(0,0,0,0)")
    return styled(fig, height=max(360, 40 * len(codes) + 160))


def share_trend(metrics: pd.DataFrame, lang: str = "en") -> go.Figure:
    """The cross-sector share of ties per wave (hidden waves are gaps)."""
    pct = metrics[K.CROSS_SHARE].astype("Float64")
    labels = [TB.SUPPRESSED if pd.isna(v) else f"{float(v):.1f}%" for v in pct]
    fig = go.Figure(
        go.Scatter(
            x=metrics["wave"].astype(str),
            y=pct.astype(float),
            mode="lines+markers+text",
            text=labels,
            textposition="top center",
            line={"color": PRIMARY, "width": 3},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("axis.wave", lang), type="category")
    fig.update_yaxes(title_text=t("network.axis.cross_share", lang), range=[0, 100])
    return styled(fig)


def contact_bars(contact: pd.DataFrame, band_labels: Mapping[str, str], lang: str = "en") -> go.Figure:
    """Share of respondents reporting contact by their organisation's cross-sector ties, with 95% intervals."""
    pct = contact[TB.PCT].astype("Float64")
    lo = (pct - contact[TB.CI_LO].astype("Float64")).astype(float)
    hi = (contact[TB.CI_HI].astype("Float64") - pct).astype(float)
    text = [
        TB.SUPPRESSED if pd.isna(p) else f"{float(p):.1f}% ({int(k)} / {int(n)}){' ' + f if f else ''}"
        for p, k, n, f in zip(pct, contact[TB.COUNT], contact[TB.N], contact[TB.PCT_FLAG], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=[band_labels.get(b, b) for b in contact[K.BAND]],
            y=pct.fillna(0).astype(float),
            error_y={"type": "data", "symmetric": False, "array": hi.fillna(0), "arrayminus": lo.fillna(0)},
            marker_color=OKABE_ITO[2],
            text=text,
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("network.axis.band", lang), type="category")
    fig.update_yaxes(title_text=t("network.axis.contact_share", lang), range=[0, 110])
    return styled(fig)


# -------------------------------------------------------------------------------------------------- summaries


def matrix_summary(matrix: pd.DataFrame, labels: Mapping[str, str], lang: str = "en") -> str:
    """One sentence: the largest published pair and how many cells are hidden."""
    counts = matrix[TB.COUNT].astype("Float64")
    hidden = int(counts.isna().sum())
    if not (counts.fillna(0) > 0).any():
        return t("network.summary.matrix_empty", lang, hidden=hidden, cells=len(matrix))
    best = matrix.loc[counts.fillna(-1).astype(float).idxmax()]
    key = "network.summary.matrix_within" if best[K.SECTOR_A] == best[K.SECTOR_B] else "network.summary.matrix"
    return t(
        key,
        lang,
        a=labels.get(best[K.SECTOR_A], best[K.SECTOR_A]),
        b=labels.get(best[K.SECTOR_B], best[K.SECTOR_B]),
        count=int(best[TB.COUNT]),
        hidden=hidden,
        cells=len(matrix),
    )


def org_summary(
    nodes: pd.DataFrame, edges: pd.DataFrame, brokers: pd.DataFrame, labels: Mapping[str, str], lang: str = "en"
) -> str:
    """One sentence: organisations, ties, how many are named, the top broker."""
    if nodes.empty:
        return t("network.summary.no_ties", lang)
    top = brokers.sort_values(K.RANK).head(1)
    broker = (
        org_label(top[K.NAME].iloc[0], top["sector"].iloc[0], top[K.PSEUDONYM].iloc[0], labels)
        if not top.empty
        else t("network.none", lang)
    )
    return t(
        "network.summary.orgs",
        lang,
        orgs=len(nodes),
        ties=len(edges),
        named=int(nodes[K.NAME].notna().sum()),
        broker=broker,
    )


def trend_summary(metrics: pd.DataFrame, lang: str = "en") -> str:
    shown = metrics[metrics[K.CROSS_SHARE].notna()]
    if shown.empty:
        return t("network.summary.trend_empty", lang)
    first, last = shown.iloc[0], shown.iloc[-1]
    return t(
        "network.summary.trend",
        lang,
        first=FMT.share(first[K.CROSS_SHARE], lang),
        first_wave=int(first["wave"]),
        last=FMT.share(last[K.CROSS_SHARE], lang),
        last_wave=int(last["wave"]),
    )


def contact_summary(contact: pd.DataFrame, band_labels: Mapping[str, str], lang: str = "en") -> str:
    shown = contact[contact[TB.PCT].notna()]
    if shown.empty:
        return t("network.summary.contact_empty", lang)
    pct = shown[TB.PCT].astype(float)
    lo, hi = shown.loc[pct.idxmin()], shown.loc[pct.idxmax()]
    return t(
        "network.summary.contact",
        lang,
        low=FMT.share(lo[TB.PCT], lang),
        low_band=band_labels.get(lo[K.BAND], lo[K.BAND]),
        high=FMT.share(hi[TB.PCT], lang),
        high_band=band_labels.get(hi[K.BAND], hi[K.BAND]),
    )


# ------------------------------------------------------------------------------------------------------ exports


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> str:
    """CSV of a published table with spreadsheet formulas neutralised (headers too); a hidden value is empty."""
    out = frame.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\r\n", na_rep="")  # RFC 4180: a CR in a cell is quoted
    return buffer.getvalue()
