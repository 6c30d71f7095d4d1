"""The explore page (``/explore``): filters, cross-filtering charts, table views and downloads.

The view lives in the URL. Every callback re-reads it from the store, re-validates it against what the tier
publishes, and reads only the tier's published release.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import dash
import flask
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html

from dashboard import audit_log as AL
from dashboard import context, ids
from dashboard import formatting as FMT
from dashboard.accounts.store import PUBLIC
from dashboard.auth.guard import allow
from dashboard.auth.identity import viewer_name
from dashboard.components.chart import graph_config, markdown_table
from dashboard.components.export import to_csv, to_xlsx
from dashboard.i18n import t
from dashboard.paths import PROVINCES_ASSET
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import headline, lookup
from dashboard.views import charts as CH
from dashboard.views.state import ALL as ALL_VALUE
from dashboard.views.state import DIM_PARAM, PARAMS, Options, ViewState, parse

dash.register_page(
    __name__, path="/explore", name="nav.explore", title=t("explore.title"), order=1, description=t("explore.intro")
)

LANG = "en"
LOG = logging.getLogger(__name__)
# SPEC §4 exports: the public tier exports chart images only (the chart's camera button); funders the published
# table on screen as CSV; coalition members CSV or XLSX.
EXPORT_FORMATS: Final = {"public": (), "funder": ("csv",), "coalition": ("csv", "xlsx")}


def _options() -> Options:
    return Options.cached(context.current().release)


def _geojson_url() -> str:
    return dash.get_asset_url(PROVINCES_ASSET)


def _filter_dims(options: Options) -> list[str]:
    return [d for d in PARAMS.values() if d in options.categories]


def _choice_group(dim: str, legend: str, choices: list[tuple[str, str]], value: str) -> html.Fieldset:
    """A labelled group of toggle buttons (``aria-pressed``): every choice visible and reachable by Tab."""
    buttons = [
        html.Button(
            label,
            id={"type": ids.EXPLORE_CHOICE, "dim": dim, "value": code},
            className="choice",
            **{"aria-pressed": "true" if code == value else "false"},
        )
        for code, label in choices
    ]
    return html.Fieldset(
        [html.Legend(legend), html.Div(buttons, className="choice-list")],
        className="filter",
        id=f"explore-filter-{dim}",
    )


def _filter_control(dim: str, value: str | None, options: Options) -> html.Fieldset:
    names = CH.labels(dim, LANG)
    choices = [(ALL_VALUE, t("explore.all", LANG))] + [(c, names.get(c, c)) for c in options.categories[dim]]
    return _choice_group(dim, _dim_title(dim), choices, value or ALL_VALUE)


def _dim_title(dim: str) -> str:
    return CH.dim_title(dim, LANG)


def _panel(chart: str, title: str, caption: str) -> html.Section:
    heading = f"explore-heading-{chart}"
    formats = EXPORT_FORMATS[context.current().tier]
    buttons: list = [
        html.Button(
            t(f"explore.download.{fmt}", LANG),
            id={"type": ids.EXPLORE_DOWNLOAD_BUTTON, "chart": chart, "fmt": fmt},
            className="button-secondary",
        )
        for fmt in formats
    ] or [html.P(t("explore.download.images_only", LANG), className="chart-caption")]
    return html.Section(
        [
            html.H2(title, id=heading),
            html.P(id=ids.explore_id("summary", chart), className="chart-summary"),
            html.P(id=ids.explore_id("message", chart), className="chart-message", role="status"),
            html.Div(
                dcc.Graph(id=ids.explore_id("graph", chart), config=graph_config(chart == "map"), className="chart"),
                role="figure",
                **{"aria-labelledby": heading, "aria-describedby": ids.explore_id("summary", chart)},
            ),
            html.P(caption, className="chart-caption"),
            html.P(t("legend.flags", LANG), className="chart-legend"),
            html.Details(
                [html.Summary(t("table.view", LANG)), html.Div(id=ids.explore_id("table", chart))],
                className="table-view",
            ),
            html.Div(buttons, className="downloads"),
        ],
        className="card chart-card",
        **{"aria-labelledby": heading},
    )


def _panels(options: Options) -> list[html.Section]:
    sector = options.sector_dim
    return [
        _panel("map", t("explore.map.title", LANG), t("explore.map.caption", LANG)),
        _panel("sector", t(f"explore.bars.{sector}.title", LANG), t("explore.bars.sector.caption", LANG)),
        _panel("labour_site", t("explore.bars.labour_site.title", LANG), t("explore.bars.labour_site.caption", LANG)),
        _panel(
            "victimisation_type",
            t("explore.bars.victimisation_type.title", LANG),
            t("explore.bars.victimisation_type.caption", LANG),
        ),
        _panel("heatmap", t("explore.heatmap.title", LANG), t("explore.heatmap.caption", LANG)),
        _panel("trend_contact", t("explore.trend.contact.title", LANG), t("explore.trend.contact.caption", LANG)),
        _panel("trend_trained", t("explore.trend.trained.title", LANG), t("explore.trend.trained.caption", LANG)),
    ]


def layout(**query: str) -> html.Div:
    options = _options()
    parsed = parse(query, options)
    state = parsed.state
    wave_choices = [(str(w), str(w)) for w in sorted(options.waves, reverse=True)]
    wave_choices.append(("all", t("explore.wave.all", LANG)))
    release = context.current().release
    notes = [t("note.rounded", LANG)] if release.meta["rounded"] else []
    return html.Div(
        [
            dcc.Store(id=ids.EXPLORE_STATE, data=state.to_query()),
            html.Div(id=ids.EXPLORE_URL_SYNC, hidden=True),
            dcc.Download(id=ids.EXPLORE_DOWNLOAD),
            html.H1(t("explore.title", LANG)),
            html.P(t("explore.intro", LANG), className="lead"),
            *[html.P(n, className="note") for n in notes],
            html.Div(
                [html.P(t(key, LANG, **values)) for key, values in parsed.notices],
                id=ids.EXPLORE_NOTICE,
                className="notice-inline",
                role="status",
                **{"aria-live": "polite"},
            ),
            html.Section(
                [
                    html.H2(t("explore.filters", LANG)),
                    html.P(t("explore.limit", LANG, max=options.max_dims), className="chart-caption"),
                    html.Div(
                        [
                            _choice_group(
                                WAVE_DIM,
                                t("explore.wave", LANG),
                                wave_choices,
                                "all" if state.wave is None else str(state.wave),
                            ),
                            *[_filter_control(d, state.value(d), options) for d in _filter_dims(options)],
                        ],
                        className="filter-grid",
                    ),
                    html.Div(_active(state), id=ids.EXPLORE_ACTIVE, className="active-filters"),
                    html.Button(t("explore.reset", LANG), id=ids.EXPLORE_RESET, className="button-secondary"),
                ],
                className="card filters",
                **{"aria-label": t("explore.filters", LANG)},
            ),
            html.Div(
                id=ids.EXPLORE_KPIS,
                className="kpi-strip",
                role="region",
                **{"aria-label": t("explore.kpi.respondents", LANG)},
            ),
            html.Div(_panels(options), className="chart-grid"),
        ]
    )


def _active(state: ViewState) -> list:
    if not state.filters:
        return [html.Span(t("explore.none_active", LANG))]
    chips = []
    for dim, value in state.filters:
        label = f"{_dim_title(dim)}: {CH.labels(dim, LANG).get(value, value)}"
        chips.append(
            html.Button(
                f"{label} ×",
                id={"type": ids.EXPLORE_REMOVE, "dim": dim},
                className="chip",
                **{"aria-label": t("explore.remove", LANG, label=label)},
            )
        )
    return [html.Span(t("explore.active", LANG)), *chips]


def _click(triggered: str, click: dict | None) -> list[tuple[str, str]]:
    """The filters a click on a chart stands for."""
    if not click or not click.get("points"):
        return []
    data = click["points"][0].get("customdata")
    options = _options()
    if triggered == ids.explore_id("graph", "map") and isinstance(data, list) and len(data) == 2:
        return [(D.PROVINCE if data[0] == "province" else D.CITY, str(data[1]))]
    if triggered == ids.explore_id("graph", "heatmap") and isinstance(data, list) and len(data) == 2:
        return [(options.sector_dim, str(data[0])), (D.LABOUR_SITE, str(data[1]))]
    dim = {"sector": options.sector_dim, "labour_site": D.LABOUR_SITE, "victimisation_type": D.VICTIMISATION}.get(
        triggered.removeprefix("explore-graph-")
    )
    return [(dim, str(data))] if dim and isinstance(data, str) else []


CLICK_CHARTS = ("map", "sector", "labour_site", "victimisation_type", "heatmap")
WAVE_DIM = "wave"


CHOICES = {"type": ids.EXPLORE_CHOICE, "dim": ALL, "value": ALL}


@callback(
    Output(ids.EXPLORE_STATE, "data"),
    Output(CHOICES, "aria-pressed"),
    Output(ids.EXPLORE_NOTICE, "children"),
    Output(ids.EXPLORE_ACTIVE, "children"),
    Input(CHOICES, "n_clicks"),
    Input({"type": ids.EXPLORE_REMOVE, "dim": ALL}, "n_clicks"),
    Input(ids.EXPLORE_RESET, "n_clicks"),
    *[Input(ids.explore_id("graph", c), "clickData") for c in CLICK_CHARTS],
    State(ids.EXPLORE_STATE, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def update_state(_choices: Any, _removes: Any, _reset: Any, *clicks_and_state: Any) -> tuple:
    """Validate the change that triggered the call and return the new view (or refuse it with a notice)."""
    *clicks, current = clicks_and_state
    options = _options()
    state = parse(str(current or ""), options).state
    notices: list = []
    triggered = ctx.triggered_id
    changes: list[tuple[str, str]] = []
    if triggered == ids.EXPLORE_RESET:
        state = ViewState(max(options.waves))
    elif isinstance(triggered, dict) and triggered.get("type") == ids.EXPLORE_REMOVE:
        state = state.with_filter(str(triggered.get("dim")), None)
    elif isinstance(triggered, dict) and triggered.get("type") == ids.EXPLORE_CHOICE:
        dim, value = str(triggered.get("dim")), str(triggered.get("value"))
        if dim == WAVE_DIM:
            if value == "all" or (value.isdigit() and int(value) in options.waves):
                state = ViewState(None if value == "all" else int(value), state.filters)
            else:
                notices.append(t("explore.notice.refused", LANG))
        else:
            changes = [(dim, value)]
    elif isinstance(triggered, str) and triggered.startswith("explore-graph-"):
        changes = _click(triggered, clicks[CLICK_CHARTS.index(triggered.removeprefix("explore-graph-"))])
    for dim, value in changes:
        if dim not in options.categories or (value != ALL_VALUE and not options.allows(dim, value)):
            notices.append(t("explore.notice.refused", LANG))
            continue
        candidate = state.with_filter(dim, value)
        if len(candidate.filters) > options.max_dims:
            notices.append(t("explore.notice.too_many", LANG, param=DIM_PARAM.get(dim, dim), max=str(options.max_dims)))
            continue
        state = candidate
    pressed = [_pressed(item["id"], state) for item in ctx.outputs_list[1]]
    return state.to_query(), pressed, [html.P(n) for n in notices], _active(state)


def _pressed(choice: dict, state: ViewState) -> str:
    dim, value = choice.get("dim"), choice.get("value")
    if dim == WAVE_DIM:
        current = "all" if state.wave is None else str(state.wave)
    else:
        current = state.value(str(dim)) or ALL_VALUE
    return "true" if value == current else "false"


clientside_callback(
    """function(query) {
        if (typeof query === 'string' && query.startsWith('?')) {
            window.history.replaceState(null, '', window.location.pathname + query);
        }
        return '';
    }""",
    Output(ids.EXPLORE_URL_SYNC, "children"),
    Input(ids.EXPLORE_STATE, "data"),
)


def _state_from(query: Any) -> tuple[ViewState, Options]:
    options = _options()
    return parse(str(query or ""), options).state, options


def _table(view: Any, title: str) -> list:
    """The table view as one Markdown component (a large HTML table of Dash components is slow to build)."""
    columns = CH.table_columns(view, LANG)
    headers = CH.table_headers(view, LANG)
    return [
        html.P(t("table.caption", LANG, title=title), className="table-caption"),
        dcc.Markdown(markdown_table(columns, headers), className="data-table-md"),
    ]


EMPTY_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 60}}


def render_chart(name: str, query: Any) -> tuple:
    """Figure, summary, table view and message of one chart for the view in ``query``."""
    state, options = _state_from(query)
    release = context.current().release
    chart = CH.CHART_BY_NAME[name]
    if chart.kind == "map":
        provinces, cities = CH.map_views(release, state)
        if not provinces.ok and not cities.ok:
            return EMPTY_FIGURE, "", [], CH.hidden_message(provinces, options, LANG)
        fig, summary = CH.render_map(provinces, cities, state, LANG, _geojson_url())
        table = _table(cities if cities.ok else provinces, t("explore.map.title", LANG))
        return fig, summary, table, ""
    view = CH.chart_view(release, state, chart, options)
    if not view.ok:
        return EMPTY_FIGURE, "", [], CH.hidden_message(view, options, LANG)
    fig, summary = CH.render(chart, view, state, options, LANG)
    return fig, summary, _table(view, name), ""


def safe_render(name: str, query: Any) -> tuple:
    """``render_chart``, but an unexpected failure shows "not available" (and is logged), never a 500."""
    try:
        return render_chart(name, query)
    except Exception:
        LOG.exception("explore chart %s failed for %r", name, str(query)[:200])
        return EMPTY_FIGURE, "", [], t("explore.notice.refused", LANG)


def _register(name: str) -> None:
    callback(
        Output(ids.explore_id("graph", name), "figure"),
        Output(ids.explore_id("summary", name), "children"),
        Output(ids.explore_id("table", name), "children"),
        Output(ids.explore_id("message", name), "children"),
        Input(ids.EXPLORE_STATE, "data"),
    )(allow(PUBLIC)(lambda query, _name=name: safe_render(_name, query)))


for _chart in CH.CHARTS:
    _register(_chart.name)


def _kpi(label: str, value: str, detail: str = "") -> html.Div:
    return html.Div(
        [
            html.P(label, className="kpi-label"),
            html.P(value, className="kpi-value"),
            html.P(detail, className="kpi-detail"),
        ],
        className="kpi",
    )


def kpis(query: Any) -> list:
    state, options = _state_from(query)
    release = context.current().release
    wave_state = state if state.wave is not None else ViewState(max(options.waves), state.filters)
    total = headline(lookup(release, wave_state, ()))
    out = [
        _kpi(
            t("explore.kpi.respondents", LANG),
            FMT.count(total["count"] if total else None, LANG),
            str(wave_state.wave),
        )
    ]
    for item, key in ((D.CONTACT, "explore.kpi.contact"), (D.TRAINED, "explore.kpi.trained")):
        h = headline(lookup(release, wave_state, (item,), drop=(item,)), item)
        if h and h["pct"] is not None:
            detail = t(
                "explore.kpi.k_of_n",
                LANG,
                k=FMT.count(h["count"], LANG),
                n=FMT.count(h["n"], LANG),
                pct=FMT.share(h["pct"], LANG),
                lo=FMT.share(h["ci_lo"], LANG),
                hi=FMT.share(h["ci_hi"], LANG),
            )
            stat = t("number.percent", LANG, pct=FMT.share(h["pct"], LANG))
            out.append(_kpi(t(key, LANG), f"{stat} {h['flag']}".strip(), detail))
        else:
            out.append(_kpi(t(key, LANG), TB.SUPPRESSED, t("explore.kpi.hidden", LANG)))
    return out


callback(Output(ids.EXPLORE_KPIS, "children"), Input(ids.EXPLORE_STATE, "data"))(allow(PUBLIC)(kpis))


@callback(
    Output(ids.EXPLORE_DOWNLOAD, "data"),
    Input({"type": ids.EXPLORE_DOWNLOAD_BUTTON, "chart": ALL, "fmt": ALL}, "n_clicks"),
    State(ids.EXPLORE_STATE, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def download(clicks: Any, query: Any) -> Any:
    """The published table behind a chart, as on screen (never more), as CSV or XLSX."""
    triggered = ctx.triggered_id
    if not isinstance(triggered, dict) or not any(c for c in (clicks or []) if c):
        return dash.no_update
    name, fmt = str(triggered.get("chart")), str(triggered.get("fmt"))
    app = context.current()
    if name not in CH.CHART_BY_NAME or fmt not in EXPORT_FORMATS[app.tier]:
        return dash.no_update
    state, options = _state_from(query)
    release = app.release
    chart = CH.CHART_BY_NAME[name]
    view = CH.map_views(release, state)[1] if chart.kind == "map" else CH.chart_view(release, state, chart, options)
    if not view.ok:
        return dash.no_update
    frame = CH.table_frame(view, LANG)
    filename = f"trafficking-{release.tier}-{name}{state.to_query().replace('?', '_').replace('&', '_')}"
    filename = "".join(ch if ch.isalnum() or ch in "-_=" else "-" for ch in filename)[:120]
    app.audit.record(
        AL.EXPORT, user=viewer_name(), address=flask.request.remote_addr, table=name, format=fmt, rows=len(frame)
    )
    if fmt == "csv":
        return dcc.send_string(to_csv(frame), f"{filename}.csv")
    return dcc.send_bytes(to_xlsx(frame), f"{filename}.xlsx")
