"""Figure builders of the explore page: a published view in, a plotly figure (as a dict) out.

Suppressed cells are never drawn as zero: a bar is left out and its label reads ``x``; a heatmap cell is
blank with ``x`` as its text. Colours come from the Okabe–Ito palette and a blue sequential scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard import formatting as FMT
from dashboard.figures.theme import GRID, OKABE_ITO, PRIMARY, SEQUENTIAL, TEXT, base_layout, value_axis
from dashboard.i18n import t
from dashboard.published import dims as D
from dashboard.published import table as TB

SELECTED = OKABE_ITO[1]

# Published rows: a DataFrame, or a dict of numpy columns (the explore page's fast path).
Rows = Mapping[str, Any] | pd.DataFrame


def numbers(rows: Rows, col: str) -> np.ndarray:
    """A measure as floats, NaN where it is not published."""
    values = rows[col]
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return values
    return pd.Series(values).astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def codes(rows: Rows, col: str) -> np.ndarray:
    """A dimension's category codes as an array of strings."""
    values = rows[col]
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    return np.asarray([str(v) for v in values], dtype=object)


def _floats(values: np.ndarray) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values.tolist()]


def count_text(counts: np.ndarray, lang: str = "en") -> list[str]:
    """Counts as chart labels in the language ("1,234" / "1 234"), ``x`` where hidden."""
    return [FMT.count(c, lang) for c in counts.tolist()]


def bars(
    rows: Rows, dim: str, labels: Mapping[str, str], selected: str | None, axis_title: str, lang: str = "en"
) -> dict:
    """Horizontal bars of respondents by ``dim`` (largest first); the selected category is highlighted."""
    cats, counts = codes(rows, dim), numbers(rows, TB.COUNT)
    keep = cats != D.ANY
    cats, counts = cats[keep], counts[keep]
    order = np.argsort(np.where(np.isnan(counts), -1.0, counts), kind="stable")
    cats, counts = cats[order].tolist(), counts[order]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": [labels.get(c, c) for c in cats],
        "x": _floats(counts),
        "customdata": cats,
        "text": count_text(counts, lang),
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": [SELECTED if c == selected else PRIMARY for c in cats]},
        "hovertemplate": f"%{{y}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
    }
    height = max(220, 28 * len(cats) + 60)
    return {
        "data": [trace],
        "layout": base_layout(
            height,
            lang=lang,
            xaxis={"title": {"text": axis_title}, "rangemode": "tozero", "gridcolor": GRID, **value_axis(counts)},
            yaxis={"automargin": True},
        ),
    }


def heatmap(
    rows: Rows,
    row_dim: str,
    col_dim: str,
    row_labels: Mapping[str, str],
    col_labels: Mapping[str, str],
    lang: str = "en",
) -> dict:
    r_codes, c_codes, counts = codes(rows, row_dim), codes(rows, col_dim), numbers(rows, TB.COUNT)
    keep = (r_codes != D.ANY) & (c_codes != D.ANY)
    r_codes, c_codes, counts = r_codes[keep].tolist(), c_codes[keep].tolist(), counts[keep].tolist()
    row_order = [c for c in row_labels if c in set(r_codes)]
    col_order = [c for c in col_labels if c in set(c_codes)]
    at = {(r, c): v for r, c, v in zip(r_codes, c_codes, counts, strict=True)}
    grid = [[at.get((r, c), float("nan")) for c in col_order] for r in row_order]
    z = [[None if np.isnan(v) else float(v) for v in line] for line in grid]
    text = [[FMT.count(v, lang) for v in line] for line in grid]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [col_labels[c] for c in col_order],
        "y": [row_labels[r] for r in row_order],
        "customdata": [[[r, c] for c in col_order] for r in row_order],
        "text": text,
        "texttemplate": "%{text}",
        "colorscale": SEQUENTIAL,
        "hovertemplate": f"%{{y}} × %{{x}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
        "showscale": True,
        "colorbar": {"thickness": 12},
    }
    return {
        "data": [trace],
        "layout": base_layout(
            max(260, 30 * len(row_order) + 140),
            lang=lang,
            xaxis={"tickangle": -35, "automargin": True},
            yaxis={"automargin": True},
        ),
    }


