"""The summary page's charts: respondents per wave, the two trends, the map and the two top-category charts.

Each is a chart panel (``dashboard.components.chart``) built from the tier's published release through the
explore page's lookups and figure builders, small enough for the printed one-pager.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.components.chart import CardOptions, chart_card, graph_config
from dashboard.figures import explore as F
from dashboard.figures import trends
from dashboard.i18n import t
from dashboard.paths import PROVINCES_ASSET
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import lookup
from dashboard.published.table import Release
from dashboard.summary import kpis as H
from dashboard.summary import sentences as S
from dashboard.views import charts as CH
from dashboard.views.state import Options, ViewState
from dashboard.views.tables import display_table

SMALL_CHART_HEIGHT = 240


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
    dims: tuple[str, ...], flagged: pd.DataFrame | None, lang: str, config: dcc.Graph.Config | None = None
) -> CardOptions:
    """A summary card's headers (from the table's dimensions) and flags legend (when ``flagged`` shows a flag)."""
    legend = flagged is not None and has_flags(flagged)
    return CardOptions(headers=_headers(dims, lang), config=config, legend=legend)


def _trend_card(release: Release, chart_name: str, graph_id: str, lang: str) -> html.Section | html.P:
    chart = CH.CHART_BY_NAME[chart_name]
    view = lookup(release, ViewState(None), chart.breakdown, drop=chart.breakdown, all_waves=True)
    frame = view.frame
    if not view.ok or frame is None:
        return html.P(CH.hidden_message(view, _options(release), lang), className="note")
    figure, summary = CH.render(chart, view, ViewState(None), _options(release), lang)
    yes = (frame[chart.item] == H.YES).to_numpy()
    table = CH.table_frame(view, lang)[yes].reset_index(drop=True)
    base = f"explore.trend.{chart_name.removeprefix('trend_')}"
    caption = t(f"{base}.caption", lang)
    title = t(f"{base}.title", lang)
    options = _options_for(view.dims, frame[yes], lang)
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
    view = lookup(release, ViewState(top.wave), (dim,), drop=(dim,))
    table = CH.table_frame(view, lang) if view.ok else pd.DataFrame()
    return chart_card(
        graph_id, title, _small(figure), caption, summary, table, lang, _options_for((dim,), top.frame, lang)
    )


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
    options = _options_for(shown.dims, shown.frame, lang, graph_config(True))
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
            headers={"wave": t("axis.wave", lang), TB.COUNT: t("axis.respondents", lang)}, legend=has_flags(total)
        ),
    )


def charts(release: Release, lang: str) -> html.Div:
    """The summary page's small charts, each a chart panel with its table view."""
    return html.Div(
        [
            _respondents_card(release, lang),
            _trend_card(release, "trend_contact", ids.SUMMARY_TREND_CONTACT, lang),
            _trend_card(release, "trend_trained", ids.SUMMARY_TREND_TRAINED, lang),
            _map_card(release, lang),
            _top_card(release, D.LABOUR_SITE, ids.SUMMARY_LABOUR_SITE, lang),
            _top_card(release, D.VICTIMISATION, ids.SUMMARY_VICTIMISATION, lang),
        ],
        className="chart-grid summary-charts",
    )
