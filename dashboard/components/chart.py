"""The chart panel every page uses: title, chart, text summary, caption, flags legend, table view, downloads.

Also the table views themselves (an HTML table with caption and header scopes, or Markdown for large tables) and
the graph config (maps read plotly's base-map files from this app's assets, never from a CDN).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dash
import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components.aria import Aria
from dashboard.figures.theme import GRAPH_CONFIG
from dashboard.formatting import table_value
from dashboard.i18n import DEFAULT_LANGUAGE, t


def graph_config(
    is_map: bool = False, base: dcc.Graph.Config | None = None, lang: str = DEFAULT_LANGUAGE
) -> dcc.Graph.Config:
    """A graph's config: the mode bar in the reader's language (``locale``: plotly's French dictionary is served
    with the app's plotly.js, see ``webapp.PLOTLY_LOCALES``); maps load plotly's base-map files from this app's
    assets, never from a CDN."""
    config: dcc.Graph.Config = {**(GRAPH_CONFIG if base is None else base), "locale": lang}
    return {**config, "topojsonURL": dash.get_asset_url("topojson/")} if is_map else config


def data_table(
    df: pd.DataFrame, caption: str, headers: dict[str, str] | None = None, lang: str = DEFAULT_LANGUAGE
) -> html.Table:
    """An accessible HTML table (caption, header cells with scope), numbers in the language's convention."""
    headers = headers or {}
    head = html.Thead(html.Tr([html.Th(headers.get(c, c), scope="col") for c in df.columns]))
    body = html.Tbody([html.Tr([html.Td(table_value(v, lang)) for v in row]) for row in df.itertuples(index=False)])
    return html.Table([html.Caption(caption), head, body], className="data-table")


def _cell(value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    return table_value(value, lang).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(
    table: pd.DataFrame | Mapping[str, Sequence], headers: dict[str, str] | None = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """A Markdown table (rendered as an HTML table with header cells): fast to build for large tables; numbers in
    the language's convention."""
    headers = headers or {}
    columns = {c: table[c].tolist() for c in table.columns} if isinstance(table, pd.DataFrame) else table
    cols = list(columns)
    lines = ["| " + " | ".join(_cell(headers.get(c, c)) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(v, lang) for v in row) + " |" for row in zip(*columns.values(), strict=True)]
    return "\n".join(lines)


def table_view(table: pd.DataFrame, title: str, lang: str, headers: dict[str, str] | None = None) -> html.Table:
    """The accessible table behind a chart, captioned "Data behind the chart: …"."""
    return data_table(table, t("table.caption", lang, title=title), headers, lang)


@dataclass(frozen=True, kw_only=True)
class PanelParts:
    """What a chart panel shows besides its title, chart and caption, and the ids it overrides.

    ``summary``: the one-sentence text summary (``None`` leaves it empty for a callback to fill); ``before``:
    notices above the chart; ``after``: what goes under it (e.g. a colour legend); ``legend``: the flags legend
    (x, E, F, wherever flags can appear); ``table``: the table view (the Details body); ``downloads``: the
    download buttons; ``section_id``, ``heading_id``, ``summary_id``: ids other than the panel's defaults;
    ``chart_label``: names the chart region instead of the title (for a chart that needs more words, such as
    the network diagram's pointer to its table view).
    """

    summary: str | None = ""
    table: Sequence[Component] | Component | None = None
    legend: bool = False
    downloads: Component | None = None
    before: Sequence[Component | None] = ()
    after: Sequence[Component | None] = ()
    section_id: str | None = None
    heading_id: str | None = None
    summary_id: str | None = None
    chart_label: str | None = None


def chart_panel(
    base_id: str, title: str, chart: Component, caption: str, lang: str, parts: PanelParts = PanelParts()
) -> html.Section:
    """A chart and its accessible twins (SPEC §8), the same on every page.

    In order: the title (``{base_id}-title``), a one-sentence text summary (``{base_id}-summary``), notices, the
    chart in a ``role="figure"`` region labelled by the title and described by the summary, what goes under it,
    the caption, the flags legend, the table view and the downloads (``download_buttons``): see ``PanelParts``.
    """
    heading = parts.heading_id or f"{base_id}-title"
    described = parts.summary_id or f"{base_id}-summary"
    region = Aria({"aria-describedby": described})
    if parts.chart_label:
        region["aria-label"] = parts.chart_label
    else:
        region["aria-labelledby"] = heading
    table = parts.table
    body: list[Component] = [] if table is None else [table] if isinstance(table, Component) else list(table)
    children: list[Component | None] = [
        html.H2(title, id=heading),
        html.P(parts.summary or "", className="chart-summary", id=described),
        *parts.before,
        html.Div(chart, role="figure", **region),
        *parts.after,
        html.P(caption, className="chart-caption"),
        html.P(t("legend.flags", lang), className="chart-legend") if parts.legend else None,
        html.Details([html.Summary(t("table.view", lang)), *body], className="table-view") if body else None,
        parts.downloads,
    ]
    shown = [c for c in children if c is not None]
    labelled = Aria({"aria-labelledby": heading})
    if parts.section_id:  # no id at all otherwise (not an ``id`` of None)
        return html.Section(shown, id=parts.section_id, className="card chart-card", **labelled)
    return html.Section(shown, className="card chart-card", **labelled)


def graph(
    graph_id: str,
    figure: dict[str, Any] | None = None,
    config: dcc.Graph.Config | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> dcc.Graph:
    """A plotly chart with the shared config (camera button, no logo) and its mode bar in ``lang``; no ``figure``:
    a callback draws it."""
    shown: dcc.Graph.Config = {**(config or GRAPH_CONFIG), "locale": lang}
    if figure is None:
        return dcc.Graph(id=graph_id, config=shown, className="chart")
    return dcc.Graph(id=graph_id, figure=figure, config=shown, className="chart")


@dataclass(frozen=True, kw_only=True)
class CardOptions:
    """A chart card's optional parts: table headers, graph config, the flags legend, download buttons."""

    headers: dict[str, str] | None = None
    config: dcc.Graph.Config | None = None
    legend: bool = False
    downloads: Component | None = None


def chart_card(
    graph_id: str,
    title: str,
    figure: dict[str, Any],
    caption: str,
    summary: str,
    table: pd.DataFrame,
    lang: str,
    options: CardOptions = CardOptions(),
) -> html.Section:
    """A ``chart_panel`` of a plotly figure drawn when the page is built, with its table view from ``table``."""
    return chart_panel(
        graph_id,
        title,
        graph(graph_id, figure, options.config, lang),
        caption,
        lang,
        PanelParts(
            summary=summary,
            table=table_view(table, title, lang, options.headers),
            legend=options.legend,
            downloads=options.downloads,
        ),
    )
