"""The voices page (``/voices``, issue 5): coded themes by method, sector and city, and the approved quotes.

Only the published ``voices_*`` tables of this tier are read. The quotes follow a content note and can be hidden
with a toggle button (``aria-expanded``), handled in the browser by a clientside callback: no request is made.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import context, ids, language
from dashboard.components.aria import Aria
from dashboard.components.chart import CardOptions, chart_card
from dashboard.components.quote import quote_figure
from dashboard.data.schema import C
from dashboard.data.vocab import Vocabularies
from dashboard.figures import voices as F
from dashboard.i18n import t
from dashboard.pages import register_page
from dashboard.published.dims import ALL, NONE
from dashboard.published.table import Release
from dashboard.published.voices_schema import TOTAL, VO, K

register_page(__name__, "/voices", "nav.voices", "voices.title", 3)


def _theme_labels(vocab: Vocabularies, lang: str) -> dict[str, str]:
    return {
        ALL: t("voices.theme.all", lang),
        **vocab["theme"].label_map(lang),
        NONE: t("voices.theme.none", lang),
    }


def _category_labels(vocab: Vocabularies, breakdown: str, lang: str) -> dict[str, str]:
    labels = dict(vocab[breakdown].label_map(lang))
    if breakdown in (C.SECTOR, C.SECTOR_GROUP):
        labels[NONE] = t("voices.category.none.sector", lang)
    else:
        labels[NONE] = t("voices.category.none.city", lang)
    return labels


def _rows(themes: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    return themes[themes[K.BREAKDOWN] == breakdown].reset_index(drop=True)


def _method_card(themes: pd.DataFrame, vocab: Vocabularies, labels: dict[str, str], lang: str) -> html.Section:
    rows = _rows(themes, C.METHOD)
    total = _rows(themes, TOTAL)
    methods = {ALL: t("voices.col.all", lang), **vocab["method"].label_map(lang)}
    table = F.wide(pd.concat([rows, total], ignore_index=True), labels, methods, lang)
    return chart_card(
        ids.VOICES_METHOD,
        t("voices.method.title", lang),
        F.method_bars(rows, labels, vocab["method"].label_map(lang), t("voices.axis.sources", lang), lang),
        t("voices.method.caption", lang),
        F.method_summary(total, labels, lang),
        table,
        lang,
        CardOptions(headers={C.THEME: t("voices.col.theme", lang)}),
    )


def _heat_card(
    themes: pd.DataFrame, vocab: Vocabularies, breakdown: str, labels: dict[str, str], lang: str, graph_id: str
) -> html.Section:
    rows = _rows(themes, breakdown)
    categories = _category_labels(vocab, breakdown, lang)
    kind = "city" if breakdown == C.CITY else "sector"
    caption = t("voices.sector.caption_exact", lang) if breakdown == C.SECTOR else t(f"voices.{kind}.caption", lang)
    return chart_card(
        graph_id,
        t(f"voices.{kind}.title", lang),
        F.heatmap(rows, labels, categories, lang),
        caption,
        F.heat_summary(rows, labels, categories, lang),
        F.wide(rows, labels, categories, lang),
        lang,
        CardOptions(headers={C.THEME: t("voices.col.theme", lang)}),
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
    themes = release.extras[VO.THEMES]
    quotes = release.extras.get(VO.QUOTES, pd.DataFrame(columns=[C.QUOTE_ID, C.THEME, C.TEXT, C.ATTRIBUTION]))
    labels = _theme_labels(vocab, lang)
    sector = C.SECTOR_GROUP if (themes[K.BREAKDOWN] == C.SECTOR_GROUP).any() else C.SECTOR
    legend = t("voices.legend", lang)
    if release.meta.get("rounded"):
        legend = f"{legend} {t('voices.rounded', lang)}"
    return [
        _method_card(themes, vocab, labels, lang),
        _heat_card(themes, vocab, sector, labels, lang, ids.VOICES_SECTOR),
        _heat_card(themes, vocab, C.CITY, labels, lang, ids.VOICES_CITY),
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
