"""The summary page (``/``), made for funders: headline figures, sentences, small charts, map, source.

Every number comes from the tier's published release through ``dashboard.summary`` and the explore page's
lookups and figure builders. Printing the page (the button, or the browser's own print) gives a one- or
two-page summary (``assets/print.css``).
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import ClientsideFunction, Input, Output, clientside_callback, html

from dashboard import context, ids
from dashboard import formatting as FMT
from dashboard.components.chart import chart_card, display_table, graph_config
from dashboard.figures import explore as F
from dashboard.figures import trends
from dashboard.i18n import LANGUAGES, t
from dashboard.paths import PROVINCES_ASSET
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import lookup
from dashboard.published.table import Release
from dashboard.summary import kpis as H
from dashboard.summary import sentences as S
from dashboard.views import charts as CH
from dashboard.views.state import Options, ViewState

dash.register_page(__name__, path="/", name="nav.summary", title=t("app.title"), order=0, description=t("app.tagline"))

SMALL_CHART_HEIGHT = 240


def _options(release: Release) -> Options:
    return Options.cached(release)


# --- headline figures -------------------------------------------------------------------------------------


def _kpi_value(h: H.Headline, lang: str) -> str:
    if h.hidden:
        return TB.SUPPRESSED
    if not h.is_share:
        return FMT.count(h.latest.count, lang)
    return f"{t('number.percent', lang, pct=FMT.share(h.latest.pct, lang))} {h.latest.flag}".strip()


def _kpi_change(h: H.Headline, lang: str) -> str:
    if h.previous is None:
        return ""
    if h.change_hidden:
        return t("summary.kpi.change_hidden", lang, prev_wave=h.previous.wave)
    change = h.change
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    if h.is_share:
        return t("summary.kpi.change_pp", lang, sign=sign, n=FMT.points(change, lang), prev_wave=h.previous.wave)
    return t("summary.kpi.change_count", lang, sign=sign, n=FMT.count(abs(change), lang), prev_wave=h.previous.wave)


def _kpi(h: H.Headline, rounded: bool, lang: str) -> html.Div:
    details = [t("summary.kpi.wave", lang, wave=h.latest.wave)]
    if h.hidden:
        details.append(t("summary.kpi.hidden", lang))
    elif h.is_share:
        values = S.share_values(h.latest, rounded, lang)
        values.update(lo=FMT.share(h.latest.ci_lo, lang), hi=FMT.share(h.latest.ci_hi, lang))
        details.append(t("summary.kpi.share_detail", lang, **values))
    elif rounded:
        details.append(t("summary.kpi.rounded", lang))
    details.append(_kpi_change(h, lang))
    return html.Div(
        [
            html.P(t(f"summary.kpi.{h.key}", lang), className="kpi-label"),
            html.P(_kpi_value(h, lang), className="kpi-value"),
            *[html.P(d, className="kpi-detail") for d in details if d],
        ],
        className="kpi",
        id=ids.summary_kpi_id(h.key),
    )


def _kpis(release: Release, lang: str) -> html.Section:
    items = H.headlines(release)
    rounded = bool(release.meta.get("rounded"))
    label = t("summary.kpi.label", lang, wave=max(release.waves))
    return html.Section(
        [_kpi(h, rounded, lang) for h in items], id=ids.SUMMARY_KPIS, className="kpi-strip", **{"aria-label": label}
    )


# --- sentences ----------------------------------------------------------------------------------------------


def _findings(release: Release, lang: str) -> html.Section:
    sentences = S.headline_sentences(release, lang)
    sentences += [S.top_sentence(H.top_categories(release, d), release, lang) for d in (D.LABOUR_SITE, D.VICTIMISATION)]
    items = [html.Li(s.text, className="sentence-hidden" if s.hidden else "sentence") for s in sentences]
    return html.Section(
        [html.H2(t("summary.findings.title", lang), id=f"{ids.SUMMARY_FINDINGS}-title"), html.Ul(items)],
        id=ids.SUMMARY_FINDINGS,
        className="card summary-findings",
        **{"aria-labelledby": f"{ids.SUMMARY_FINDINGS}-title"},
    )


def _cities(release: Release, lang: str) -> html.Section:
    by_wave = S.city_sentences(release, lang)
    body: list = [html.H2(t("summary.cities.title", lang), id=f"{ids.SUMMARY_CITIES}-title")]
    if not by_wave:
        tier = t(f"tier.{release.tier}", lang)
        body.append(html.P(t("summary.cities.not_published", lang, tier=tier), className="note"))
    else:
        body.append(html.P(t("summary.cities.intro", lang), className="chart-caption"))
        latest = max(release.waves)
        for wave, sentences in by_wave.items():
            key = "summary.cities.latest" if wave == latest else "summary.cities.earliest"
            body.append(html.H3(t(key, lang, wave=wave)))
            items = [html.Li(s.text) for s in sentences] or [html.Li(t("summary.cities.none", lang))]
            body.append(html.Ul(items, className="city-sentences"))
        body.append(html.P(t("legend.flags", lang), className="chart-legend"))
    return html.Section(
        body,
        id=ids.SUMMARY_CITIES,
        className="card summary-cities",
        **{"aria-labelledby": f"{ids.SUMMARY_CITIES}-title"},
    )


# --- charts -------------------------------------------------------------------------------------------------


def _headers(dims: tuple[str, ...], lang: str) -> dict[str, str]:
    out = {D.WAVE: t("summary.col.wave", lang), TB.FLAG: t("summary.col.flag", lang)}
    out.update({d: t("summary.col.category", lang) for d in dims})
    out.update({m: t(f"summary.col.{m}", lang) for m in (TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI, TB.PCT_FLAG)})
    return out


def _has_flags(frame: pd.DataFrame) -> bool:
    flags = set(frame.get(TB.FLAG, pd.Series(dtype=object)).dropna().astype(str))
    flags |= set(frame.get(TB.PCT_FLAG, pd.Series(dtype=object)).dropna().astype(str))
    return bool(flags & {TB.SUPPRESSED, "E", "F"})


def _caption(text: str, frame: pd.DataFrame, lang: str) -> str:
    return f"{text} {t('legend.flags', lang)}" if _has_flags(frame) else text


def _small(figure: dict, height: int = SMALL_CHART_HEIGHT) -> dict:
    figure["layout"]["height"] = height
    return figure


def _card(
    graph_id: str,
    title: str,
    figure: dict,
    caption: str,
    summary: str,
    table: pd.DataFrame,
    dims: tuple,
    lang: str,
    config: dict | None = None,
) -> html.Section:
    headers = _headers(dims, lang)
    return chart_card(graph_id, title, figure, caption, summary, table, lang, headers=headers, config=config)


def _trend_card(release: Release, chart_name: str, graph_id: str, lang: str) -> html.Section | html.P:
    chart = CH.CHART_BY_NAME[chart_name]
    view = lookup(release, ViewState(None), chart.breakdown, drop=chart.breakdown, all_waves=True)
    if not view.ok:
        return html.P(CH.hidden_message(view, _options(release), lang), className="note")
    figure, summary = CH.render(chart, view, ViewState(None), _options(release), lang)
    yes = (view.frame[chart.item] == H.YES).to_numpy()
    table = CH.table_frame(view, lang)[yes].reset_index(drop=True)
    base = f"explore.trend.{chart_name.removeprefix('trend_')}"
    caption = _caption(t(f"{base}.caption", lang), view.frame[yes], lang)
    return _card(graph_id, t(f"{base}.title", lang), _small(figure), caption, summary, table, view.dims, lang)


def _top_card(release: Release, dim: str, graph_id: str, lang: str) -> html.Section:
    top = H.top_categories(release, dim)
    shown = {c.code for c in top.shown}
    figure = F.bars(
        top.frame[top.frame[dim].isin(shown)], dim, CH.labels(dim, lang), None, t("explore.axis.respondents", lang)
    )
    summary = S.top_sentence(top, release, lang).text
    name = "victimisation_type" if dim == D.VICTIMISATION else "labour_site"
    caption = _caption(t(f"summary.chart.{name}.caption", lang, wave=top.wave), top.frame, lang)
    title = t(f"summary.chart.{name}.title", lang, wave=top.wave)
    view = lookup(release, ViewState(top.wave), (dim,), drop=(dim,))
    table = CH.table_frame(view, lang) if view.ok else pd.DataFrame()
    return _card(graph_id, title, _small(figure), caption, summary, table, (dim,), lang)


def _map_card(release: Release, lang: str) -> html.Section:
    wave = max(release.waves)
    state = ViewState(wave)
    provinces, cities = CH.map_views(release, state)
    figure, summary = CH.render_map(provinces, cities, state, lang, dash.get_asset_url(PROVINCES_ASSET))
    figure["layout"]["height"] = 320
    shown = cities if cities.ok else provinces
    caption = _caption(t("summary.chart.map.caption", lang, wave=wave), shown.frame, lang)
    title = t("summary.chart.map.title", lang, wave=wave)
    table = CH.table_frame(shown, lang)
    return _card(ids.SUMMARY_MAP, title, figure, caption, summary, table, shown.dims, lang, graph_config(True))


def _respondents_card(release: Release, lang: str) -> html.Section:
    total = release.table().frame
    caption = t("chart.respondents_by_wave.caption", lang)
    if release.meta["rounded"]:
        caption = f"{caption} {t('note.rounded', lang)}"
    figure = trends.respondents_by_wave(total, lang)
    figure.update_layout(height=SMALL_CHART_HEIGHT)
    return chart_card(
        ids.HOME_RESPONDENTS_CHART,
        t("chart.respondents_by_wave.title", lang),
        figure,
        _caption(caption, total, lang),
        trends.respondents_summary(total, lang),
        display_table(total, [TB.COUNT]),
        lang,
        headers={"wave": t("axis.wave", lang), TB.COUNT: t("axis.respondents", lang)},
    )


def _charts(release: Release, lang: str) -> html.Div:
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


# --- vintage, source and citation -----------------------------------------------------------------------------


def _vintage(release: Release, lang: str) -> html.Section:
    v = H.vintage(release)
    lines = [
        t("summary.vintage.waves", lang, first=v["first_wave"], latest=v["latest_wave"], count=len(v["waves"])),
        t(
            "summary.vintage.release",
            lang,
            tier=t(f"tier.{v['tier']}", lang),
            name=v["dataset"],
            version=v["dataset_version"],
        ),
    ]
    if v["release_version"]:
        lines.append(t("summary.vintage.release_version", lang, version=v["release_version"]))
    if v["released"]:
        lines.append(t("summary.vintage.released", lang, date=v["released"]))
    if v["rounded"]:
        lines.append(t("note.rounded", lang))
    lines += [t("summary.vintage.respondents", lang), t("legend.flags", lang)]
    return html.Section(
        [
            html.H2(t("summary.vintage.title", lang), id=f"{ids.SUMMARY_VINTAGE}-title"),
            html.P(" ".join(lines)),
            html.P(t("footer.source", lang, source=v["source"]), className="summary-source"),
            html.P(t("footer.cite", lang, citation=v["citation"]), className="summary-citation"),
            html.P(t("footer.licence", lang, licence=v["licence"])),
        ],
        id=ids.SUMMARY_VINTAGE,
        className="card summary-vintage",
        **{"aria-labelledby": f"{ids.SUMMARY_VINTAGE}-title"},
    )


def layout(lang: str = "en", **_ignored: str) -> html.Div:
    lang = lang if lang in LANGUAGES else "en"
    release = context.current().release
    return html.Div(
        [
            html.H1(t("summary.heading", lang)),
            html.P(t("summary.intro", lang), className="lead"),
            html.Div(
                [
                    html.Button(
                        t("summary.print", lang), id=ids.SUMMARY_PRINT, className="button-secondary", type="button"
                    ),
                    html.Span(t("summary.print_hint", lang), className="note"),
                ],
                className="summary-actions",
            ),
            _kpis(release, lang),
            _findings(release, lang),
            _charts(release, lang),
            _vintage(release, lang),
            _cities(release, lang),
        ],
        className="summary-page",
        lang=lang,
    )


# The print button prints; assets/summary-print.js fits the charts to the print layout while printing.
clientside_callback(
    ClientsideFunction(namespace="summary", function_name="print"),
    Output(ids.SUMMARY_PRINT, "title"),
    Input(ids.SUMMARY_PRINT, "n_clicks"),
)
