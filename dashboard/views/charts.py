"""The explore page's charts: what each one crosses, and how a view becomes a figure, a sentence and a table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from dashboard import formatting as FMT
from dashboard.data.vocab import vocabularies
from dashboard.figures import explore as F
from dashboard.i18n import t
from dashboard.published import dims as D
from dashboard.published import export as EX
from dashboard.published import table as TB
from dashboard.published.lookup import NOT_COMBINABLE, NOT_PUBLISHED, TOO_MANY, View, lookup
from dashboard.published.table import Release
from dashboard.views.state import Options, ViewState

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
# Each chart's title and caption in the catalogue ("{sector}": the tier's sector dimension, sector or sector group).
TITLE_KEYS = {
    "map": "explore.map.title",
    "sector": "explore.bars.{sector}.title",
    "labour_site": "explore.bars.labour_site.title",
    "victimisation_type": "explore.bars.victimisation_type.title",
    "heatmap": "explore.heatmap.title",
    "trend_contact": "explore.trend.contact.title",
    "trend_trained": "explore.trend.trained.title",
}
CAPTION_KEYS = {
    "map": "explore.map.caption",
    "sector": "explore.bars.sector.caption",
    "labour_site": "explore.bars.labour_site.caption",
    "victimisation_type": "explore.bars.victimisation_type.caption",
    "heatmap": "explore.heatmap.caption",
    "trend_contact": "explore.trend.contact.caption",
    "trend_trained": "explore.trend.trained.caption",
}


def chart_title(name: str, options: Options, lang: str) -> str:
    """A chart's title as its panel and its table view's caption show it."""
    return t(TITLE_KEYS[name].format(sector=options.sector_dim), lang)


def chart_caption(name: str, lang: str) -> str:
    return t(CAPTION_KEYS[name], lang)


def breakdown_of(chart: Chart, options: Options) -> tuple[str, ...]:
    return tuple(options.sector_dim if d == SECTOR_SLOT else d for d in chart.breakdown)


def chart_view(release: Release, state: ViewState, chart: Chart, options: Options) -> View:
    dims = breakdown_of(chart, options)
    drop = (D.PROVINCE, D.CITY) if chart.kind == "map" else dims
    return lookup(release, state, dims, drop=drop, all_waves=chart.all_waves)


def _vocabulary_of(dim: str) -> str:
    return {D.CONTACT: "contact", D.TRAINED: "trained"}.get(dim, dim)


@cache
def labels(dim: str, lang: str) -> dict[str, str]:
    vocab, name = vocabularies(), _vocabulary_of(dim)
    out = vocab[name].label_map(lang) if name in vocab.by_name else {}
    out[D.MISSING] = t("explore.missing", lang)
    out[D.ANY] = all_label(dim, lang)
    return out


def all_label(dim: str, lang: str) -> str:
    """ "All" for a filter of ``dim``, agreeing with its noun where the language needs it ("Toutes" for a city)."""
    vocab, name = vocabularies(), _vocabulary_of(dim)
    own = vocab[name].all_label(lang) if name in vocab.by_name else None
    return own or t("explore.all", lang)


def dim_title(dim: str, lang: str) -> str:
    """A dimension's name as shown ("Contact with a trafficked person")."""
    vocab = vocabularies()
    name = {D.CONTACT: "contact", D.TRAINED: "trained"}.get(dim, dim)
    return vocab[name].title(lang) if name in vocab.by_name else dim


def table_headers(view: View, lang: str) -> dict[str, str]:
    """Column headings of a view's table: the wave, its dimensions and the measures."""
    headers = {D.WAVE: t("axis.wave", lang), **{m: t(f"explore.col.{m}", lang) for m in TB.MEASURES}}
    headers.update({d: dim_title(d, lang) for d in view.dims})
    return headers


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
    if view.reason == NOT_PUBLISHED:
        return t("explore.hidden.not_published", lang, n=len(view.dims))
    return t("explore.hidden.withheld", lang)


def _top(cols: F.Rows, dim: str) -> tuple[str, int] | None:
    """The category with the largest published count (and that count), leaving out ``_any``."""
    counts = np.where(F.codes(cols, dim) != D.ANY, F.numbers(cols, TB.COUNT), np.nan)
    if np.isnan(counts).all() or np.nanmax(counts) <= 0:
        return None
    at = int(np.nanargmax(counts))
    return str(F.codes(cols, dim)[at]), int(counts[at])


