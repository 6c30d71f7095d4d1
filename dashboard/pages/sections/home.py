"""The summary page's charts: respondents per wave, the two trends, the map and the two top-category charts.

Each is a chart panel (``dashboard.components.chart``) built from the tier's published release through the
explore page's lookups and figure builders, small enough for the printed one-pager.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import dash
import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.components.chart import CardOptions, chart_card, graph_config
from dashboard.components.download import download_buttons
from dashboard.figures import explore as F
from dashboard.figures import trends
from dashboard.i18n import t
from dashboard.paths import PROVINCES_ASSET
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import View, lookup
from dashboard.published.table import Release
from dashboard.summary import kpis as H
from dashboard.summary import sentences as S
from dashboard.views import charts as CH
from dashboard.views.downloads import Export, format_of, key_of
from dashboard.views.state import Options, ViewState
from dashboard.views.tables import display_table

SMALL_CHART_HEIGHT = 240
RESPONDENTS = "respondents"
TREND_CONTACT = "trend_contact"
TREND_TRAINED = "trend_trained"
MAP = "map"
CARDS: Final = (RESPONDENTS, TREND_CONTACT, TREND_TRAINED, MAP, D.LABOUR_SITE, D.VICTIMISATION)
"""The summary cards, by the name their download buttons carry (``{"chart": name}``)."""


def _options(release: Release) -> Options:
    return Options.cached(release)


def _headers(dims: tuple[str, ...], lang: str) -> dict[str, str]:
    out = {D.WAVE: t("summary.col.wave", lang), TB.FLAG: t("summary.col.flag", lang)}
    out.update({d: t("summary.col.category", lang) for d in dims})
    out.update({m: t(f"summary.col.{m}", lang) for m in (TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI, TB.PCT_FLAG)})
    return out


def has_flags(frame: pd.DataFrame) -> bool:
    """True when the table shows a flag (x, E or F), so its panel needs the flags legend."""
    flags = set(frame.get(TB.FLAG, pd.Series(dtype=object)).dropna().astype(str))
    flags |= set(frame.get(TB.PCT_FLAG, pd.Series(dtype=object)).dropna().astype(str))
    return bool(flags & {TB.SUPPRESSED, "E", "F"})


def _small(figure: dict, height: int = SMALL_CHART_HEIGHT) -> dict:
    figure["layout"]["height"] = height
    return figure


def _options_for(
    release: Release,
    card: str,
    dims: tuple[str, ...],
    flagged: pd.DataFrame | None,
    lang: str,
    config: dcc.Graph.Config | None = None,
) -> CardOptions:
    """A summary card's headers (from the table's dimensions), flags legend (when ``flagged`` shows a flag) and
    download buttons (the formats the tier exports, as on every page)."""
    legend = flagged is not None and has_flags(flagged)
    downloads = download_buttons(ids.SUMMARY_DOWNLOAD_BUTTON, {"chart": card}, release.tier, lang)
    return CardOptions(headers=_headers(dims, lang), config=config, legend=legend, downloads=downloads)


def _trend_view(release: Release, card: str) -> View:
    chart = CH.CHART_BY_NAME[card]
    return lookup(release, ViewState(None), chart.breakdown, drop=chart.breakdown, all_waves=True)


def _trend_rows(card: str, view: View) -> np.ndarray:
    """The rows of a trend's table that the card shows: the "yes" answers of every wave."""
    assert view.frame is not None
    return (view.frame[CH.CHART_BY_NAME[card].item] == H.YES).to_numpy()


def _top_view(release: Release, dim: str) -> View:
    return lookup(release, ViewState(H.top_categories(release, dim).wave), (dim,), drop=(dim,))


def _map_view(release: Release) -> View:
    return CH.map_table_view(release, ViewState(max(release.waves)))


def export_table(release: Release, card: str, lang: str) -> tuple[pd.DataFrame, list[str]] | None:
    """What a summary card's download sends: the published rows its table view shows, headed in the reader's
    language with each category's label beside its code (as on the explore page), and the parts of its file name;
    None for a name that is no card (a forged button) or a card with nothing published."""
    if card == RESPONDENTS:
        total = display_table(release.table().frame, [TB.COUNT])
        return total.rename(columns={D.WAVE: t("axis.wave", lang), TB.COUNT: t("axis.respondents", lang)}), []
    if card in (TREND_CONTACT, TREND_TRAINED):
        view = _trend_view(release, card)
        if not view.ok or view.frame is None:
            return None
        return CH.export_frame(view, lang)[_trend_rows(card, view)].reset_index(drop=True), []
    if card in (D.LABOUR_SITE, D.VICTIMISATION, MAP):
        view = _map_view(release) if card == MAP else _top_view(release, card)
        wave = max(release.waves) if card == MAP else H.top_categories(release, card).wave
        return (CH.export_frame(view, lang), [f"{D.WAVE}={wave}"]) if view.ok else None
    return None


