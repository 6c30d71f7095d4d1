"""The home page (``/``)."""

from __future__ import annotations

import dash
from dash import html

from dashboard import context, ids
from dashboard.components.chart import chart_card
from dashboard.data.schema import C, T
from dashboard.figures import trends
from dashboard.i18n import t

dash.register_page(__name__, path="/", name="nav.summary", title=t("app.title"), order=0, description=t("app.tagline"))


def layout(lang: str = "en", **_ignored: str) -> html.Div:
    lang = lang if lang in ("en", "fr") else "en"
    ctx = context.current()
    resp = ctx.dataset[T.RESPONDENTS]
    table = resp.groupby(C.WAVE).size().rename("respondents").reset_index()
    return html.Div(
        [
            html.H1(t("home.heading", lang)),
            html.P(t("home.intro", lang), className="lead"),
            chart_card(
                ids.HOME_RESPONDENTS_CHART,
                t("chart.respondents_by_wave.title", lang),
                trends.respondents_by_wave(table, lang),
                t("chart.respondents_by_wave.caption", lang),
                trends.respondents_summary(table, lang),
                table,
                lang,
                headers={"wave": t("axis.wave", lang), "respondents": t("axis.respondents", lang)},
            ),
        ]
    )
