"""What the explore page's callbacks return: a chart's figure, summary, table view and message; the headline strip.

Each takes the served release and the view as the URL store holds it (re-parsed and re-validated here: the store
is browser state and may be forged) and reads only published tables, through ``dashboard.views``.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import dcc, html

from dashboard import formatting as FMT
from dashboard.components.chart import markdown_table
from dashboard.i18n import t
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import headline, lookup
from dashboard.published.table import Release
from dashboard.views import charts as CH
from dashboard.views.state import Options, ViewState, parse

LOG = logging.getLogger(__name__)


def state_of(release: Release, query: Any) -> tuple[ViewState, Options]:
    """The view in the URL store (the nearest the tier allows), and what the tier publishes."""
    options = Options.cached(release)
    return parse(str(query or ""), options).state, options


def _table(view: Any, title: str, lang: str) -> list:
    """The table view as one Markdown component (a large HTML table of Dash components is slow to build)."""
    columns = CH.table_columns(view, lang)
    headers = CH.table_headers(view, lang)
    return [
        html.P(t("table.caption", lang, title=title), className="table-caption"),
        dcc.Markdown(markdown_table(columns, headers, lang), className="data-table-md"),
    ]


EMPTY_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 60}}


def render_chart(name: str, release: Release, query: Any, lang: str, geojson_url: str) -> tuple:
    """Figure, summary, table view and message of one chart for the view in ``query``."""
    state, options = state_of(release, query)
    chart = CH.CHART_BY_NAME[name]
    if chart.kind == "map":
        provinces, cities = CH.map_views(release, state)
        if not provinces.ok and not cities.ok:
            return EMPTY_FIGURE, "", [], CH.hidden_message(provinces, options, lang)
        fig, summary = CH.render_map(provinces, cities, state, lang, geojson_url)
        table = _table(CH.map_source(provinces, cities), CH.chart_title(name, options, lang), lang)
        return fig, summary, table, ""
    view = CH.chart_view(release, state, chart, options)
    if not view.ok:
        return EMPTY_FIGURE, "", [], CH.hidden_message(view, options, lang)
    fig, summary = CH.render(chart, view, state, options, lang)
    return fig, summary, _table(view, CH.chart_title(name, options, lang), lang), ""


def safe_render(name: str, release: Release, query: Any, lang: str, geojson_url: str) -> tuple:
    """``render_chart``, but an unexpected failure shows "not available" (and is logged), never a 500."""
    try:
        return render_chart(name, release, query, lang, geojson_url)
    except Exception:
        LOG.exception("explore chart %s failed for %r", name, str(query)[:200])
        return EMPTY_FIGURE, "", [], t("explore.notice.refused", lang)


def _kpi(label: str, value: str, detail: str = "") -> html.Div:
    return html.Div(
        [
            html.P(label, className="kpi-label"),
            html.P(value, className="kpi-value"),
            html.P(detail, className="kpi-detail"),
        ],
        className="kpi",
    )


def kpis(release: Release, state: ViewState, options: Options, lang: str) -> list:
    """The headline strip of a view: respondents, and the shares reporting contact and trained (or ``x``)."""
    wave_state = state if state.wave is not None else ViewState(max(options.waves), state.filters)
    total = headline(lookup(release, wave_state, ()))
    rounded = bool(release.meta.get("rounded"))  # rounded counts read "about 250 of 460", as on the summary
    respondents = FMT.count(total["count"] if total else None, lang)
    if rounded and respondents != TB.SUPPRESSED:
        respondents = t("summary.count_rounded", lang, n=respondents)
    out = [_kpi(t("explore.kpi.respondents", lang), respondents, str(wave_state.wave))]
    for item, key in ((D.CONTACT, "explore.kpi.contact"), (D.TRAINED, "explore.kpi.trained")):
        h = headline(lookup(release, wave_state, (item,), drop=(item,)), item)
        if h and h["pct"] is not None:
            detail = t(
                "explore.kpi.k_of_n_rounded" if rounded else "explore.kpi.k_of_n",
                lang,
                k=FMT.count(h["count"], lang),
                n=FMT.count(h["n"], lang),
                pct=FMT.share(h["pct"], lang),
                lo=FMT.share(h["ci_lo"], lang),
                hi=FMT.share(h["ci_hi"], lang),
            )
            stat = t("number.percent", lang, pct=FMT.share(h["pct"], lang))
            out.append(_kpi(t(key, lang), f"{stat} {h['flag']}".strip(), detail))
        else:
            out.append(_kpi(t(key, lang), TB.SUPPRESSED, t("explore.kpi.hidden", lang)))
    return out
