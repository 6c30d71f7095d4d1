"""The explore page's charts: what each one crosses, and how a view becomes a figure, a sentence and a table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from dashboard.data.vocab import vocabularies
from dashboard.explore.state import Options, ViewState
from dashboard.explore.views import NOT_COMBINABLE, TOO_MANY, View, lookup
from dashboard.figures import explore as F
from dashboard.i18n import t
from dashboard.release import dims as D
from dashboard.release import table as TB
from dashboard.release.table import Release

SECTOR_SLOT = "sector"  # replaced by the tier's sector dimension (sector or sector group)


@dataclass(frozen=True)
class Chart:
    name: str
    breakdown: tuple[str, ...]
    kind: str  # bars, heatmap, trend, map
    all_waves: bool = False
    item: str | None = None  # trend: the item and the answer whose share is drawn


CHARTS: tuple[Chart, ...] = (
    Chart("map", (D.PROVINCE,), "map"),
    Chart("sector", (SECTOR_SLOT,), "bars"),
    Chart("labour_site", (D.LABOUR_SITE,), "bars"),
    Chart("victimisation_type", (D.VICTIMISATION,), "bars"),
    Chart("heatmap", (SECTOR_SLOT, D.LABOUR_SITE), "heatmap"),
    Chart("trend_contact", (D.CONTACT,), "trend", all_waves=True, item=D.CONTACT),
    Chart("trend_trained", (D.TRAINED,), "trend", all_waves=True, item=D.TRAINED),
)
CHART_BY_NAME = {c.name: c for c in CHARTS}


def breakdown_of(chart: Chart, options: Options) -> tuple[str, ...]:
    return tuple(options.sector_dim if d == SECTOR_SLOT else d for d in chart.breakdown)


def chart_view(release: Release, state: ViewState, chart: Chart, options: Options) -> View:
    dims = breakdown_of(chart, options)
    drop = (D.PROVINCE, D.CITY) if chart.kind == "map" else dims
    return lookup(release, state, dims, drop=drop, all_waves=chart.all_waves)


@cache
def labels(dim: str, lang: str) -> dict[str, str]:
    vocab = vocabularies()
    name = {D.CONTACT: "contact", D.TRAINED: "trained"}.get(dim, dim)
    out = vocab[name].label_map(lang) if name in vocab.by_name else {}
    out[D.MISSING] = t("explore.missing", lang)
    out[D.ANY] = t("explore.all", lang)
    return out


def city_points(lang: str) -> dict[str, tuple[float, float, str]]:
    return {
        term.code: (float(term.extra["lat"]), float(term.extra["lon"]), term.label(lang))
        for term in vocabularies()["city"].terms
    }


def hidden_message(view: View, options: Options, lang: str) -> str:
    if view.reason == TOO_MANY:
        return t("explore.hidden.too_many", lang, n=len(view.dims), max=options.max_dims)
    if view.reason == NOT_COMBINABLE:
        return t("explore.hidden.not_combinable", lang)
    return t("explore.hidden.withheld", lang)


def _top(frame: pd.DataFrame, dim: str) -> pd.Series | None:
    shown = frame[(frame[dim] != D.ANY) & frame[TB.COUNT].notna()]
    if shown.empty or shown[TB.COUNT].max() <= 0:
        return None
    return shown.loc[shown[TB.COUNT].astype(float).idxmax()]


def render(chart: Chart, view: View, state: ViewState, options: Options, lang: str) -> tuple:
    """(figure, summary sentence) for a view that can be shown."""
    frame = view.frame
    dims = breakdown_of(chart, options)
    if chart.kind == "bars":
        dim = dims[0]
        fig = F.bars(frame, dim, labels(dim, lang), state.value(dim), t("explore.axis.respondents", lang))
        top = _top(frame, dim)
        summary = (
            t("explore.bars.summary", lang, top=labels(dim, lang)[top[dim]], n=f"{int(top[TB.COUNT]):,}")
            if top is not None
            else t("explore.summary.none", lang)
        )
        return fig, summary
    if chart.kind == "heatmap":
        row, col = dims
        fig = F.heatmap(frame, row, col, labels(row, lang), labels(col, lang))
        cells = frame[(frame[row] != D.ANY) & (frame[col] != D.ANY) & frame[TB.COUNT].notna()]
        if cells.empty or cells[TB.COUNT].max() <= 0:
            return fig, t("explore.summary.none", lang)
        best = cells.loc[cells[TB.COUNT].astype(float).idxmax()]
        return fig, t(
            "explore.heatmap.summary",
            lang,
            row=labels(row, lang)[best[row]],
            col=labels(col, lang)[best[col]],
            n=f"{int(best[TB.COUNT]):,}",
        )
    if chart.kind == "trend":
        category = "yes"
        fig = F.trend(frame, chart.item, category, t("explore.axis.share", lang))
        rows = frame[(frame[chart.item] == category) & frame[TB.PCT].notna()].sort_values(D.WAVE)
        if len(rows) < 2:
            return fig, t("explore.trend.summary_none", lang)
        first, last = rows.iloc[0], rows.iloc[-1]
        return fig, t(
            "explore.trend.summary",
            lang,
            first_wave=int(first[D.WAVE]),
            last_wave=int(last[D.WAVE]),
            first=f"{float(first[TB.PCT]):.0f}",
            last=f"{float(last[TB.PCT]):.0f}",
        )
    raise ValueError(f"unknown chart kind {chart.kind}")


def map_views(release: Release, state: ViewState) -> tuple[View, View]:
    drop = (D.PROVINCE, D.CITY)
    return lookup(release, state, (D.PROVINCE,), drop=drop), lookup(release, state, (D.CITY,), drop=drop)


def render_map(provinces: View, cities: View, state: ViewState, lang: str, geojson_url: str) -> tuple:
    fig = F.map_figure(
        provinces.frame, cities.frame, labels(D.PROVINCE, lang), city_points(lang), geojson_url, state.value(D.CITY)
    )
    source = cities if cities.ok else provinces
    dim = D.CITY if cities.ok else D.PROVINCE
    top = _top(source.frame, dim) if source.ok else None
    summary = (
        t("explore.map.summary", lang, top=labels(dim, lang).get(top[dim], top[dim]), n=f"{int(top[TB.COUNT]):,}")
        if top is not None
        else t("explore.summary.none", lang)
    )
    return fig, summary


def table_frame(view: View, lang: str) -> pd.DataFrame:
    """The published rows as shown and downloaded: labelled categories, measures, ``x`` for hidden values."""
    frame = view.frame
    columns: dict[str, object] = {D.WAVE: frame[D.WAVE].to_numpy()}
    for dim in view.dims:
        names = labels(dim, lang)
        columns[dim] = [names.get(v, v) for v in frame[dim].tolist()]
    for m in TB.MEASURES:
        if m not in frame.columns:
            continue
        col = frame[m]
        if m != TB.COUNT and not col.notna().any():
            continue
        marker = TB.SUPPRESSED if m in (TB.COUNT, TB.PCT) else ""
        columns[m] = col.astype(object).to_numpy(dtype=object, na_value=marker)
    return pd.DataFrame(columns)
