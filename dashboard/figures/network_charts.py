"""Charts and sentences of the network page: a published network table in, a figure dict or one sentence out.

The sector × sector heatmap, the cross-sector share by wave, contact by cross-sector ties, and the text summary of
each (the graph's own elements are ``dashboard.figures.network``). Labels and numbers are written in the reader's
language through ``dashboard.formatting``; hidden values read ``x`` and are never drawn as a value.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard import formatting as FMT
from dashboard.figures.network import org_label
from dashboard.figures.theme import OKABE_ITO, PRIMARY, SEQUENTIAL, base_layout, category_figure
from dashboard.i18n import t
from dashboard.published import table as TB
from dashboard.published.network_schema import K

NO_GRID = "rgba(0,0,0,0)"


def _percent(value: float, lang: str) -> str:
    return t("number.percent", lang, pct=FMT.share(float(value), lang))


def square(matrix: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The symmetric code × code matrix of published counts (NaN where hidden)."""
    grid = pd.DataFrame(np.nan, index=codes, columns=codes)
    for a, b, count in zip(matrix[K.SECTOR_A], matrix[K.SECTOR_B], matrix[TB.COUNT].astype("Float64"), strict=True):
        value = np.nan if pd.isna(count) else float(count)
        grid.loc[a, b] = grid.loc[b, a] = value
    return grid


def heatmap(matrix: pd.DataFrame, labels: Mapping[str, str], lang: str = "en") -> dict:
    """Sector × sector tie counts; a hidden cell is blank with an ``x``."""
    codes = [c for c in labels if c in set(matrix[K.SECTOR_A]) | set(matrix[K.SECTOR_B])]
    values = square(matrix, codes).to_numpy()
    names = [labels[c] for c in codes]
    trace = {
        "type": "heatmap",
        "z": [[None if np.isnan(v) else float(v) for v in row] for row in values],
        "x": names,
        "y": names,
        "text": [[FMT.count(v, lang) for v in row] for row in values],
        "texttemplate": "%{text}",
        "colorscale": SEQUENTIAL,
        "zmin": 0,
        "colorbar": {"title": {"text": t("network.axis.ties", lang)}, "thickness": 12},
        "hovertemplate": f"%{{y}} × %{{x}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": base_layout(
            max(360, 40 * len(codes) + 160),
            lang=lang,
            xaxis={"tickangle": -30, "gridcolor": NO_GRID},
            yaxis={"autorange": "reversed", "gridcolor": NO_GRID},
        ),
    }


def share_trend(metrics: pd.DataFrame, lang: str = "en") -> dict:
    """The cross-sector share of ties per wave (hidden waves are gaps)."""
    pct = metrics[K.CROSS_SHARE].astype("Float64")
    trace = {
        "type": "scatter",
        "x": metrics["wave"].astype(str).tolist(),
        "y": [float("nan") if pd.isna(v) else float(v) for v in pct],
        "mode": "lines+markers+text",
        "text": [TB.SUPPRESSED if pd.isna(v) else _percent(v, lang) for v in pct],
        "textposition": "top center",
        "line": {"color": PRIMARY, "width": 3},
        "hovertemplate": f"%{{x}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
    }
    return category_figure([trace], lang, t("axis.wave", lang), t("network.axis.cross_share", lang), [0, 100])


def contact_bars(contact: pd.DataFrame, band_labels: Mapping[str, str], lang: str = "en") -> dict:
    """Share of respondents reporting contact by their organisation's cross-sector ties, with 95% intervals."""
    pct = contact[TB.PCT].astype("Float64")
    lo = (pct - contact[TB.CI_LO].astype("Float64")).astype(float).fillna(0)
    hi = (contact[TB.CI_HI].astype("Float64") - pct).astype(float).fillna(0)
    text = [
        TB.SUPPRESSED
        if pd.isna(p)
        else f"{_percent(p, lang)} ({t('summary.k_of_n', lang, k=FMT.count(k, lang), n=FMT.count(n, lang))})"
        + (f" {f}" if f else "")
        for p, k, n, f in zip(pct, contact[TB.COUNT], contact[TB.N], contact[TB.PCT_FLAG], strict=True)
    ]
    trace = {
        "type": "bar",
        "x": [band_labels.get(b, b) for b in contact[K.BAND]],
        "y": pct.fillna(0).astype(float).tolist(),
        "error_y": {"type": "data", "symmetric": False, "array": hi.tolist(), "arrayminus": lo.tolist()},
        "marker": {"color": OKABE_ITO[2]},
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": f"%{{x}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
    }
    axes = (t("network.axis.band", lang), t("network.axis.contact_share", lang))
    return category_figure([trace], lang, *axes, [0, 110])


# -------------------------------------------------------------------------------------------------- summaries


def matrix_summary(matrix: pd.DataFrame, labels: Mapping[str, str], lang: str = "en") -> str:
    """One sentence: the largest published pair and how many cells are hidden."""
    counts = matrix[TB.COUNT].astype("Float64")
    hidden = int(counts.isna().sum())
    hidden_pairs = t(
        "network.summary.hidden_pairs", lang, count=FMT.count(hidden, lang), cells=FMT.count(len(matrix), lang)
    )
    if not (counts.fillna(0) > 0).any():
        return t("network.summary.matrix_empty", lang, hidden_pairs=hidden_pairs)
    best = matrix.iloc[counts.fillna(-1).astype(float).argmax()]
    key = "network.summary.matrix_within" if best[K.SECTOR_A] == best[K.SECTOR_B] else "network.summary.matrix"
    return t(
        key,
        lang,
        a=labels.get(best[K.SECTOR_A], best[K.SECTOR_A]),
        b=labels.get(best[K.SECTOR_B], best[K.SECTOR_B]),
        count=FMT.count(best[TB.COUNT], lang),
        hidden_pairs=hidden_pairs,
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
        orgs=FMT.count(len(nodes), lang),
        ties=FMT.count(len(edges), lang),
        named=FMT.count(int(nodes[K.NAME].notna().sum()), lang),
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
    lo, hi = shown.iloc[pct.argmin()], shown.iloc[pct.argmax()]
    return t(
        "network.summary.contact",
        lang,
        low=FMT.share(lo[TB.PCT], lang),
        low_band=band_labels.get(lo[K.BAND], lo[K.BAND]),
        high=FMT.share(hi[TB.PCT], lang),
        high_band=band_labels.get(hi[K.BAND], hi[K.BAND]),
    )
