"""The collaboration-network page (``/network``, issue 6): only published network tables of this tier are read.

The layout and two thin callbacks, each handing over to a pure function of ``dashboard.views.network_actions``: a
control's button gives the next choice (``next_choice``), re-validated against the published views, and redraws the
controls and sections (``dashboard.pages.sections.network``); a download button gives the published table on screen
in a format the tier exports (``export_of``), sent by ``dashboard.components.download``.
"""

from __future__ import annotations

from typing import Any

from dash import ALL as ALL_IDS
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard import context, ids, language
from dashboard.accounts.store import PUBLIC
from dashboard.auth.guard import allow
from dashboard.components import download as DL
from dashboard.components.aria import Aria
from dashboard.components.toggles import clicked
from dashboard.i18n import t
from dashboard.pages import register_page
from dashboard.pages.sections import network as S
from dashboard.published.dims import ALL
from dashboard.published.network_schema import NW
from dashboard.views import downloads as DX
from dashboard.views import network as V
from dashboard.views import network_actions as NA

register_page(__name__, "/network", "nav.network", "network.title", 20)


def layout(
    lang: str = "",
    wave: str | None = None,
    tie_type: str = ALL,
    city: str = ALL,
    size_by: str = V.DEFAULT_SIZE_BY,
    **_ignored: str,
) -> html.Div:
    lang = language.of_page(lang)
    app = context.current()
    release, vocab = app.release, app.vocab
    heading = [html.H1(t("network.heading", lang)), html.P(t("network.intro", lang), className="lead")]
    if NW.METRICS not in release.extras:
        return html.Div([*heading, html.P(t("network.no_tables", lang), className="notice", role="status")])
    choice = V.parse(release, wave, tie_type, city, size_by) if wave is not None else None
    choice = choice or V.default_choice(release)
    return html.Div(
        [
            *heading,
            dcc.Store(id=ids.NETWORK_CHOICE, data=choice._asdict()),
            html.Div(id=ids.NETWORK_URL_SYNC, hidden=True),
            dcc.Download(id=ids.NETWORK_DOWNLOAD),
            html.Section(
                S.controls(release, vocab, choice, lang),
                id=ids.NETWORK_CONTROLS,
                className="card controls filter-grid",
                **Aria({"aria-label": t("network.controls", lang)}),
            ),
            html.Div(id=ids.NETWORK_MESSAGE, role="status", className="notice"),
            dcc.Loading(html.Div(S.body(release, vocab, choice, lang), id=ids.NETWORK_BODY)),
        ]
    )


@callback(
    Output(ids.NETWORK_CHOICE, "data"),
    Output(ids.NETWORK_CONTROLS, "children"),
    Output(ids.NETWORK_BODY, "children"),
    Output(ids.NETWORK_MESSAGE, "children"),
    Input({"type": ids.NETWORK_OPTION, "control": ALL_IDS, "value": ALL_IDS}, "n_clicks"),
    State(ids.NETWORK_CHOICE, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def update(_clicks: list[Any], current: object) -> tuple[Any, Any, Any, Any]:
    button = clicked(ctx.triggered_id, ctx.triggered)
    if button is None:
        return no_update, no_update, no_update, no_update
    app, lang = context.current(), language.current()
    choice = NA.next_choice(app.release, current, button)
    if choice is None:
        return no_update, no_update, [], t(NA.NOT_AVAILABLE, lang)
    return (
        choice._asdict(),
        S.controls(app.release, app.vocab, choice, lang),
        S.body(app.release, app.vocab, choice, lang),
        "",
    )


# The address bar holds the view (wave, type of tie, city, size) and the language: a copied link, a reload or the
# language switch reopens the same view (``layout`` parses it again, so a forged address falls back to the default).
clientside_callback(
    ClientsideFunction(namespace="address", function_name="keep"),
    Output(ids.NETWORK_URL_SYNC, "children"),
    Input(ids.NETWORK_CHOICE, "data"),
)


@callback(
    Output(ids.NETWORK_DOWNLOAD, "data"),
    Output(ids.NETWORK_MESSAGE, "children", allow_duplicate=True),
    Input({"type": ids.NETWORK_DOWNLOAD_BUTTON, "table": ALL_IDS, "fmt": ALL_IDS}, "n_clicks"),
    State(ids.NETWORK_CHOICE, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def download(_clicks: list[Any], current: object) -> tuple[Any, Any]:
    button = clicked(ctx.triggered_id, ctx.triggered)
    if button is None:
        return no_update, no_update
    app, lang = context.current(), language.current()
    export = NA.export_of(app.release, app.vocab, current, button, lang)
    sent = DL.send(*export) if isinstance(export, DX.Export) else None
    return (sent, "") if sent is not None else (no_update, t(NA.NOT_AVAILABLE, lang))
