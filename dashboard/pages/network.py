"""The collaboration-network page (``/network``, issue 6): only published network tables of this tier are read."""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import dash
import dash_cytoscape as cyto
import flask
import pandas as pd
from dash import ALL as ALL_IDS
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import audit_log as AL
from dashboard import context, ids
from dashboard import formatting as FMT
from dashboard.accounts.store import PUBLIC
from dashboard.auth.guard import allow
from dashboard.auth.identity import viewer_name
from dashboard.components.chart import chart_card, data_table, display_table
from dashboard.data.vocab import Vocabularies
from dashboard.figures import network as F
from dashboard.i18n import LANGUAGES, t
from dashboard.published import table as TB
from dashboard.published.network_schema import ALL, BAND_CODES, BETWEEN, NW, VIEW, K
from dashboard.published.table import Release

dash.register_page(__name__, path="/network", name="nav.network", title=t("network.title"), order=20)

DOWNLOAD_TIERS: Final = ("funder", "coalition")  # SPEC §4: the public tier exports chart images only
WAVE, TIE_TYPE, CITY = VIEW
SIZE_BY: Final = "size_by"
SWATCH: Final = {
    "display": "inline-block",
    "width": "1rem",
    "height": "1rem",
    "marginRight": ".4rem",
    "border": "1px solid #1a1a1a",
    "verticalAlign": "middle",
}


class Choice(NamedTuple):
    """One validated choice of view (a NamedTuple: Dash loads page modules outside ``sys.modules``)."""

    wave: int
    tie_type: str
    city: str
    size_by: str = K.DEGREE


def allowed(release: Release) -> dict[str, list[Any]]:
    """The values each control may take: exactly the views this release publishes."""
    views = release.extras[NW.METRICS][list(VIEW)]
    return {name: list(dict.fromkeys(views[name].tolist())) for name in VIEW}


def parse(release: Release, wave: object, tie_type: object, city: object, size_by: object = K.DEGREE) -> Choice | None:
    """A ``Choice`` when every value is one the release publishes, else None (forged or stale input)."""
    ok = allowed(release)
    try:
        wave_int = int(str(wave))
    except ValueError:
        return None
    sizes = F.SIZE_BY if NW.NODES in release.extras else (K.DEGREE,)  # nothing to size below coalition tier
    if wave_int not in ok[WAVE] or tie_type not in ok[TIE_TYPE] or city not in ok[CITY] or size_by not in sizes:
        return None
    return Choice(wave_int, str(tie_type), str(city), str(size_by))


def default_choice(release: Release) -> Choice:
    ok = allowed(release)
    return Choice(max(ok[WAVE]), ALL, ALL)


