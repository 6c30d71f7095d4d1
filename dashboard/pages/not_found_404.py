"""Shown for any address that is not a page."""

from __future__ import annotations

import dash
from dash import html

from dashboard.i18n import t

dash.register_page(__name__, name="error.not_found.title", title=t("error.not_found.title"), nav=False)


def layout(**_ignored: str) -> html.Div:
    return html.Div([html.H1(t("error.not_found.title")), html.P(t("error.not_found.body"))])
