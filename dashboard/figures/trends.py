"""Figures of counts across survey waves. Input: a published table (wave, count, flag)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import formatting as FMT
from dashboard.figures.theme import PRIMARY, styled
from dashboard.i18n import t
from dashboard.published import table as TB

WAVE = "wave"


def respondents_by_wave(table: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Bars of respondents per wave; a suppressed wave shows an ``x`` label and no bar."""
    counts = table[TB.COUNT].astype("Float64")
    labels = [TB.SUPPRESSED if pd.isna(c) else f"{int(c):,}" for c in counts]
    fig = go.Figure(
        go.Bar(
            x=table[WAVE].astype(str),
            y=counts.fillna(0).astype(float),
            marker_color=PRIMARY,
            text=labels,
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("axis.wave", lang), type="category")
    fig.update_yaxes(title_text=t("axis.respondents", lang))
    return styled(fig)


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
