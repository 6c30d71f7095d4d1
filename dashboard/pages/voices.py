"""The voices page (``/voices``, issue 5): coded themes by method, sector and city, and the approved quotes.

Only the published ``voices_*`` tables of this tier are read (``dashboard.views.voices``). The quotes follow a
content note and can be hidden with a toggle button (``aria-expanded``), handled in the browser by a clientside
callback: no request is made. Each chart card offers its published rows for download in the formats the tier
exports (``dashboard.components.download``: the public tier saves chart images only), like the other pages.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ALL as ALL_IDS
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import context, ids, language
from dashboard.accounts.store import PUBLIC
from dashboard.auth.guard import allow
from dashboard.components import download as DL
from dashboard.components.aria import Aria
from dashboard.components.chart import CardOptions, chart_card
from dashboard.components.quote import quote_figure
from dashboard.components.toggles import clicked
from dashboard.data.schema import C
from dashboard.data.vocab import Vocabularies
from dashboard.figures import voices as F
from dashboard.i18n import t
from dashboard.pages import register_page
from dashboard.published.table import Release
from dashboard.published.voices_schema import TOTAL, VO
from dashboard.views import voices as V

register_page(__name__, "/voices", "nav.voices", "voices.title", 3)


def _downloads(card: str, tier: str, lang: str) -> html.Div | html.P | None:
    """The card's download buttons, in the formats the tier exports (the public tier: the chart-image note)."""
    return DL.download_buttons(ids.VOICES_DOWNLOAD_BUTTON, {"card": card}, tier, lang)


def _method_card(release: Release, vocab: Vocabularies, labels: dict[str, str], lang: str) -> html.Section:
    rows = V.rows_of(release, C.METHOD)
    total = V.rows_of(release, TOTAL)
    table = F.wide(V.card_rows(release, V.METHOD), labels, V.method_labels(vocab, lang), lang)
    return chart_card(
        ids.VOICES_METHOD,
        t("voices.method.title", lang),
        F.method_bars(rows, labels, vocab["method"].label_map(lang), t("voices.axis.sources", lang), lang),
        t("voices.method.caption", lang),
        F.method_summary(total, labels, lang),
        table,
        lang,
        CardOptions(headers={C.THEME: t("voices.col.theme", lang)}, downloads=_downloads(V.METHOD, release.tier, lang)),
    )


def _heat_card(release: Release, vocab: Vocabularies, card: str, labels: dict[str, str], lang: str) -> html.Section:
    breakdown = V.breakdown_of(release, card)
    rows = V.rows_of(release, breakdown)
    categories = V.category_labels(vocab, breakdown, lang)
    caption = t("voices.sector.caption_exact", lang) if breakdown == C.SECTOR else t(f"voices.{card}.caption", lang)
    return chart_card(
        ids.VOICES_CITY if card == V.CITY else ids.VOICES_SECTOR,
        t(f"voices.{card}.title", lang),
        F.heatmap(rows, labels, categories, lang),
        caption,
        F.heat_summary(rows, labels, categories, lang),
        F.wide(rows, labels, categories, lang),
        lang,
        CardOptions(headers={C.THEME: t("voices.col.theme", lang)}, downloads=_downloads(card, release.tier, lang)),
    )


def _quote(row: Any, lang: str) -> html.Figure:
    return quote_figure(str(getattr(row, C.TEXT)), str(getattr(row, C.ATTRIBUTION)), lang, "voices-quote")


