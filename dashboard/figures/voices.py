"""Figure builders of the voices page: rows of the published ``voices_themes`` table in, a plotly figure dict out.

Each builder takes the rows of one breakdown (``method``, ``sector_group`` / ``sector`` or ``city``) as the page
selected them. Hidden counts are never drawn as a value: a bar has no length and is labelled ``x``, a heatmap cell
is blank with ``x`` as its text. Colours come from the Okabe–Ito palette and a blue sequential scale.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import formatting as FMT
from dashboard.data.schema import C
from dashboard.figures.theme import GRID, OKABE_ITO, SEQUENTIAL, base_layout, value_axis
from dashboard.i18n import t
from dashboard.published import table as TB
from dashboard.published.dims import ALL, NONE
from dashboard.published.voices_schema import K

MAX_WRAPPED = 6


def _text(value: float | None, lang: str = "en") -> str:
    return TB.SUPPRESSED if pd.isna(value) else FMT.count(float(value), lang)


def _x(value: float | None) -> float | None:
    return None if pd.isna(value) else float(value)


def wrap(label: str, width: int = 16) -> str:
    """A long axis label broken into lines of about ``width`` characters (plotly breaks lines at ``<br>``)."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def theme_order(rows: pd.DataFrame, theme_labels: Mapping[str, str]) -> list[str]:
    """The themes of ``rows`` in vocabulary order (the labels' order); "any theme" and "no theme" left out."""
    present = set(rows[C.THEME])
    return [code for code in theme_labels if code in present and code not in (ALL, NONE)]


def category_order(rows: pd.DataFrame, category_labels: Mapping[str, str]) -> list[str]:
    """The categories of ``rows`` in the labels' order (the page puts "not stated" last)."""
    present = set(rows[K.CATEGORY])
    return [code for code in category_labels if code in present]


def wide(
    rows: pd.DataFrame, theme_labels: Mapping[str, str], category_labels: Mapping[str, str], lang: str = "en"
) -> pd.DataFrame:
    """Theme × category counts (``x`` where hidden), themes as rows in order: the table view of a chart."""
    themes = [c for c in theme_labels if c in set(rows[C.THEME])]
    cats = category_order(rows, category_labels)
    grid = rows.pivot_table(index=C.THEME, columns=K.CATEGORY, values=TB.COUNT, aggfunc="first", dropna=False)
    grid = grid.reindex(index=themes, columns=cats)
    out = pd.DataFrame({C.THEME: [theme_labels[c] for c in themes]})
    for cat in cats:
        out[category_labels[cat]] = [_text(v, lang) for v in grid[cat]]
    return out


def method_bars(
    rows: pd.DataFrame,
    theme_labels: Mapping[str, str],
    method_labels: Mapping[str, str],
    axis_title: str,
    lang: str = "en",
) -> dict:
    """Grouped horizontal bars: one bar per method within each theme (themes top to bottom in vocabulary order)."""
    themes = theme_order(rows, theme_labels)
    methods = category_order(rows, method_labels)
    y = [theme_labels[c] for c in themes]
    traces, lengths = [], []
    for i, method in enumerate(methods):
        counts = rows[rows[K.CATEGORY] == method].set_index(C.THEME)[TB.COUNT].reindex(themes)
        x = [0.0 if pd.isna(v) else float(v) for v in counts]  # hidden: no bar, only the x label
        lengths += x
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": method_labels[method],
                "y": y,
                "x": x,
                "text": [_text(v, lang) for v in counts],
                "textposition": "outside",
                "cliponaxis": False,
                "marker": {"color": OKABE_ITO[i % len(OKABE_ITO)]},
                "hovertemplate": f"{method_labels[method]} · %{{y}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
            }
        )
    height = max(260, 22 * len(themes) * max(len(methods), 1) + 120)
    return {
        "data": traces,
        "layout": base_layout(
            height,
            lang=lang,
            barmode="group",
            showlegend=True,
            legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
            xaxis={
                "title": {"text": axis_title},
                "rangemode": "tozero",
                "gridcolor": GRID,
                **value_axis(lengths),
            },
            yaxis={"automargin": True, "autorange": "reversed"},
            margin={"l": 16, "r": 40, "t": 16, "b": 16},
        ),
    }


def heatmap(
    rows: pd.DataFrame, theme_labels: Mapping[str, str], category_labels: Mapping[str, str], lang: str = "en"
) -> dict:
    """Theme (rows) × category (columns) heatmap of counts; hidden cells blank with ``x``."""
    themes = theme_order(rows, theme_labels)
    cats = category_order(rows, category_labels)
    grid = rows.pivot_table(index=C.THEME, columns=K.CATEGORY, values=TB.COUNT, aggfunc="first", dropna=False)
    grid = grid.reindex(index=themes, columns=cats)
    values = grid.to_numpy()
    crowded = len(cats) > MAX_WRAPPED  # many columns: slanted labels on one line each
    trace = {
        "type": "heatmap",
        "z": [[_x(v) for v in r] for r in values],
        "x": [category_labels[c] if crowded else wrap(category_labels[c]) for c in cats],
        "y": [theme_labels[c] for c in themes],
        "text": [[_text(v, lang) for v in r] for r in values],
        "texttemplate": "%{text}",
        "colorscale": SEQUENTIAL,
        "hovertemplate": f"%{{y}} × %{{x}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
    }
    return {
        "data": [trace],
        "layout": base_layout(
            max(280, 44 * len(themes) + 140),
            lang=lang,
            xaxis={"side": "top", "automargin": True, "tickangle": -40 if crowded else 0},
            yaxis={"automargin": True, "autorange": "reversed"},
        ),
    }


def method_summary(total: pd.DataFrame, theme_labels: Mapping[str, str], lang: str = "en") -> str:
    """One sentence from the ``total`` rows: the theme coded in the most sources, out of all sources."""
    all_sources = total.loc[total[C.THEME] == ALL, TB.COUNT]
    shown = total[~total[C.THEME].isin((ALL, NONE)) & total[TB.COUNT].notna()]
    if shown.empty or all_sources.empty or pd.isna(all_sources.iloc[0]):
        return t("voices.summary.hidden", lang)
    top = shown.sort_values(TB.COUNT, ascending=False, kind="stable").iloc[0]
    return t(
        "voices.method.summary",
        lang,
        theme=theme_labels.get(top[C.THEME], top[C.THEME]),
        count=FMT.count(top[TB.COUNT], lang),
        total=FMT.count(all_sources.iloc[0], lang),
    )


def heat_summary(
    rows: pd.DataFrame, theme_labels: Mapping[str, str], category_labels: Mapping[str, str], lang: str = "en"
) -> str:
    """One sentence: the largest published theme × category count (stated categories only)."""
    shown = rows[
        ~rows[C.THEME].isin((ALL, NONE)) & (rows[K.CATEGORY] != NONE) & rows[TB.COUNT].notna() & (rows[TB.COUNT] > 0)
    ]
    if shown.empty:
        return t("voices.summary.hidden", lang)
    top = shown.sort_values(TB.COUNT, ascending=False, kind="stable").iloc[0]
    return t(
        "voices.heat.summary",
        lang,
        theme=theme_labels.get(top[C.THEME], top[C.THEME]),
        category=category_labels.get(top[K.CATEGORY], top[K.CATEGORY]),
        count=FMT.count(top[TB.COUNT], lang),
    )