def trend(rows: Rows, item: str, category: str, axis_title: str, lang: str = "en") -> dict:
    """The share answering ``category`` by wave, with its 95% interval as a band."""
    keep = np.flatnonzero(codes(rows, item) == category)
    wave_values = np.asarray(rows[D.WAVE])[keep]
    order = keep[np.argsort(wave_values, kind="stable")]
    waves = [str(w) for w in np.asarray(rows[D.WAVE])[order].tolist()]
    pct_v, k_v, n_v = numbers(rows, TB.PCT)[order], numbers(rows, TB.COUNT)[order], numbers(rows, TB.N)[order]
    pct = _floats(pct_v)
    lo = _floats(numbers(rows, TB.CI_LO)[order])
    hi = _floats(numbers(rows, TB.CI_HI)[order])
    k_of_n = [
        TB.SUPPRESSED if np.isnan(p) else t("number.k_of_n", lang, k=FMT.count(k, lang), n=FMT.count(n, lang))
        for k, n, p in zip(k_v.tolist(), n_v.tolist(), pct_v.tolist(), strict=True)
    ]
    shares = [FMT.SUPPRESSED if np.isnan(p) else t("number.percent", lang, pct=FMT.share(p, lang)) for p in pct_v]
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
        "text": shares,
        "connectgaps": False,
        "hovertemplate": f"%{{x}}{t('punct.colon', lang)}%{{text}} (%{{customdata}})<extra></extra>",
    }
    return {
        "data": [*band, line],
        "layout": base_layout(
            300,
            lang=lang,
            xaxis={"type": "category"},
            yaxis={
                "title": {"text": axis_title},
                "range": [0, 100],
                "ticksuffix": t("number.percent", lang, pct=""),
                "gridcolor": GRID,
            },
        ),
    }


def map_figure(
    provinces: Rows | None,
    cities: Rows | None,
    province_labels: Mapping[str, str],
    city_points: Mapping[str, tuple[float, float, str]],
    geojson_url: str,
    selected: str | None,
    lang: str = "en",
) -> dict:
    """Provinces shaded by respondents and cities as sized markers, drawn from local map files only."""
    data: list[dict] = []
    if provinces is not None:
        counts = numbers(provinces, TB.COUNT)
        shown = ~np.isnan(counts)
        codes_shown = codes(provinces, D.PROVINCE)[shown].tolist()
        data.append(
            {
                "type": "choropleth",
                "geojson": geojson_url,
                "featureidkey": "properties.code",
                "locations": codes_shown,
                "z": counts[shown].tolist(),
                "text": [province_labels.get(p, p) for p in codes_shown],
                "customdata": [["province", p] for p in codes_shown],
                "colorscale": SEQUENTIAL,
                "marker": {"line": {"color": "#ffffff", "width": 1}},
                "hovertemplate": f"%{{text}}{t('punct.colon', lang)}%{{z:,}}<extra></extra>",
                "colorbar": {"thickness": 12, "len": 0.6},
            }
        )
    if cities is not None:
        all_codes = codes(cities, D.CITY)
        known = np.asarray([c in city_points for c in all_codes.tolist()], dtype=bool)
        names, counts = all_codes[known].tolist(), numbers(cities, TB.COUNT)[known]
        top = max(float(np.nanmax(counts)), 1.0) if (~np.isnan(counts)).any() else 1.0
        data.append(
            {
                "type": "scattergeo",
                "lat": [city_points[c][0] for c in names],
                "lon": [city_points[c][1] for c in names],
                "text": [
                    t("label.value", lang, label=city_points[c][2], value=n)
                    for c, n in zip(names, count_text(counts, lang), strict=True)
                ],
                "customdata": [["city", c] for c in names],
                "mode": "markers",
                "marker": {
                    "size": [8 if np.isnan(c) else 8 + 28 * (float(c) / top) ** 0.5 for c in counts.tolist()],
                    "color": [SELECTED if c == selected else OKABE_ITO[5] for c in names],
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
    return {"data": data, "layout": base_layout(420, lang=lang, geo=geo, margin={"l": 0, "r": 0, "t": 0, "b": 0})}
