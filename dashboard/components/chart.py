"""A chart card: title, chart, caption with its definition, one-sentence summary and a table view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.figures.theme import GRAPH_CONFIG
from dashboard.i18n import t
from dashboard.published import table as TB


def graph_config(is_map: bool = False, base: dict | None = None) -> dict:
    """A graph's config; maps load plotly's base-map files from this app's assets, never from a CDN."""
    config = GRAPH_CONFIG if base is None else base
    return {**config, "topojsonURL": dash.get_asset_url("topojson/")} if is_map else config


def display_table(frame: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """A published table as shown in a table view: dimensions, then measures, ``x`` for hidden values."""
    keys = [c for c in frame.columns if c not in TB.MEASURES]
    out = frame[keys + measures].copy()
    for col in measures:
        out[col] = out[col].astype(object).where(out[col].notna(), TB.SUPPRESSED)
    return out


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


def chart_card(
    graph_id: str,
    title: str,
    figure: go.Figure,
    caption: str,
    summary: str,
    table: pd.DataFrame,
    lang: str,
    headers: dict[str, str] | None = None,
    config: dict | None = None,
) -> html.Section:
    heading_id = f"{graph_id}-title"
    return html.Section(
        [
            html.H2(title, id=heading_id),
            html.P(summary, className="chart-summary", id=f"{graph_id}-summary"),
            html.Div(
                dcc.Graph(id=graph_id, figure=figure, config=config or GRAPH_CONFIG, className="chart"),
                role="figure",
                **{"aria-labelledby": heading_id, "aria-describedby": f"{graph_id}-summary"},
            ),
            html.P(caption, className="chart-caption"),
            html.Details(
                [
                    html.Summary(t("table.view", lang)),
                    data_table(table, t("table.caption", lang, title=title), headers),
                ],
                className="table-view",
            ),
        ],
        className="card chart-card",
        **{"aria-labelledby": heading_id},
    )
