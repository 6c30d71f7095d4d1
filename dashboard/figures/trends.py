"""Figures of counts across survey waves. Input: a published table (wave, count, flag); output: a figure dict."""

from __future__ import annotations

import pandas as pd

from dashboard import formatting as FMT
from dashboard.figures.theme import PRIMARY, category_figure, value_range
from dashboard.i18n import t
from dashboard.published import table as TB

WAVE = "wave"


def respondents_by_wave(table: pd.DataFrame, lang: str = "en") -> dict:
    """Bars of respondents per wave; a suppressed wave shows an ``x`` label and no bar."""
    counts = table[TB.COUNT].astype("Float64")
    labels = [TB.SUPPRESSED if pd.isna(c) else FMT.count(float(c), lang) for c in counts]
    trace = {
        "type": "bar",
        "x": table[WAVE].astype(str).tolist(),
        "y": counts.fillna(0).astype(float).tolist(),
        "marker": {"color": PRIMARY},
        "text": labels,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": f"%{{x}}{t('punct.colon', lang)}%{{text}}<extra></extra>",
    }
    return category_figure([trace], lang, t("axis.wave", lang), t("axis.respondents", lang), value_range(trace["y"]))


def respondents_summary(table: pd.DataFrame, lang: str = "en") -> str:
    shown = table[table[TB.COUNT].notna()]
    first, last = shown.iloc[0], shown.iloc[-1]
    return t(
        "chart.respondents_by_wave.summary",
        lang,
        first_n=FMT.count(first[TB.COUNT], lang),
        first_wave=int(first[WAVE]),
        last_n=FMT.count(last[TB.COUNT], lang),
        last_wave=int(last[WAVE]),
    )
