"""The explore page (``/explore``): filters, cross-filtering charts, table views and downloads.

The view lives in the URL. Every callback re-reads it from the store, re-validates it against what the tier
publishes, and reads only the tier's published release.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL as ALL_IDS
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html

from dashboard import context, ids, language
from dashboard.accounts.store import PUBLIC
from dashboard.auth.guard import allow
from dashboard.callback_cache import cacheable
from dashboard.components import download as DL
from dashboard.components.aria import Aria
from dashboard.components.chart import PanelParts, chart_panel, graph, graph_config
from dashboard.components.toggles import clicked, pressed, toggle_group
from dashboard.i18n import t
from dashboard.pages import register_page
from dashboard.pages.sections import explore as SE
from dashboard.paths import PROVINCES_ASSET
from dashboard.published.table import Release
from dashboard.views import charts as CH
from dashboard.views.explore import (
    CLICK_CHARTS,
    WAVE_DIM,
    Notice,
    export_of,
    next_state,
    param_label,
    selected,
    trigger_of,
)
from dashboard.views.state import ALL, PARAMS, Options, ViewState, parse

register_page(__name__, "/explore", "nav.explore", "explore.title", 1, "explore.intro")


def _release() -> Release:
    return context.current().release


def _options() -> Options:
    return Options.cached(_release())


def _geojson_url() -> str:
    return dash.get_asset_url(PROVINCES_ASSET)


def _filter_dims(options: Options) -> list[str]:
    return [d for d in PARAMS.values() if d in options.categories]


def _choice_group(dim: str, legend: str, choices: list[tuple[str, str]], value: str) -> html.Fieldset:
    return toggle_group(f"explore-filter-{dim}", legend, choices, value, ids.EXPLORE_CHOICE, {"dim": dim})


def _filter_control(dim: str, value: str | None, options: Options) -> html.Fieldset:
    names = CH.labels(dim, _lang())
    choices = [(ALL, CH.all_label(dim, _lang()))] + [(c, names.get(c, c)) for c in options.categories[dim]]
    return _choice_group(dim, _dim_title(dim), choices, value or ALL)


def _dim_title(dim: str) -> str:
    return CH.dim_title(dim, _lang())


def _panel(chart: str, title: str, caption: str) -> html.Section:
    """A chart panel whose figure, summary, message and table view the chart's callback fills."""
    release = context.current().release
    return chart_panel(
        chart,
        title,
        graph(ids.explore_id("graph", chart), config=graph_config(chart == "map"), lang=_lang()),
        caption,
        _lang(),
        PanelParts(
            summary=None,
            heading_id=f"explore-heading-{chart}",
            summary_id=ids.explore_id("summary", chart),
            before=[html.P(id=ids.explore_id("message", chart), className="chart-message", role="status")],
            table=html.Div(id=ids.explore_id("table", chart)),
            legend=True,
            downloads=DL.download_buttons(ids.EXPLORE_DOWNLOAD_BUTTON, {"chart": chart}, release.tier, _lang()),
        ),
    )


def _panels(options: Options) -> list[html.Section]:
    return [
        _panel(c.name, CH.chart_title(c.name, options, _lang()), CH.chart_caption(c.name, _lang())) for c in CH.CHARTS
    ]


def _lang() -> str:
    """The reader's language (``dashboard.language``), in the layout and in every callback of the page."""
    return language.current()


def layout(**query: str) -> html.Div:
    language.adopt(query.get(language.PARAM))
    options = _options()
    parsed = parse(query, options)
    state = parsed.state
    wave_choices = [(str(w), str(w)) for w in sorted(options.waves, reverse=True)]
    wave_choices.append((ALL, t("explore.wave.all", _lang())))
    release = context.current().release
    notes = [t("note.rounded", _lang())] if release.meta["rounded"] else []
    return html.Div(
        [
            dcc.Store(id=ids.EXPLORE_STATE, data=state.to_query()),
            html.Div(id=ids.EXPLORE_URL_SYNC, hidden=True),
            dcc.Download(id=ids.EXPLORE_DOWNLOAD),
            html.H1(t("explore.title", _lang())),
            html.P(t("explore.intro", _lang()), className="lead"),
            *[html.P(n, className="note") for n in notes],
            html.Div(
                _notices(parsed.notices),
                id=ids.EXPLORE_NOTICE,
                className="notice-inline",
                role="status",
                **Aria({"aria-live": "polite"}),
            ),
            html.Section(
                [
                    html.H2(t("explore.filters", _lang())),
                    html.P(t("explore.limit", _lang(), count=options.max_dims), className="chart-caption"),
                    html.Div(
                        [
                            _choice_group(
                                WAVE_DIM, t("explore.wave", _lang()), wave_choices, selected(state, WAVE_DIM)
                            ),
                            *[_filter_control(d, state.value(d), options) for d in _filter_dims(options)],
                        ],
                        className="filter-grid",
                    ),
                    html.Div(_active(state), id=ids.EXPLORE_ACTIVE, className="active-filters"),
                    html.Button(t("explore.reset", _lang()), id=ids.EXPLORE_RESET, className="button-secondary"),
                ],
                className="card filters",
                **Aria({"aria-label": t("explore.filters", _lang())}),
            ),
            html.Div(
                id=ids.EXPLORE_KPIS,
                className="kpi-strip",
                role="region",
                **Aria({"aria-label": t("explore.kpi.respondents", _lang())}),
            ),
            html.Div(_panels(options), className="chart-grid"),
        ]
    )


