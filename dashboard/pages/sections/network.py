"""The network page's controls and sections for one validated choice: graph, heatmap, measures, trend, brokers and
contact, each a chart panel (``dashboard.components.chart``) with its summary, caption, table view and downloads.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html
from dash.development.base_component import Component

from dashboard import context, ids
from dashboard import formatting as FMT
from dashboard.components.aria import Aria
from dashboard.components.chart import CardOptions, PanelParts, chart_card, chart_panel, data_table, graph, table_view
from dashboard.components.download import download_buttons
from dashboard.components.toggles import toggle_group
from dashboard.data.vocab import Vocabularies
from dashboard.figures import network as F
from dashboard.figures import network_charts as FC
from dashboard.i18n import t
from dashboard.published.network_schema import NW, K
from dashboard.published.table import Release
from dashboard.views import network as V

CONTROL_IDS = {V.WAVE: ids.NETWORK_WAVE, V.TIE_TYPE: ids.NETWORK_TIE_TYPE, V.CITY: ids.NETWORK_CITY}
CONTROL_IDS[V.SIZE_BY] = ids.NETWORK_SIZE_BY
LEGENDS = {V.WAVE: "wave", V.TIE_TYPE: "tie_type", V.CITY: "city", V.SIZE_BY: "size_by"}


def controls(release: Release, vocab: Vocabularies, choice: V.Choice, lang: str) -> list[html.Fieldset]:
    """A toggle group per control, the chosen option pressed."""
    chosen = {V.WAVE: str(choice.wave), V.TIE_TYPE: choice.tie_type, V.CITY: choice.city, V.SIZE_BY: choice.size_by}
    return [
        toggle_group(
            CONTROL_IDS[control],
            t(f"network.filter.{LEGENDS[control]}", lang),
            choices,
            chosen[control],
            ids.NETWORK_OPTION,
            {"control": control},
        )
        for control, choices in V.options(release, vocab, lang).items()
    ]


def _downloads(release: Release, table: str, lang: str, images: bool = True) -> html.Div | html.P | None:
    return download_buttons(ids.NETWORK_DOWNLOAD_BUTTON, {"table": table}, release.tier, lang, images=images)


def _legend(vocab: Vocabularies, lang: str) -> html.Ul:
    return html.Ul(
        [
            html.Li([html.Span(className="swatch", style={"background": colour}), label])
            for colour, label in F.legend_items(vocab["sector_group"].label_map(lang))
        ],
        className="network-legend",
        **Aria({"aria-label": t("network.legend.title", lang)}),
    )


def _capped_notice(drawn: F.Capped, total: int, lang: str) -> html.P:
    text = t(
        "network.graph.capped",
        lang,
        shown=FMT.count(len(drawn.nodes), lang),
        total=FMT.count(total, lang),
        rest=FMT.count(len(drawn.rest), lang),
        ties=FMT.count(drawn.ties_not_drawn, lang),
    )
    return html.P(text, className="notice", role="status", id=f"{ids.NETWORK_GRAPH}-capped")


def graph_section(
    release: Release, vocab: Vocabularies, tables: dict[str, pd.DataFrame], choice: V.Choice, lang: str
) -> html.Section:
    """The graph: organisations (coalition tier, capped) or sector groups, with its legend and table views."""
    title = t("network.graph.title", lang)
    before: list[Any] = []
    if NW.NODES in tables:
        sectors = vocab["sector"].label_map(lang)
        nodes, edges = tables[NW.NODES], tables[NW.EDGES]
        drawn = F.capped(nodes, edges, context.current().config.network_nodes)
        figure = F.org_figure(drawn.nodes, drawn.edges, sectors, vocab.sector_group_of(), choice.size_by, lang)
        summary = FC.org_summary(nodes, edges, tables[NW.BROKERS], sectors, lang)
        caption = t("network.graph.caption_orgs", lang)
        names = F.org_labels(drawn.nodes, sectors)
        views: list[Component] = [table_view(V.edge_table(drawn.nodes, drawn.edges, names, lang), title, lang)]
        if not drawn.rest.empty:
            before.append(_capped_notice(drawn, len(nodes), lang))
            rest_title = t("network.graph.rest_title", lang)
            rest = data_table(V.undrawn_table(drawn, sectors, lang), rest_title, lang=lang)
            views.append(html.Div([html.H3(rest_title), rest]))
        table_name, counts = NW.EDGES, False
    else:
        labels = V.group_labels(vocab, release, lang)
        matrix = tables[NW.MATRIX]
        figure = F.group_figure(matrix, labels, tables.get(NW.GROUPS), lang)
        summary = FC.matrix_summary(matrix, labels, lang)
        caption = V.caption(release, "network.graph.caption_groups", lang)
        if NW.GROUPS in tables:
            caption = f"{caption} {t('network.graph.caption_bands', lang)}"
        views = [table_view(V.matrix_table(matrix, labels, lang), title, lang)]
        table_name, counts = NW.MATRIX, True
    base = f"{ids.NETWORK_GRAPH}-card"
    return chart_panel(
        base,
        title,
        graph(ids.NETWORK_GRAPH, figure, lang=lang),
        caption,
        lang,
        PanelParts(
            summary=summary,
            before=before,
            after=[_legend(vocab, lang)],
            table=views,
            legend=counts,
            downloads=_downloads(release, table_name, lang),
            section_id=base,
            chart_label=t("network.graph.label", lang),
        ),
    )


def _metrics_section(release: Release, tables: dict[str, pd.DataFrame], choice: V.Choice, lang: str) -> html.Section:
    values = V.metric_values(tables[NW.METRICS], choice)
    if pd.isna(values[K.TIES]) or pd.isna(values[K.CROSS_SHARE]):
        summary = t("network.metrics.hidden", lang)
    else:
        summary = t(
            "network.metrics.summary_rounded" if release.meta.get("rounded") else "network.metrics.summary",
            lang,
            ties=FMT.count(values[K.TIES], lang),
            orgs=FMT.count(values[K.ORGS], lang),
            share=FMT.share(values[K.CROSS_SHARE], lang),
            ei=V.ei_text(float(values[K.EI]), lang),
        )
    title = t("network.metrics.title", lang)
    return chart_panel(
        ids.NETWORK_METRICS,
        title,
        data_table(V.metrics_table(values, lang), title, lang=lang),
        V.caption(release, "network.metrics.caption", lang),
        lang,
        PanelParts(
            summary=summary,
            legend=True,
            downloads=_downloads(release, NW.METRICS, lang, images=False),
            section_id=ids.NETWORK_METRICS,
        ),
    )


def _brokers_section(vocab: Vocabularies, tables: dict[str, pd.DataFrame], release: Release, lang: str) -> html.Section:
    brokers = tables[NW.BROKERS]
    sectors = vocab["sector"].label_map(lang)
    names = V.broker_names(brokers, sectors)
    title = t("network.brokers.title", lang)
    return chart_panel(
        ids.NETWORK_BROKERS,
        title,
        data_table(V.brokers_table(brokers, names, sectors, lang), title, lang=lang),
        t("network.brokers.caption", lang),
        lang,
        PanelParts(
            summary=t("network.brokers.summary", lang, broker=names[0] if names else t("network.none", lang)),
            downloads=_downloads(release, NW.BROKERS, lang, images=False),
            section_id=ids.NETWORK_BROKERS,
        ),
    )


def body(release: Release, vocab: Vocabularies, choice: V.Choice, lang: str) -> list[Any]:
    """Every section of the page for one validated choice."""
    tables = V.view_tables(release, choice)
    labels = V.group_labels(vocab, release, lang)
    bands = V.band_labels(lang)
    matrix, metrics, contact = tables[NW.MATRIX], tables[NW.METRICS], tables[NW.CONTACT]
    contact_caption = t("network.contact.caption", lang)
    if release.meta["rounded"]:
        contact_caption = f"{contact_caption} {t('note.rounded', lang)}"
    sections = [
        graph_section(release, vocab, tables, choice, lang),
        chart_card(
            ids.NETWORK_HEATMAP,
            t("network.heatmap.title", lang),
            FC.heatmap(matrix, labels, lang),
            V.caption(release, "network.heatmap.caption", lang),
            FC.matrix_summary(matrix, labels, lang),
            V.matrix_table(matrix, labels, lang),
            lang,
            CardOptions(legend=True, downloads=_downloads(release, NW.MATRIX, lang)),
        ),
        _metrics_section(release, tables, choice, lang),
        chart_card(
            ids.NETWORK_TREND,
            t("network.trend.title", lang),
            FC.share_trend(metrics, lang),
            V.caption(release, "network.trend.caption", lang),
            FC.trend_summary(metrics, lang),
            V.trend_table(metrics),
            lang,
            CardOptions(headers=V.trend_headers(lang), legend=True),
        ),
    ]
    if NW.BROKERS in tables:
        sections.append(_brokers_section(vocab, tables, release, lang))
    sections.append(
        chart_card(
            ids.NETWORK_CONTACT,
            t("network.contact.title", lang),
            FC.contact_bars(contact, bands, lang),
            contact_caption,
            FC.contact_summary(contact, bands, lang),
            V.contact_table(contact, bands),
            lang,
            CardOptions(headers=V.contact_headers(lang), legend=True, downloads=_downloads(release, NW.CONTACT, lang)),
        )
    )
    return sections