def quotes_section(quotes: pd.DataFrame, labels: dict[str, str], lang: str) -> html.Section:
    """Content note, the hide/show button, then the quotes grouped under each theme."""
    heading = f"{ids.VOICES_QUOTES}-title"
    groups = []
    for theme, rows in quotes.groupby(C.THEME, sort=False):
        theme_heading = f"{ids.VOICES_QUOTES}-{theme}"
        groups.append(
            html.Section(
                [
                    html.H3(labels.get(str(theme), str(theme)), id=theme_heading),
                    *[_quote(r, lang) for r in rows.itertuples()],
                ],
                className="voices-theme",
                **Aria({"aria-labelledby": theme_heading}),
            )
        )
    if groups:
        themes = t("voices.themes", lang, count=len(groups))
        count = t("voices.quotes.count", lang, count=len(quotes), themes=themes)
        body = [html.P(count, className="chart-caption"), *groups]
    else:
        body = [html.P(t("voices.quotes.none", lang), className="notice")]
    note_heading = f"{ids.VOICES_CONTENT_NOTE}-title"
    return html.Section(
        [
            html.H2(t("voices.quotes.title", lang), id=heading),
            html.P(t("voices.quotes.intro", lang)),
            html.Div(
                [
                    html.P(html.Strong(t("voices.quotes.note_title", lang)), id=note_heading),
                    html.P(t("voices.quotes.note", lang)),
                ],
                id=ids.VOICES_CONTENT_NOTE,
                className="notice voices-content-note",
                role="note",
                **Aria({"aria-labelledby": note_heading}),
            ),
            dcc.Store(
                id=ids.VOICES_QUOTES_LABELS,
                data={
                    "hide": t("voices.quotes.hide", lang),
                    "show": t("voices.quotes.show", lang),
                    "hidden": t("voices.quotes.hidden", lang),
                    "shown": t("voices.quotes.shown", lang),
                },
            ),
            html.Button(
                t("voices.quotes.hide", lang),
                id=ids.VOICES_QUOTES_TOGGLE,
                n_clicks=0,
                type="button",
                className="button voices-toggle",
                **Aria({"aria-expanded": "true", "aria-controls": ids.VOICES_QUOTES_BODY}),
            ),
            html.P("", id=ids.VOICES_QUOTES_STATUS, role="status", className="voices-status"),
            html.Div(body, id=ids.VOICES_QUOTES_BODY, hidden=False),
        ],
        id=ids.VOICES_QUOTES,
        className="card voices-quotes",
        **Aria({"aria-labelledby": heading}),
    )


def body(release: Release, vocab: Vocabularies, lang: str) -> list[Any]:
    """Every section of the page, from the published voices tables of this tier."""
    quotes = release.extras.get(VO.QUOTES, pd.DataFrame(columns=[C.QUOTE_ID, C.THEME, C.TEXT, C.ATTRIBUTION]))
    labels = V.theme_labels(vocab, lang)
    legend = t("voices.legend", lang)
    if release.meta.get("rounded"):
        legend = f"{legend} {t('voices.rounded', lang)}"
    return [
        dcc.Download(id=ids.VOICES_DOWNLOAD),
        _method_card(release, vocab, labels, lang),
        _heat_card(release, vocab, V.SECTOR, labels, lang),
        _heat_card(release, vocab, V.CITY, labels, lang),
        html.P(legend, className="chart-caption voices-legend"),
        quotes_section(quotes, labels, lang),
    ]


def layout(lang: str = "", **_ignored: str) -> html.Div:
    lang = language.of_page(lang)
    app = context.current()
    heading = [html.H1(t("voices.heading", lang)), html.P(t("voices.intro", lang), className="lead")]
    if VO.THEMES not in app.release.extras:
        return html.Div([*heading, html.P(t("voices.no_tables", lang), className="notice", role="status")])
    return html.Div([*heading, *body(app.release, app.vocab, lang)], className="voices-page")


# Runs in the browser: an odd number of presses hides the quotes. Labels come from the page's own store.
dash.clientside_callback(
    """
    function (clicks, labels) {
        const hidden = (Number(clicks) || 0) % 2 === 1;
        const l = labels || {};
        return [hidden, hidden ? l.show : l.hide, hidden ? "false" : "true", hidden ? l.hidden : l.shown];
    }
    """,
    Output(ids.VOICES_QUOTES_BODY, "hidden"),
    Output(ids.VOICES_QUOTES_TOGGLE, "children"),
    Output(ids.VOICES_QUOTES_TOGGLE, "aria-expanded"),
    Output(ids.VOICES_QUOTES_STATUS, "children"),
    Input(ids.VOICES_QUOTES_TOGGLE, "n_clicks"),
    State(ids.VOICES_QUOTES_LABELS, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.VOICES_DOWNLOAD, "data"),
    Input({"type": ids.VOICES_DOWNLOAD_BUTTON, "card": ALL_IDS, "fmt": ALL_IDS}, "n_clicks"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def download(_clicks: list[Any]) -> Any:
    """The published rows behind a card, in a format the tier exports (``views.voices.export_of``)."""
    button = clicked(ctx.triggered_id, ctx.triggered)
    app = context.current()
    export = V.export_of(app.release, app.vocab, button, language.current()) if button is not None else None
    return DL.reply(export)
