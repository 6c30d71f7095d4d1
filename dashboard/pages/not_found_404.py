"""Shown for any address that is not a page."""

from __future__ import annotations

import dash
from dash import html

from dashboard import language
from dashboard.i18n import t

dash.register_page(
    __name__, name="error.not_found.title", title=language.translated("error.not_found.title"), nav=False
)


def layout(lang: str = "", **_ignored: str) -> html.Div:
    lang = language.of_page(lang)
    return html.Div([html.H1(t("error.not_found.title", lang)), html.P(t("error.not_found.body", lang))])
