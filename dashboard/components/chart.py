"""The chart panel every page uses: title, chart, text summary, caption, flags legend, table view, downloads.

Also the table views themselves (an HTML table with caption and header scopes, or Markdown for large tables) and
the graph config (maps read plotly's base-map files from this app's assets, never from a CDN).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash
import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.figures.theme import GRAPH_CONFIG
from dashboard.i18n import t


def graph_config(is_map: bool = False, base: dict | None = None) -> dict:
    """A graph's config; maps load plotly's base-map files from this app's assets, never from a CDN."""
    config = GRAPH_CONFIG if base is None else base
    return {**config, "topojsonURL": dash.get_asset_url("topojson/")} if is_map else config


def data_table(df: pd.DataFrame, caption: str, headers: dict[str, str] | None = None) -> html.Table:
    """An accessible HTML table (caption, header cells with scope)."""
    headers = headers or {}
    head = html.Thead(html.Tr([html.Th(headers.get(c, c), scope="col") for c in df.columns]))
    body = html.Tbody([html.Tr([html.Td(str(v)) for v in row]) for row in df.itertuples(index=False)])
    return html.Table([html.Caption(caption), head, body], className="data-table")


def _cell(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame | Mapping[str, Sequence], headers: dict[str, str] | None = None) -> str:
    """A Markdown table (rendered as an HTML table with header cells): fast to build for large tables."""
    headers = headers or {}
    columns = {c: table[c].tolist() for c in table.columns} if isinstance(table, pd.DataFrame) else table
    cols = list(columns)
    lines = ["| " + " | ".join(_cell(headers.get(c, c)) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in zip(*columns.values(), strict=True)]
    return "\n".join(lines)


def table_view(table: pd.DataFrame, title: str, lang: str, headers: dict[str, str] | None = None) -> html.Table:
    """The accessible table behind a chart, captioned "Data behind the chart: …"."""
    return data_table(table, t("table.caption", lang, title=title), headers)


def chart_panel(
    base_id: str,
    title: str,
    chart: Component,
    caption: str,
    lang: str,
    *,
    summary: str | None = "",
    table: Sequence[Component] | Component | None = None,
    legend: bool = False,
    downloads: Component | None = None,
    before: Sequence[Component | None] = (),
    after: Sequence[Component | None] = (),
    section_id: str | None = None,
    heading_id: str | None = None,
    summary_id: str | None = None,
    chart_label: str | None = None,
) -> html.Section:
    """A chart and its accessible twins (SPEC §8), the same on every page.

    In order: the title (``{base_id}-title``), a one-sentence text summary (``{base_id}-summary``; ``None`` leaves
    it empty for a callback to fill), notices (``before``), the chart in a ``role="figure"`` region labelled by the
    title and described by the summary, what goes under it (``after``, e.g. a colour legend), the caption, the
    flags legend (``legend``: x, E, F, wherever flags can appear), the table view (``table``: the Details body)
    and the downloads (``download_buttons``). ``chart_label`` names the chart region instead of the title (for a
    chart that needs more words, such as the network diagram's pointer to its table view).
    """
    heading = heading_id or f"{base_id}-title"
    described = summary_id or f"{base_id}-summary"
    named = {"aria-label": chart_label} if chart_label else {"aria-labelledby": heading}
    body = table if isinstance(table, list | tuple) else ([table] if table is not None else [])
    parts: list[Component | None] = [
        html.H2(title, id=heading),
        html.P(summary or "", className="chart-summary", id=described),
        *before,
        html.Div(chart, role="figure", **{"aria-describedby": described}, **named),
        *after,
        html.P(caption, className="chart-caption"),
        html.P(t("legend.flags", lang), className="chart-legend") if legend else None,
        html.Details([html.Summary(t("table.view", lang)), *body], className="table-view") if body else None,
        downloads,
    ]
    extra = {"id": section_id} if section_id else {}
    return html.Section(
        [p for p in parts if p is not None], className="card chart-card", **extra, **{"aria-labelledby": heading}
    )


def graph(graph_id: str, figure: dict | None = None, config: dict | None = None) -> dcc.Graph:
    """A plotly chart with the shared config (camera button, no logo); no ``figure``: a callback draws it."""
    drawn = {} if figure is None else {"figure": figure}
    return dcc.Graph(id=graph_id, config=config or GRAPH_CONFIG, className="chart", **drawn)


def chart_card(
    graph_id: str,
    title: str,
    figure: dict,
    caption: str,
    summary: str,
    table: pd.DataFrame,
    lang: str,
    headers: dict[str, str] | None = None,
    config: dict | None = None,
    *,
    legend: bool = False,
    downloads: Component | None = None,
) -> html.Section:
    """A ``chart_panel`` of a plotly figure drawn when the page is built, with its table view from ``table``."""
    return chart_panel(
        graph_id,
        title,
        graph(graph_id, figure, config),
        caption,
        lang,
        summary=summary,
        table=table_view(table, title, lang, headers),
        legend=legend,
        downloads=downloads,
    )
