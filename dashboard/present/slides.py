"""What a chart or quote slide shows, read from the public release only (no Dash components here).

A chart slide reuses the explore page's lookup (``dashboard.published.lookup``) and figure builders
(``dashboard.figures.explore``), then restyles the figure for the high-contrast slide theme. Nothing hidden by the
release is ever drawn or described as a number: the slide says it is hidden to protect respondents.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Final

import pandas as pd

from dashboard import formatting as FMT
from dashboard.data.schema import C
from dashboard.figures import explore as F
from dashboard.i18n import t
from dashboard.present.model import QUOTES_TABLE, ChartSpec
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.lookup import NOT_PUBLISHED, TOO_MANY, Figures, View, headline, lookup
from dashboard.published.table import Release
from dashboard.published.tiers import Tier
from dashboard.views import charts as CH
from dashboard.views.state import ViewState

# High-contrast slide theme (mirrors assets/present.css): white on black, sky blue and orange marks.
BACKGROUND: Final = "#000000"
FOREGROUND: Final = "#ffffff"
GRID: Final = "#5c5c5c"
LAND: Final = "#2b2b2b"
MARK: Final = "#56B4E9"  # Okabe–Ito sky blue: 9.6:1 on black
BAND: Final = "rgba(86,180,233,0.35)"
FONT_SIZE: Final = 22
AUDIENCE: Final = "audience"


@dataclass(frozen=True)
class Stat:
    value: str  # "44%"
    detail: str  # "20 of 45 respondents who answered; 95% interval 30–59%"
    flag: str  # "", "E", "F"


@dataclass(frozen=True)
class ChartContent:
    """A figure (or a big number), its one-sentence summary, or the reason nothing is shown."""

    summary: str
    figure: dict | None = None
    stat: Stat | None = None
    hidden: str | None = None
    table: dict[str, list] | None = None  # the published rows drawn (the chart's accessible twin)
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str


dim_title = CH.dim_title


def _hidden(spec: ChartSpec, reason: str | None, lang: str) -> ChartContent:
    if reason == TOO_MANY:
        table = " × ".join(dim_title(d, lang) for d in spec.table)
        message = t("present.hidden.unpublished", lang, table=table)
    elif reason == NOT_PUBLISHED:
        message = t("present.hidden.not_published", lang)
    else:
        message = t("present.hidden.withheld", lang)
    return ChartContent(summary=message, hidden=message)


def chart_content(spec: ChartSpec, release: Release, lang: str, geojson_url: str = "") -> ChartContent:
    """The content of a chart slide from ``release`` (the caller passes the public release).

    ``geojson_url``: the app's own province map file, for maps (never a file from another host).
    """
    if spec.draw == "map":
        return _map(spec, release, lang, geojson_url)
    state = ViewState(spec.wave, spec.filters)
    view = lookup(release, state, spec.breakdown, all_waves=spec.wave is None)
    frame = view.frame
    if frame is None:
        return _hidden(spec, view.reason, lang)
    dim = spec.breakdown[0]
    if spec.draw == "share":
        return _share(spec, headline(view, dim, spec.category or "yes"), lang)
    content = _trend(spec, frame, dim, lang) if spec.draw == "trend" else _bars(spec, frame, dim, lang)
    return _with_table(content, view, lang)


def _with_table(content: ChartContent, view: View, lang: str) -> ChartContent:
    """The drawn figure's published rows, as its table view."""
    if content.figure is None:
        return content
    return replace(content, table=CH.table_columns(view, lang), headers=CH.table_headers(view, lang))


def _share(spec: ChartSpec, h: Figures | None, lang: str) -> ChartContent:
    if h is None or h["pct"] is None or h["count"] is None or h["n"] is None:
        message = t("present.hidden.share", lang)
        return ChartContent(summary=message, hidden=message)
    answer = CH.labels(spec.breakdown[0], lang).get(spec.category or "yes", spec.category)
    pct, k, n = FMT.share(h["pct"], lang), FMT.count(h["count"], lang), FMT.count(h["n"], lang)
    lo, hi = FMT.share(h["ci_lo"], lang), FMT.share(h["ci_hi"], lang)
    detail = t("present.share.detail", lang, k=k, n=n, lo=lo, hi=hi)
    summary = t("present.share.summary", lang, pct=pct, k=k, n=n, answer=answer, wave=spec.wave)
    flag = h["flag"] if h["flag"] in ("E", "F") else ""
    return ChartContent(summary=summary, stat=Stat(t("number.percent", lang, pct=pct), detail, flag))


def _bars(spec: ChartSpec, frame: pd.DataFrame, dim: str, lang: str) -> ChartContent:
    labels = CH.labels(dim, lang)
    rows = frame[frame[dim] != D.ANY]
    # On a slide, groups with no respondent are left out (a hidden count stays, drawn as x: it may not be zero).
    drawn = rows[rows[TB.COUNT].isna() | (rows[TB.COUNT].astype("Float64").fillna(0) > 0)]
    fig = F.bars(drawn, dim, labels, spec.highlight, t("present.axis.respondents", lang), lang)
    fig["layout"]["yaxis"] = {**fig["layout"].get("yaxis", {}), "dtick": 1}  # a label for every bar
    trace = fig["data"][0]
    fig["layout"]["annotations"] = [  # a hidden count has no bar: mark it x where the bar would start
        {"x": 0, "y": y, "text": TB.SUPPRESSED, "showarrow": False, "xanchor": "left", "xshift": 6}
        for x, y in zip(trace["x"], trace["y"], strict=True)
        if x is None
    ]
    return ChartContent(summary=_count_summary(spec, rows, dim, lang), figure=restyle(fig))