def export_of(release: Release, button: Mapping[str, Any], lang: str) -> Export | None:
    """What a summary card's download button (``{"chart": card, "fmt": fmt}``, browser state) asks for: the card's
    published rows (``export_table``) in a format the tier exports; None for anything else."""
    card = key_of(button, "chart", CARDS)
    fmt = format_of(button, release.tier)
    found = export_table(release, card, lang) if card is not None and fmt is not None else None
    if card is None or fmt is None or found is None:
        return None
    return Export(found[0], f"summary_{card}", fmt, tuple(found[1]))


def _trend_card(release: Release, chart_name: str, graph_id: str, lang: str) -> html.Section | html.P:
    chart = CH.CHART_BY_NAME[chart_name]
    view = _trend_view(release, chart_name)
    frame = view.frame
    if not view.ok or frame is None:
        return html.P(CH.hidden_message(view, _options(release), lang), className="note")
    figure, summary = CH.render(chart, view, ViewState(None), _options(release), lang)
    yes = _trend_rows(chart_name, view)
    table = CH.table_frame(view, lang)[yes].reset_index(drop=True)
    base = f"explore.trend.{chart_name.removeprefix('trend_')}"
    caption = t(f"{base}.caption", lang)
    title = t(f"{base}.title", lang)
    options = _options_for(release, chart_name, view.dims, frame[yes], lang)
    return chart_card(graph_id, title, _small(figure), caption, summary, table, lang, options)


def _top_card(release: Release, dim: str, graph_id: str, lang: str) -> html.Section:
    top = H.top_categories(release, dim)
    shown = {c.code for c in top.shown}
    figure = F.bars(
        top.frame[top.frame[dim].isin(shown)],
        dim,
        CH.labels(dim, lang),
        None,
        t("explore.axis.respondents", lang),
        lang,
    )
    summary = S.top_sentence(top, release, lang).text
    name = "victimisation_type" if dim == D.VICTIMISATION else "labour_site"
    caption = t(f"summary.chart.{name}.caption", lang, wave=top.wave)
    title = t(f"summary.chart.{name}.title", lang, wave=top.wave)
    view = _top_view(release, dim)
    table = CH.table_frame(view, lang) if view.ok else pd.DataFrame()
    options = _options_for(release, dim, (dim,), top.frame, lang)
    return chart_card(graph_id, title, _small(figure), caption, summary, table, lang, options)


def _map_card(release: Release, lang: str) -> html.Section:
    wave = max(release.waves)
    state = ViewState(wave)
    provinces, cities = CH.map_views(release, state)
    figure, summary = CH.render_map(provinces, cities, state, lang, dash.get_asset_url(PROVINCES_ASSET))
    figure["layout"]["height"] = 320
    shown = cities if cities.ok else provinces
    caption = t("summary.chart.map.caption", lang, wave=wave)
    title = t("summary.chart.map.title", lang, wave=wave)
    table = CH.table_frame(shown, lang)
    options = _options_for(release, MAP, shown.dims, shown.frame, lang, graph_config(True))
    return chart_card(ids.SUMMARY_MAP, title, figure, caption, summary, table, lang, options)


def _respondents_card(release: Release, lang: str) -> html.Section:
    total = release.table().frame
    caption = t("chart.respondents_by_wave.caption", lang)
    if release.meta["rounded"]:
        caption = f"{caption} {t('note.rounded', lang)}"
    figure = _small(trends.respondents_by_wave(total, lang))
    return chart_card(
        ids.HOME_RESPONDENTS_CHART,
        t("chart.respondents_by_wave.title", lang),
        figure,
        caption,
        trends.respondents_summary(total, lang),
        display_table(total, [TB.COUNT]),
        lang,
        CardOptions(
            headers={"wave": t("axis.wave", lang), TB.COUNT: t("axis.respondents", lang)},
            legend=has_flags(total),
            downloads=download_buttons(ids.SUMMARY_DOWNLOAD_BUTTON, {"chart": RESPONDENTS}, release.tier, lang),
        ),
    )


def charts(release: Release, lang: str) -> html.Div:
    """The summary page's small charts, each a chart panel with its table view."""
    return html.Div(
        [
            _respondents_card(release, lang),
            _trend_card(release, TREND_CONTACT, ids.SUMMARY_TREND_CONTACT, lang),
            _trend_card(release, TREND_TRAINED, ids.SUMMARY_TREND_TRAINED, lang),
            _map_card(release, lang),
            _top_card(release, D.LABOUR_SITE, ids.SUMMARY_LABOUR_SITE, lang),
            _top_card(release, D.VICTIMISATION, ids.SUMMARY_VICTIMISATION, lang),
        ],
        className="chart-grid summary-charts",
    )
