"""Figure builders of the explore page: a published view in, a plotly figure (as a dict) out.

Suppressed cells are never drawn as zero: a bar is left out and its label reads ``x``; a heatmap cell is
blank with ``x`` as its text. Colours come from the Okabe–Ito palette and a blue sequential scale.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.figures.theme import OKABE_ITO, PRIMARY, TEXT, base_layout
from dashboard.release import dims as D
from dashboard.release import table as TB

SELECTED = OKABE_ITO[1]
SEQUENTIAL = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]


def _labels(values: pd.Series, labels: Mapping[str, str]) -> list[str]:
    return [labels.get(str(v), str(v)) for v in values]


def _count_text(counts: pd.Series) -> list[str]:
    return [TB.SUPPRESSED if pd.isna(c) else f"{int(c):,}" for c in counts]


def bars(frame: pd.DataFrame, dim: str, labels: Mapping[str, str], selected: str | None, axis_title: str) -> dict:
    """Horizontal bars of respondents by ``dim`` (largest first); the selected category is highlighted."""
    rows = frame[frame[dim] != D.ANY].copy()
    rows["_sort"] = rows[TB.COUNT].astype("Float64").fillna(-1)
    rows = rows.sort_values("_sort", kind="stable")
    counts = rows[TB.COUNT].astype("Float64")
    colours = [SELECTED if str(v) == selected else PRIMARY for v in rows[dim]]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": _labels(rows[dim], labels),
        "x": [None if pd.isna(c) else float(c) for c in counts],
        "customdata": [str(v) for v in rows[dim]],
        "text": _count_text(counts),
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": colours},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    height = max(220, 28 * len(rows) + 60)
    return {
        "data": [trace],
        "layout": base_layout(
            height,
            xaxis={"title": {"text": axis_title}, "rangemode": "tozero", "gridcolor": "#d9d9d9"},
            yaxis={"automargin": True},
        ),
    }


def heatmap(
    frame: pd.DataFrame, row_dim: str, col_dim: str, row_labels: Mapping[str, str], col_labels: Mapping[str, str]
) -> dict:
    rows = frame[(frame[row_dim] != D.ANY) & (frame[col_dim] != D.ANY)]
    row_order = [c for c in row_labels if c in set(rows[row_dim])]
    col_order = [c for c in col_labels if c in set(rows[col_dim])]
    grid = rows.pivot_table(index=row_dim, columns=col_dim, values=TB.COUNT, aggfunc="first", dropna=False)
    grid = grid.reindex(index=row_order, columns=col_order)
    z = [[None if pd.isna(v) else float(v) for v in r] for r in grid.to_numpy()]
    text = [[TB.SUPPRESSED if pd.isna(v) else f"{int(v):,}" for v in r] for r in grid.to_numpy()]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [col_labels[c] for c in col_order],
        "y": [row_labels[r] for r in row_order],
        "customdata": [[[r, c] for c in col_order] for r in row_order],
        "text": text,
        "texttemplate": "%{text}",
        "colorscale": SEQUENTIAL,
        "hovertemplate": "%{y} × %{x}: %{text}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
        "showscale": True,
        "colorbar": {"thickness": 12},
    }
    return {
        "data": [trace],
        "layout": base_layout(
            max(260, 30 * len(row_order) + 140),
            xaxis={"tickangle": -35, "automargin": True},
            yaxis={"automargin": True},
        ),
    }


def trend(frame: pd.DataFrame, item: str, category: str, axis_title: str) -> dict:
    """The share answering ``category`` by wave, with its 95% interval as a band."""
    rows = frame[frame[item] == category].sort_values(D.WAVE)
    waves = [str(w) for w in rows[D.WAVE]]
    pct = [None if pd.isna(v) else float(v) for v in rows[TB.PCT]]
    lo = [None if pd.isna(v) else float(v) for v in rows[TB.CI_LO]]
    hi = [None if pd.isna(v) else float(v) for v in rows[TB.CI_HI]]
    k_of_n = [
        TB.SUPPRESSED if pd.isna(p) else f"{int(k)} of {int(n)}"
        for k, n, p in zip(rows[TB.COUNT], rows[TB.N], rows[TB.PCT], strict=True)
    ]
    band = [
        {
            "type": "scatter",
            "x": waves,
            "y": hi,
            "mode": "lines",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "connectgaps": False,
        },
        {
            "type": "scatter",
            "x": waves,
            "y": lo,
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": "rgba(0,114,178,0.18)",
            "hoverinfo": "skip",
            "connectgaps": False,
        },
    ]
    line = {
        "type": "scatter",
        "x": waves,
        "y": pct,
        "mode": "lines+markers",
        "line": {"color": PRIMARY, "width": 3},
        "marker": {"size": 8},
        "customdata": k_of_n,
        "connectgaps": False,
        "hovertemplate": "%{x}: %{y:.1f}% (%{customdata})<extra></extra>",
    }
    return {
        "data": [*band, line],
        "layout": base_layout(
            300,
            xaxis={"type": "category"},
            yaxis={"title": {"text": axis_title}, "range": [0, 100], "ticksuffix": "%", "gridcolor": "#d9d9d9"},
        ),
    }


def map_figure(
    provinces: pd.DataFrame | None,
    cities: pd.DataFrame | None,
    province_labels: Mapping[str, str],
    city_points: Mapping[str, tuple[float, float, str]],
    geojson_url: str,
    selected: str | None,
) -> dict:
    """Provinces shaded by respondents and cities as sized markers, drawn from local map files only."""
    data: list[dict] = []
    if provinces is not None:
        shown = provinces[provinces[TB.COUNT].notna()]
        data.append(
            {
                "type": "choropleth",
                "geojson": geojson_url,
                "featureidkey": "properties.code",
                "locations": [str(p) for p in shown[D.PROVINCE]],
                "z": [float(c) for c in shown[TB.COUNT]],
                "text": [province_labels.get(str(p), str(p)) for p in shown[D.PROVINCE]],
                "customdata": [["province", str(p)] for p in shown[D.PROVINCE]],
                "colorscale": SEQUENTIAL,
                "marker": {"line": {"color": "#ffffff", "width": 1}},
                "hovertemplate": "%{text}: %{z:,}<extra></extra>",
                "colorbar": {"thickness": 12, "len": 0.6},
            }
        )
    if cities is not None:
        rows = cities[cities[D.CITY].isin(list(city_points))]
        counts = rows[TB.COUNT].astype("Float64")
        top = max(float(counts.max()), 1.0) if counts.notna().any() else 1.0
        data.append(
            {
                "type": "scattergeo",
                "lat": [city_points[c][0] for c in rows[D.CITY]],
                "lon": [city_points[c][1] for c in rows[D.CITY]],
                "text": [f"{city_points[c][2]}: {t}" for c, t in zip(rows[D.CITY], _count_text(counts), strict=True)],
                "customdata": [["city", str(c)] for c in rows[D.CITY]],
                "mode": "markers",
                "marker": {
                    "size": [8 if pd.isna(c) else 8 + 28 * (float(c) / top) ** 0.5 for c in counts],
                    "color": [SELECTED if str(c) == selected else OKABE_ITO[5] for c in rows[D.CITY]],
                    "line": {"color": TEXT, "width": 1},
                    "opacity": 0.85,
                },
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    geo = {
        "scope": "north america",
        "projection": {"type": "conic conformal", "parallels": [49, 77], "rotation": {"lon": -100}},
        "lataxis": {"range": [41, 62]},
        "lonaxis": {"range": [-135, -70]},
        "showland": True,
        "landcolor": "#f3f5f8",
        "showcountries": True,
        "countrycolor": "#9aa3ad",
        "showlakes": False,
        "bgcolor": "#ffffff",
    }
    return {"data": data, "layout": base_layout(420, geo=geo, margin={"l": 0, "r": 0, "t": 0, "b": 0})}
