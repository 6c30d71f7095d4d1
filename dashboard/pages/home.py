"""The home page (``/``)."""

from __future__ import annotations

import dash
from dash import html

from dashboard import context, ids
from dashboard.components.chart import chart_card, display_table
from dashboard.figures import trends
from dashboard.i18n import t
from dashboard.release import table as TB

dash.register_page(__name__, path="/", name="nav.summary", title=t("app.title"), order=0, description=t("app.tagline"))


def layout(lang: str = "en", **_ignored: str) -> html.Div:
    lang = lang if lang in ("en", "fr") else "en"
    release = context.current().release
    total = release.table().frame
    caption = t("chart.respondents_by_wave.caption", lang)
    if release.meta["rounded"]:
        caption = f"{caption} {t('note.rounded', lang)}"
    return html.Div(
        [
            html.H1(t("home.heading", lang)),
            html.P(t("home.intro", lang), className="lead"),
            chart_card(
                ids.HOME_RESPONDENTS_CHART,
                t("chart.respondents_by_wave.title", lang),
                trends.respondents_by_wave(total, lang),
                caption,
                trends.respondents_summary(total, lang),
                display_table(total, [TB.COUNT]),
                lang,
                headers={"wave": t("axis.wave", lang), TB.COUNT: t("axis.respondents", lang)},
            ),
        ]
    )