def _rows(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    return frame[mask].reset_index(drop=True)


def view_tables(release: Release, choice: Choice) -> dict[str, pd.DataFrame]:
    """The published rows on screen for a choice, by table name (what a download gives)."""
    view = {WAVE: choice.wave, TIE_TYPE: choice.tie_type, CITY: choice.city}
    extras = release.extras
    out = {
        NW.MATRIX: _rows(extras[NW.MATRIX], **view),
        NW.METRICS: _rows(extras[NW.METRICS], **{TIE_TYPE: choice.tie_type, CITY: choice.city}),
        NW.CONTACT: _rows(extras[NW.CONTACT], **{WAVE: choice.wave}),
    }
    for name in (NW.GROUPS, NW.NODES, NW.EDGES, NW.BROKERS):
        if name in extras:
            out[name] = _rows(extras[name], **view)
    return out


def _labels(vocab: Vocabularies, release: Release, lang: str) -> dict[str, str]:
    name = "sector_group" if release.meta["policy"]["sector_groups"] else "sector"
    return vocab[name].label_map(lang)


def _band_labels(lang: str) -> dict[str, str]:
    return {code: t(f"network.band.{code}", lang) for code in BAND_CODES}


def _options(release: Release, vocab: Vocabularies, lang: str) -> dict[str, list[dict[str, Any]]]:
    ok = allowed(release)
    types = vocab["tie_type"].label_map(lang)
    cities = vocab["city"].label_map(lang)
    special = {ALL: t("network.city.all", lang), BETWEEN: t("network.city.between", lang)}
    return {
        WAVE: [{"label": str(w), "value": int(w)} for w in ok[WAVE]],
        TIE_TYPE: [
            {"label": t("network.tie_type.all", lang) if v == ALL else types[v], "value": v} for v in ok[TIE_TYPE]
        ],
        CITY: [{"label": special.get(v) or cities.get(v, v), "value": v} for v in ok[CITY]],
    }


def _caption(release: Release, key: str, lang: str) -> str:
    """A caption, with the rounding note in tiers whose counts are rounded (network counts included)."""
    caption = t(key, lang)
    return f"{caption} {t('network.note.rounded', lang)}" if release.meta.get("rounded") else caption


def _download_button(release: Release, name: str, lang: str) -> html.Button | None:
    if release.tier not in DOWNLOAD_TIERS:
        return None
    return html.Button(
        t("network.download", lang),
        id={"type": ids.NETWORK_DOWNLOAD_BUTTON, "table": name},
        className="button download-button",
        n_clicks=0,
    )


def _section(section_id: str, title: str, summary: str, content: list[Any], caption: str) -> html.Section:
    heading = f"{section_id}-title"
    return html.Section(
        [
            html.H2(title, id=heading),
            html.P(summary, className="chart-summary", id=f"{section_id}-summary"),
            *content,
            html.P(caption, className="chart-caption"),
        ],
        id=section_id,
        className="card",
        **{"aria-labelledby": heading},
    )


def _graph_section(
    release: Release, vocab: Vocabularies, tables: dict[str, pd.DataFrame], choice: Choice, lang: str
) -> html.Section:
    labels = _labels(vocab, release, lang)
    title = t("network.graph.title", lang)
    notice: tuple[html.P, html.Div] | None = None
    if NW.NODES in tables:
        sectors = vocab["sector"].label_map(lang)
        nodes, edges = tables[NW.NODES], tables[NW.EDGES]
        drawn = F.capped(nodes, edges, context.current().config.network_nodes)
        elements = F.org_elements(drawn.nodes, drawn.edges, sectors, vocab.sector_group_of(), choice.size_by)
        summary = F.org_summary(nodes, edges, tables[NW.BROKERS], sectors, lang)
        caption = t("network.graph.caption_orgs", lang)
        table = _edge_table(drawn.nodes, drawn.edges, elements, lang)
        if not drawn.rest.empty:
            notice = _not_drawn(drawn, len(nodes), sectors, lang)
        positioned = all("position" in e for e in elements if "source" not in e["data"])
        layout = {"name": "preset", "fit": True} if positioned else {"name": "cose", "animate": False}
        table_name = NW.EDGES
    else:
        matrix = tables[NW.MATRIX]
        elements = F.group_elements(matrix, labels, tables.get(NW.GROUPS))
        summary = F.matrix_summary(matrix, labels, lang)
        caption = _caption(release, "network.graph.caption_groups", lang)
        if NW.GROUPS in tables:
            caption = f"{caption} {t('network.graph.caption_bands', lang)}"
        table = _matrix_table(matrix, labels, lang)
        layout = {"name": "circle", "animate": False}
        table_name = NW.MATRIX
    graph = html.Div(
        cyto.Cytoscape(
            id=ids.NETWORK_GRAPH,
            elements=elements,
            layout=layout,
            stylesheet=F.STYLESHEET,
            style={"width": "100%", "height": "560px"},
            minZoom=0.2,
            maxZoom=3,
            userZoomingEnabled=True,
        ),
        role="figure",
        className="network-graph",
        **{"aria-label": t("network.graph.label", lang), "aria-describedby": f"{ids.NETWORK_GRAPH}-summary"},
    )
    legend = html.Ul(
        [
            html.Li([html.Span(className="swatch", style={**SWATCH, "background": colour}), label])
            for colour, label in F.legend_items(vocab["sector_group"].label_map(lang))
        ],
        className="network-legend",
        style={"listStyle": "none", "display": "flex", "flexWrap": "wrap", "gap": "1rem", "padding": 0},
        **{"aria-label": t("network.legend.title", lang)},
    )
    shown_note, rest_table = notice if notice else (None, None)
    view = _table_view(table, title, lang, [rest_table] if rest_table else None)
    content = [shown_note, graph, legend, view, _download_button(release, table_name, lang)]
    return _section(f"{ids.NETWORK_GRAPH}-card", title, summary, content, caption)


def _edge_table(nodes: pd.DataFrame, edges: pd.DataFrame, elements: F.Elements, lang: str) -> pd.DataFrame:
    """The table view of the ties drawn: organisation, partner, cross-sector, number of types."""
    names = dict(zip(nodes[K.NODE], (e["data"]["label"] for e in elements), strict=False))
    return pd.DataFrame(
        {
            t("network.col.organisation", lang): edges[K.SOURCE].map(names),
            t("network.col.partner", lang): edges[K.TARGET].map(names),
            t("network.col.cross", lang): [t("network.yes" if c else "network.no", lang) for c in edges[K.CROSS]],
            t("network.col.tie_types", lang): edges[K.TIE_TYPES],
        }
    )


def _not_drawn(drawn: F.Capped, total: int, sectors: dict[str, str], lang: str) -> tuple[html.P, html.Div]:
    """The notice of what the capped graph leaves out, and the by-sector table of it for the table view."""
    text = t(
        "network.graph.capped",
        lang,
        shown=len(drawn.nodes),
        total=total,
        rest=len(drawn.rest),
        ties=drawn.ties_not_drawn,
    )
    per = F.undrawn_by_sector(drawn.rest, sectors)
    per.columns = [t("network.col.sector_a", lang), t("network.col.not_drawn", lang), t("network.col.partners", lang)]
    title = t("network.graph.rest_title", lang)
    notice = html.P(text, className="notice", role="status", id=f"{ids.NETWORK_GRAPH}-capped")
    return notice, html.Div([html.H3(title), data_table(per, title)])


def _matrix_table(matrix: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    shown = display_table(matrix[[K.SECTOR_A, K.SECTOR_B, TB.COUNT]], [TB.COUNT])
    return pd.DataFrame(
        {
            t("network.col.sector_a", lang): shown[K.SECTOR_A].map(labels),
            t("network.col.sector_b", lang): shown[K.SECTOR_B].map(labels),
            t("network.col.ties", lang): shown[TB.COUNT],
        }
    )


def _table_view(table: pd.DataFrame, title: str, lang: str, extra: list[Any] | None = None) -> html.Details:
    return html.Details(
        [html.Summary(t("table.view", lang)), data_table(table, t("table.caption", lang, title=title)), *(extra or [])],
        className="table-view",
    )


def _metrics_section(release: Release, tables: dict[str, pd.DataFrame], choice: Choice, lang: str) -> html.Section:
    row = _rows(tables[NW.METRICS], **{WAVE: choice.wave})
    measures = (K.TIES, K.ORGS, K.DENSITY, K.CROSS_SHARE, K.EI, K.COMPONENTS)  # each "x" where not published
    values = {m: (row[m].iloc[0] if not row.empty else pd.NA) for m in measures}
    table = pd.DataFrame(
        {
            t("network.col.measure", lang): [t(f"network.col.{m}", lang) for m in measures],
            t("network.col.value", lang): [TB.SUPPRESSED if pd.isna(v) else str(v) for v in values.values()],
        }
    )
    if pd.isna(values[K.TIES]) or pd.isna(values[K.CROSS_SHARE]):
        summary = t("network.metrics.hidden", lang)
    else:
        summary = t(
            "network.metrics.summary_rounded" if release.meta.get("rounded") else "network.metrics.summary",
            lang,
            ties=FMT.count(values[K.TIES], lang),
            orgs=FMT.count(values[K.ORGS], lang),
            share=FMT.share(values[K.CROSS_SHARE], lang),
            ei=("+" if float(values[K.EI]) > 0 else "") + FMT.decimal(values[K.EI], lang),
        )
    title = t("network.metrics.title", lang)
    content = [data_table(table, title), _download_button(release, NW.METRICS, lang)]
    return _section(ids.NETWORK_METRICS, title, summary, content, _caption(release, "network.metrics.caption", lang))


def _brokers_section(vocab: Vocabularies, tables: dict[str, pd.DataFrame], release: Release, lang: str) -> html.Section:
    brokers = tables[NW.BROKERS]
    sectors = vocab["sector"].label_map(lang)
    names = [
        F.org_label(n, s, p, sectors)
        for n, s, p in zip(brokers[K.NAME], brokers["sector"], brokers[K.PSEUDONYM], strict=True)
    ]
    table = pd.DataFrame(
        {
            t("network.col.rank", lang): brokers[K.RANK],
            t("network.col.organisation", lang): names,
            t("network.col.sector_a", lang): brokers["sector"].map(sectors),
            t("network.col.betweenness", lang): brokers[K.BETWEENNESS],
            t("network.col.degree", lang): brokers[K.DEGREE],
        }
    )
    summary = t("network.brokers.summary", lang, broker=names[0] if names else t("network.none", lang))
    title = t("network.brokers.title", lang)
    content = [data_table(table, title), _download_button(release, NW.BROKERS, lang)]
    return _section(ids.NETWORK_BROKERS, title, summary, content, t("network.brokers.caption", lang))


def body(release: Release, vocab: Vocabularies, choice: Choice, lang: str) -> list[Any]:
    """Every section of the page for one validated choice."""
    tables = view_tables(release, choice)
    labels = _labels(vocab, release, lang)
    bands = _band_labels(lang)
    matrix, metrics, contact = tables[NW.MATRIX], tables[NW.METRICS], tables[NW.CONTACT]
    heat_title = t("network.heatmap.title", lang)
    trend_title = t("network.trend.title", lang)
    contact_title = t("network.contact.title", lang)
    contact_caption = t("network.contact.caption", lang)
    if release.meta["rounded"]:
        contact_caption = f"{contact_caption} {t('note.rounded', lang)}"
    contact_table = display_table(
        contact[[K.BAND, TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI, TB.PCT_FLAG]],
        [TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI],
    )
    contact_table[K.BAND] = contact_table[K.BAND].map(bands)
    trend_table = display_table(metrics[[WAVE, K.CROSS_SHARE, K.EI]], [K.CROSS_SHARE, K.EI])
    sections = [
        _graph_section(release, vocab, tables, choice, lang),
        html.Div(
            [
                chart_card(
                    ids.NETWORK_HEATMAP,
                    heat_title,
                    F.heatmap(matrix, labels, lang),
                    _caption(release, "network.heatmap.caption", lang),
                    F.matrix_summary(matrix, labels, lang),
                    _matrix_table(matrix, labels, lang),
                    lang,
                ),
                _download_button(release, NW.MATRIX, lang),
            ]
        ),
        _metrics_section(release, tables, choice, lang),
        chart_card(
            ids.NETWORK_TREND,
            trend_title,
            F.share_trend(metrics, lang),
            _caption(release, "network.trend.caption", lang),
            F.trend_summary(metrics, lang),
            trend_table,
            lang,
            headers={
                WAVE: t("axis.wave", lang),
                K.CROSS_SHARE: t("network.col.cross_share", lang),
                K.EI: t("network.col.ei_index", lang),
            },
        ),
    ]
    if NW.BROKERS in tables:
        sections.append(_brokers_section(vocab, tables, release, lang))
    sections.append(
        html.Div(
            [
                chart_card(
                    ids.NETWORK_CONTACT,
                    contact_title,
                    F.contact_bars(contact, bands, lang),
                    contact_caption,
                    F.contact_summary(contact, bands, lang),
                    contact_table,
                    lang,
                    headers={
                        K.BAND: t("network.col.band", lang),
                        TB.COUNT: t("network.col.contact", lang),
                        TB.N: t("network.col.answered", lang),
                        TB.PCT: t("network.col.pct", lang),
                        TB.CI_LO: "95% −",
                        TB.CI_HI: "95% +",
                        TB.PCT_FLAG: t("network.col.flag", lang),
                    },
                ),
                _download_button(release, NW.CONTACT, lang),
            ]
        )
    )
    sections.append(html.P(t("legend.flags", lang), className="chart-caption"))
    if release.tier not in DOWNLOAD_TIERS:
        sections.append(html.P(t("network.download_note", lang), className="chart-caption"))
    return sections


CONTROL_IDS: Final = {
    WAVE: ids.NETWORK_WAVE,
    TIE_TYPE: ids.NETWORK_TIE_TYPE,
    CITY: ids.NETWORK_CITY,
    SIZE_BY: ids.NETWORK_SIZE_BY,
}
BUTTON: Final = {
    "border": "1px solid #0b5394",
    "borderRadius": "4px",
    "padding": ".3rem .7rem",
    "margin": ".15rem",
    "cursor": "pointer",
    "font": "inherit",
}
PRESSED: Final = {**BUTTON, "background": "#0b5394", "color": "#ffffff"}
UNPRESSED: Final = {**BUTTON, "background": "#ffffff", "color": "#0b5394"}


def _buttons(control: str, legend: str, options: list[dict[str, Any]], value: object) -> html.Div:
    """A labelled group of toggle buttons (``aria-pressed``): every choice visible and reachable by keyboard.

    Dash 4's dropdown and radio items fail axe-core (a focusable ``aria-hidden`` input; options nested in a
    listbox), so the page uses plain buttons.
    """
    group_id = CONTROL_IDS[control]
    buttons = [
        html.Button(
            o["label"],
            id={"type": ids.NETWORK_OPTION, "control": control, "value": str(o["value"])},
            n_clicks=0,
            style=PRESSED if o["value"] == value else UNPRESSED,
            **{"aria-pressed": "true" if o["value"] == value else "false"},
        )
        for o in options
    ]
    return html.Div(
        [html.P(legend, id=f"{group_id}-label", className="control-label", style={"margin": ".25rem 0"}), *buttons],
        id=group_id,
        role="group",
        className="control",
        **{"aria-labelledby": f"{group_id}-label"},
    )


def controls(release: Release, vocab: Vocabularies, choice: Choice, lang: str) -> list[html.Div]:
    opts = _options(release, vocab, lang)
    out = [
        _buttons(WAVE, t("network.filter.wave", lang), opts[WAVE], choice.wave),
        _buttons(TIE_TYPE, t("network.filter.tie_type", lang), opts[TIE_TYPE], choice.tie_type),
        _buttons(CITY, t("network.filter.city", lang), opts[CITY], choice.city),
    ]
    if NW.NODES in release.extras:
        sizes = [{"label": t(f"network.size.{v}", lang), "value": v} for v in F.SIZE_BY]
        out.append(_buttons(SIZE_BY, t("network.filter.size_by", lang), sizes, choice.size_by))
    return out


def layout(
    lang: str = "en", wave: str | None = None, tie_type: str = ALL, city: str = ALL, **_ignored: str
) -> html.Div:
    lang = lang if lang in LANGUAGES else "en"
    app = context.current()
    release, vocab = app.release, app.vocab
    heading = [html.H1(t("network.heading", lang)), html.P(t("network.intro", lang), className="lead")]
    if NW.METRICS not in release.extras:
        return html.Div([*heading, html.P(t("network.no_tables", lang), className="notice", role="status")])
    choice = parse(release, wave, tie_type, city) if wave is not None else None
    choice = choice or default_choice(release)
    return html.Div(
        [
            *heading,
            dcc.Store(id=ids.NETWORK_LANG, data=lang),
            dcc.Store(id=ids.NETWORK_CHOICE, data=choice._asdict()),
            dcc.Download(id=ids.NETWORK_DOWNLOAD),
            html.Section(
                controls(release, vocab, choice, lang),
                id=ids.NETWORK_CONTROLS,
                className="card controls",
                **{"aria-label": t("network.controls", lang)},
            ),
            html.Div(id=ids.NETWORK_MESSAGE, role="status", className="notice"),
            dcc.Loading(html.Div(body(release, vocab, choice, lang), id=ids.NETWORK_BODY)),
        ]
    )


def _lang(value: object) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else "en"


def _clicked() -> dict[str, Any] | None:
    """The option or download button that fired the callback, if it was really clicked."""
    trigger = ctx.triggered_id
    fired = ctx.triggered[0].get("value") if ctx.triggered else None
    return trigger if isinstance(trigger, dict) and isinstance(fired, int) and fired > 0 else None


def _choice_from(release: Release, data: object) -> Choice | None:
    if not isinstance(data, dict) or NW.METRICS not in release.extras:
        return None
    return parse(release, data.get(WAVE), data.get(TIE_TYPE), data.get(CITY), data.get(SIZE_BY, K.DEGREE))


@callback(
    Output(ids.NETWORK_CHOICE, "data"),
    Output(ids.NETWORK_CONTROLS, "children"),
    Output(ids.NETWORK_BODY, "children"),
    Output(ids.NETWORK_MESSAGE, "children"),
    Input({"type": ids.NETWORK_OPTION, "control": ALL_IDS, "value": ALL_IDS}, "n_clicks"),
    State(ids.NETWORK_CHOICE, "data"),
    State(ids.NETWORK_LANG, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def update(_clicks: list[Any], current: object, lang: object) -> tuple[Any, Any, Any, str]:
    lang = _lang(lang)
    button = _clicked()
    if button is None:
        return no_update, no_update, no_update, no_update
    app = context.current()
    control = button.get("control")
    merged = {**current, control: button.get("value")} if isinstance(current, dict) and control in CONTROL_IDS else None
    choice = _choice_from(app.release, merged)
    if choice is None:
        return no_update, no_update, [], t("network.not_available", lang)
    return (
        choice._asdict(),
        controls(app.release, app.vocab, choice, lang),
        body(app.release, app.vocab, choice, lang),
        "",
    )


@callback(
    Output(ids.NETWORK_DOWNLOAD, "data"),
    Output(ids.NETWORK_MESSAGE, "children", allow_duplicate=True),
    Input({"type": ids.NETWORK_DOWNLOAD_BUTTON, "table": ALL_IDS}, "n_clicks"),
    State(ids.NETWORK_CHOICE, "data"),
    State(ids.NETWORK_LANG, "data"),
    prevent_initial_call=True,
)
@allow(PUBLIC)
def download(_clicks: list[Any], current: object, lang: object) -> tuple[Any, Any]:
    lang = _lang(lang)
    button = _clicked()
    if button is None:
        return no_update, no_update
    release = context.current().release
    choice = _choice_from(release, current)
    tables = view_tables(release, choice) if choice is not None else {}
    name = button.get("table")
    if release.tier not in DOWNLOAD_TIERS or choice is None or name not in tables:
        return no_update, t("network.not_available", lang)
    file_name = f"{name}_{choice.wave}_{choice.tie_type.strip('_')}_{choice.city.strip('_')}.csv"
    context.current().audit.record(
        AL.EXPORT,
        user=viewer_name(),
        address=flask.request.remote_addr,
        table=str(name),
        format="csv",
        rows=len(tables[name]),
    )
    return {"content": F.safe_csv(tables[name]), "filename": file_name, "type": "text/csv"}, ""