def render(chart: Chart, view: View, state: ViewState, options: Options, lang: str) -> tuple:
    """(figure, summary sentence) for a view that can be shown."""
    cols = view.columns
    dims = breakdown_of(chart, options)
    if chart.kind == "bars":
        dim = dims[0]
        fig = F.bars(cols, dim, labels(dim, lang), state.value(dim), t("explore.axis.respondents", lang), lang)
        top = _top(cols, dim)
        summary = (
            t("explore.bars.summary", lang, top=labels(dim, lang).get(top[0], top[0]), n=FMT.count(top[1], lang))
            if top is not None
            else t("explore.summary.none", lang)
        )
        return fig, summary
    if chart.kind == "heatmap":
        row, col = dims
        fig = F.heatmap(cols, row, col, labels(row, lang), labels(col, lang), lang)
        both = (F.codes(cols, row) != D.ANY) & (F.codes(cols, col) != D.ANY)
        counts = np.where(both, F.numbers(cols, TB.COUNT), np.nan)
        if np.isnan(counts).all() or np.nanmax(counts) <= 0:
            return fig, t("explore.summary.none", lang)
        at = int(np.nanargmax(counts))
        return fig, t(
            "explore.heatmap.summary",
            lang,
            row=labels(row, lang)[cols[row][at]],
            col=labels(col, lang)[cols[col][at]],
            n=FMT.count(counts[at], lang),
        )
    if chart.kind == "trend":
        item = chart.item
        if item is None:
            raise ValueError(f"trend chart {chart.name} names no item")
        category = "yes"
        fig = F.trend(cols, item, category, t("explore.axis.share", lang), lang)
        pct = F.numbers(cols, TB.PCT)
        hits = np.flatnonzero((F.codes(cols, item) == category) & ~np.isnan(pct))
        if len(hits) < 2:
            return fig, t("explore.trend.summary_none", lang)
        waves = np.asarray(cols[D.WAVE])[hits]
        first, last = hits[int(np.argmin(waves))], hits[int(np.argmax(waves))]
        return fig, t(
            "explore.trend.summary",
            lang,
            first_wave=int(cols[D.WAVE][first]),
            last_wave=int(cols[D.WAVE][last]),
            first=FMT.share(pct[first], lang),
            last=FMT.share(pct[last], lang),
        )
    raise ValueError(f"unknown chart kind {chart.kind}")


def map_views(release: Release, state: ViewState) -> tuple[View, View]:
    drop = (D.PROVINCE, D.CITY)
    return lookup(release, state, (D.PROVINCE,), drop=drop), lookup(release, state, (D.CITY,), drop=drop)


def map_source(provinces: View, cities: View) -> View:
    """The view the map's table, summary and download read: the cities, or the provinces when the tier does not
    publish the cities of this view (the map then draws provinces only)."""
    return cities if cities.ok else provinces


def map_table_view(release: Release, state: ViewState) -> View:
    """:func:`map_source` of the view ``state`` (the explore and summary downloads)."""
    return map_source(*map_views(release, state))


def render_map(provinces: View, cities: View, state: ViewState, lang: str, geojson_url: str) -> tuple:
    fig = F.map_figure(
        provinces.columns if provinces.ok else None,
        cities.columns if cities.ok else None,
        labels(D.PROVINCE, lang),
        city_points(lang),
        geojson_url,
        state.value(D.CITY),
        lang,
    )
    source = map_source(provinces, cities)
    dim = D.CITY if source is cities else D.PROVINCE
    top = _top(source.columns, dim) if source.ok else None
    summary = (
        t("explore.map.summary", lang, top=labels(dim, lang).get(top[0], top[0]), n=FMT.count(top[1], lang))
        if top is not None
        else t("explore.summary.none", lang)
    )
    return fig, summary


def table_columns(view: View, lang: str) -> dict[str, list]:
    """The published rows as shown and downloaded: labelled categories, measures, ``x`` for hidden values."""
    cols = view.columns
    out: dict[str, list] = {D.WAVE: [int(w) for w in cols[D.WAVE].tolist()]}
    for dim in view.dims:
        names = labels(dim, lang)
        out[dim] = [names.get(v, v) for v in cols[dim].tolist()]
    for m in TB.MEASURES:
        if m not in cols:
            continue
        values = cols[m]
        if m in (TB.FLAG, TB.PCT_FLAG):
            out[m] = [str(v) for v in values.tolist()]
            continue
        if m != TB.COUNT and np.isnan(values).all():
            continue
        marker = TB.SUPPRESSED if m in (TB.COUNT, TB.PCT) else ""
        whole = m in (TB.COUNT, TB.N)
        out[m] = [marker if np.isnan(v) else (int(v) if whole else float(v)) for v in values.tolist()]
    return out


def table_frame(view: View, lang: str) -> pd.DataFrame:
    """``table_columns`` as a DataFrame (the table views; their headings are ``table_headers``)."""
    return pd.DataFrame(table_columns(view, lang))


def export_frame(view: View, lang: str) -> pd.DataFrame:
    """The published rows on screen as downloaded: ``table_columns`` headed in the reader's language
    (``table_headers``), each category's label beside its code (``export.labelled``)."""
    columns = table_columns(view, lang)
    for dim in view.dims:  # codes, not labels: ``labelled`` writes both
        columns[dim] = [str(v) for v in view.columns[dim].tolist()]
    names = {dim: labels(dim, lang) for dim in view.dims}
    return EX.labelled(pd.DataFrame(columns), table_headers(view, lang), names, t("export.code", lang))
