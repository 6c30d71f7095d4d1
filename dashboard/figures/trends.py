"""Figures of counts across survey waves."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import PRIMARY, styled
from dashboard.i18n import t


def respondents_by_wave(table: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Bars of respondents per wave. ``table`` has columns ``wave`` and ``respondents``."""
    fig = go.Figure(
        go.Bar(
            x=table["wave"].astype(str),
            y=table["respondents"],
            marker_color=PRIMARY,
            text=table["respondents"],
            textposition="outside",
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("axis.wave", lang), type="category")
    fig.update_yaxes(title_text=t("axis.respondents", lang))
    return styled(fig)


def respondents_summary(table: pd.DataFrame, lang: str = "en") -> str:
    first, last = table.iloc[0], table.iloc[-1]
    return t(
        "chart.respondents_by_wave.summary",
        lang,
        first_n=int(first["respondents"]),
        first_wave=int(first["wave"]),
        last_n=int(last["respondents"]),
        last_wave=int(last["wave"]),
    )