def _active(state: ViewState) -> list:
    if not state.filters:
        return [html.Span(t("explore.none_active", _lang()))]
    chips = []
    for dim, value in state.filters:
        label = t("label.value", _lang(), label=_dim_title(dim), value=CH.labels(dim, _lang()).get(value, value))
        chips.append(
            html.Button(
                f"{label} ×",
                id={"type": ids.EXPLORE_REMOVE, "dim": dim},
                className="chip",
                **Aria({"aria-label": t("explore.remove", _lang(), label=label)}),
            )
        )
    return [html.Span(t("explore.active", _lang())), *chips]


CHOICES = {"type": ids.EXPLORE_CHOICE, "dim": ALL_IDS, "value": ALL_IDS}


@callback(
    Output(ids.EXPLORE_STATE, "data"),
    Output(CHOICES, "aria-pressed"),
    Output(ids.EXPLORE_NOTICE, "children"),
    Output(ids.EXPLORE_ACTIVE, "children"),
    Input(CHOICES, "n_clicks"),
    Input({"type": ids.EXPLORE_REMOVE, "dim": ALL_IDS}, "n_clicks"),
    Input(ids.EXPLORE_RESET, "n_clicks"),
    *[Input(ids.explore_id("graph", c), "clickData") for c in CLICK_CHARTS],
    State(ids.EXPLORE_STATE, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
@cacheable
def update_state(_choices: Any, _removes: Any, _reset: Any, *clicks_and_state: Any) -> tuple:
    """The view after the click that triggered the call (``next_state``), or the same view with a notice."""
    *clicks, current = clicks_and_state
    options = _options()
    state, notices = next_state(parse(str(current or ""), options).state, options, trigger_of(ctx.triggered_id, clicks))
    buttons = [item["id"] for item in ctx.outputs_list[1]]
    shown = [pressed(str(b.get("value")), selected(state, str(b.get("dim")))) for b in buttons]
    return state.to_query(), shown, _notices(notices), _active(state)


def _notices(notices: list[Notice]) -> list[html.P]:
    """The notices in the reader's language, a filter named by its label ("Rôle"), not its address code."""
    lang = _lang()
    return [html.P(t(key, lang, **{**values, **param_label(values, lang)})) for key, values in notices]


# The address bar holds the view and the page's language (``lang=``): a copied link reopens both.
clientside_callback(
    ClientsideFunction(namespace="address", function_name="keep"),
    Output(ids.EXPLORE_URL_SYNC, "children"),
    Input(ids.EXPLORE_STATE, "data"),
)


def _state_from(query: Any) -> tuple[ViewState, Options]:
    return SE.state_of(_release(), query)


def _register(name: str) -> None:
    callback(
        Output(ids.explore_id("graph", name), "figure"),
        Output(ids.explore_id("summary", name), "children"),
        Output(ids.explore_id("table", name), "children"),
        Output(ids.explore_id("message", name), "children"),
        Input(ids.EXPLORE_STATE, "data"),
    )(
        allow(PUBLIC)(
            cacheable(lambda query, _name=name: SE.safe_render(_name, _release(), query, _lang(), _geojson_url()))
        )
    )


for _chart in CH.CHARTS:
    _register(_chart.name)


def kpis(query: Any) -> list:
    return SE.kpis(_release(), *_state_from(query), _lang())


callback(Output(ids.EXPLORE_KPIS, "children"), Input(ids.EXPLORE_STATE, "data"))(allow(PUBLIC)(cacheable(kpis)))


@callback(
    Output(ids.EXPLORE_DOWNLOAD, "data"),
    Input({"type": ids.EXPLORE_DOWNLOAD_BUTTON, "chart": ALL_IDS, "fmt": ALL_IDS}, "n_clicks"),
    State(ids.EXPLORE_STATE, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def download(_clicks: Any, query: Any) -> Any:
    """The published table behind a chart, as on screen (never more), in a format the tier exports."""
    button = clicked(ctx.triggered_id, ctx.triggered)
    export = export_of(_release(), query, button, _lang()) if button is not None else None
    return DL.reply(export)