def _map(spec: ChartSpec, release: Release, lang: str, geojson_url: str) -> ChartContent:
    """Provinces shaded and cities as sized markers for one wave (the explore page's map, in the slide theme)."""
    provinces, cities = CH.map_views(release, ViewState(spec.wave, spec.filters))
    shown = cities if spec.breakdown[0] == D.CITY else provinces
    shown_frame = shown.frame
    if shown_frame is None:
        return _hidden(spec, shown.reason, lang)
    fig = F.map_figure(
        provinces.frame,
        cities.frame,
        CH.labels(D.PROVINCE, lang),
        CH.city_points(lang),
        geojson_url,
        spec.highlight,
        lang,
    )
    geo = fig["layout"]["geo"]
    geo.update(bgcolor=BACKGROUND, landcolor=LAND, countrycolor=FOREGROUND, showlakes=False)
    fig = restyle(fig)
    fig["layout"]["margin"] = {"l": 0, "r": 0, "t": 0, "b": 0}
    for trace in fig["data"]:
        if trace.get("type") == "scattergeo":
            trace["marker"]["line"] = {"color": FOREGROUND, "width": 1}
            trace["marker"]["opacity"] = 1
    content = ChartContent(summary=_count_summary(spec, shown_frame, spec.breakdown[0], lang), figure=fig)
    return _with_table(content, shown, lang)


def _count_summary(spec: ChartSpec, frame: pd.DataFrame, dim: str, lang: str) -> str:
    """The largest group, the highlighted one, and how many are hidden: counts as published, never worked out."""
    labels = CH.labels(dim, lang)
    rows = frame[frame[dim] != D.ANY]
    shown = rows[rows[TB.COUNT].notna()]
    hidden = int(rows[TB.COUNT].isna().sum())
    if shown.empty or float(shown[TB.COUNT].max()) <= 0:
        summary = t("present.summary.none", lang)
    else:
        top = shown.iloc[int(shown[TB.COUNT].astype(float).to_numpy().argmax())]
        summary = t(
            "present.summary.bars",
            lang,
            wave=spec.wave,
            top=labels.get(str(top[dim]), str(top[dim])),
            n=FMT.count(top[TB.COUNT], lang),
        )
    if spec.highlight is not None:
        row = rows[rows[dim] == spec.highlight]
        value = TB.SUPPRESSED if row.empty else FMT.count(row[TB.COUNT].iloc[0], lang)
        key = "present.summary.highlight_hidden" if value == TB.SUPPRESSED else "present.summary.highlight"
        summary += " " + t(key, lang, name=labels.get(spec.highlight, spec.highlight), n=value)
    if hidden:
        summary += " " + t("present.summary.hidden_groups", lang, count=hidden)
    return summary


def _trend(spec: ChartSpec, frame: pd.DataFrame, dim: str, lang: str) -> ChartContent:
    category = spec.category or "yes"
    fig = F.trend(frame, dim, category, t("present.axis.share", lang), lang)
    rows = frame[frame[dim] == category].sort_values(D.WAVE)
    shown = rows[rows[TB.PCT].notna()]
    hidden = len(rows) - len(shown)
    answer = CH.labels(dim, lang).get(category, category)
    if shown.empty:
        message = t("present.hidden.share", lang)
        return ChartContent(summary=message, hidden=message)
    first, last = shown.iloc[0], shown.iloc[-1]
    summary = t(
        "present.summary.trend",
        lang,
        answer=answer,
        first_wave=int(first[D.WAVE]),
        first=FMT.share(first[TB.PCT], lang),
        last_wave=int(last[D.WAVE]),
        last=FMT.share(last[TB.PCT], lang),
    )
    if hidden:
        summary += " " + t("present.summary.hidden_waves", lang, count=hidden)
    return ChartContent(summary=summary, figure=restyle(fig))


def restyle(figure: dict) -> dict:
    """The explore figure in the slide theme: white on black, large type, marks that stand out on black."""
    fig = copy.deepcopy(figure)
    layout = fig["layout"]
    layout.pop("height", None)
    layout["template"] = {"layout": {"paper_bgcolor": BACKGROUND, "plot_bgcolor": BACKGROUND}}
    layout.update(paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND, autosize=True)
    layout["font"] = {**layout.get("font", {}), "color": FOREGROUND, "size": FONT_SIZE}
    layout["margin"] = {"l": 24, "r": 48, "t": 24, "b": 24}
    for key in ("xaxis", "yaxis"):
        axis = layout.setdefault(key, {})
        axis.update(gridcolor=GRID, linecolor=FOREGROUND, zerolinecolor=GRID, tickfont={"size": FONT_SIZE})
    for trace in fig["data"]:
        marker = trace.get("marker") or {}
        colour = marker.get("color")
        if isinstance(colour, list):
            marker["color"] = [MARK if c == F.PRIMARY else c for c in colour]
        line = trace.get("line") or {}
        if line.get("color") == F.PRIMARY:
            line["color"] = MARK
        if "fillcolor" in trace:
            trace["fillcolor"] = BAND
        if trace.get("type") == "bar":
            trace["textfont"] = {"color": FOREGROUND, "size": FONT_SIZE}
    return fig


def quote(release: Release, quote_id: str) -> Quote | None:
    """The quote ``quote_id`` if the release publishes it for the public (None otherwise: it is never shown)."""
    table = release.extras.get(QUOTES_TABLE)
    if table is None or release.tier != Tier.PUBLIC or C.QUOTE_ID not in table.columns:
        return None
    rows = table[table[C.QUOTE_ID].astype(str) == quote_id]
    if AUDIENCE in rows.columns:
        rows = rows[rows[AUDIENCE].astype(str) == Tier.PUBLIC]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Quote(str(row[C.TEXT]), str(row[C.ATTRIBUTION]))
