"""How the explore page's view changes: what a click stands for, and the next view it leads to.

Pure functions, no Dash, no request: the page's callback turns Dash's triggered id into a ``Trigger``
(``trigger_of``) and hands it to ``next_state``, which checks every change against what the tier publishes and
returns the new view with a notice (a catalogue key and its values, translated by the page) for each change it
refused. A download button goes to ``export_of``: the published rows behind its chart, as on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from dashboard import ids
from dashboard.i18n import t
from dashboard.parsing import ascii_digits
from dashboard.published import dims as D
from dashboard.published.table import Release
from dashboard.views import charts as CH
from dashboard.views.downloads import Export, format_of, key_of
from dashboard.views.state import ALL, DIM_PARAM, PARAMS, WAVE_PARAM, Options, ViewState, parse

WAVE_DIM: Final = "wave"  # the wave's filter group (not a dimension: the wave is always set)
CLICK_CHARTS: Final = ("map", "sector", "labour_site", "victimisation_type", "heatmap")
GRAPH_PREFIX: Final = ids.explore_id("graph", "")

RESET: Final = "reset"
REMOVE: Final = "remove"
CHOICE: Final = "choice"
CLICK: Final = "click"
REFUSED: Final = "explore.notice.refused"
TOO_MANY: Final = "explore.notice.too_many"

Notice = tuple[str, dict[str, str]]  # (message key, values)


@dataclass(frozen=True)
class Trigger:
    """What asked for a new view: the reset button, a chip's remove button, a filter button, a click on a chart."""

    kind: str  # RESET, REMOVE, CHOICE or CLICK
    dim: str = ""  # REMOVE, CHOICE: the filter group
    value: str = ""  # CHOICE: the option
    chart: str = ""  # CLICK: the chart clicked
    click: Any = None  # CLICK: the chart's clickData, as the browser sent it (may be forged)


def trigger_of(triggered_id: Any, clicks: Sequence[Any]) -> Trigger | None:
    """The ``Trigger`` of a Dash triggered id (``clicks``: the clickData of ``CLICK_CHARTS``, in order)."""
    if triggered_id == ids.EXPLORE_RESET:
        return Trigger(RESET)
    if isinstance(triggered_id, dict):
        kind = {ids.EXPLORE_REMOVE: REMOVE, ids.EXPLORE_CHOICE: CHOICE}.get(str(triggered_id.get("type")))
        if kind is not None:
            return Trigger(kind, str(triggered_id.get("dim")), str(triggered_id.get("value")))
    if isinstance(triggered_id, str) and triggered_id.startswith(GRAPH_PREFIX):
        chart = triggered_id.removeprefix(GRAPH_PREFIX)
        if chart in CLICK_CHARTS and len(clicks) == len(CLICK_CHARTS):
            return Trigger(CLICK, chart=chart, click=clicks[CLICK_CHARTS.index(chart)])
    return None


def click_filters(chart: str, click: Any, options: Options) -> list[tuple[str, str]]:
    """The filters a click on a chart stands for: a province or city, a category, or a heatmap's two."""
    if not isinstance(click, dict) or not click.get("points") or not isinstance(click["points"], list):
        return []
    point = click["points"][0]
    data = point.get("customdata") if isinstance(point, dict) else None
    if chart == "map" and isinstance(data, list) and len(data) == 2:
        return [(D.PROVINCE if data[0] == "province" else D.CITY, str(data[1]))]
    if chart == "heatmap" and isinstance(data, list) and len(data) == 2:
        return [(options.sector_dim, str(data[0])), (D.LABOUR_SITE, str(data[1]))]
    dim = {"sector": options.sector_dim, "labour_site": D.LABOUR_SITE, "victimisation_type": D.VICTIMISATION}.get(chart)
    return [(dim, str(data))] if dim and isinstance(data, str) else []


def _wave(state: ViewState, options: Options, value: str) -> tuple[ViewState, list[Notice]]:
    if value == ALL:
        return ViewState(None, state.filters), []
    if ascii_digits(value, 4) and int(value) in options.waves:
        return ViewState(int(value), state.filters), []
    return state, [(REFUSED, {})]


def with_filters(
    state: ViewState, options: Options, changes: Sequence[tuple[str, str]]
) -> tuple[ViewState, list[Notice]]:
    """``state`` with each change the tier allows (a published category, at most ``max_dims`` filters)."""
    notices: list[Notice] = []
    for dim, value in changes:
        if dim not in options.categories or (value != ALL and not options.allows(dim, value)):
            notices.append((REFUSED, {}))
            continue
        candidate = state.with_filter(dim, value)
        if len(candidate.filters) > options.max_dims:
            notices.append((TOO_MANY, {"param": DIM_PARAM.get(dim, dim), "count": str(options.max_dims)}))
            continue
        state = candidate
    return state, notices


def next_state(state: ViewState, options: Options, trigger: Trigger | None) -> tuple[ViewState, list[Notice]]:
    """The view after ``trigger`` (unchanged, with a notice, where the tier does not allow the change)."""
    if trigger is None:
        return state, []
    if trigger.kind == RESET:
        return ViewState(max(options.waves)), []
    if trigger.kind == REMOVE:
        return state.with_filter(trigger.dim, None), []
    if trigger.kind == CHOICE and trigger.dim == WAVE_DIM:
        return _wave(state, options, trigger.value)
    if trigger.kind == CHOICE:
        return with_filters(state, options, [(trigger.dim, trigger.value)])
    if trigger.kind == CLICK:
        return with_filters(state, options, click_filters(trigger.chart, trigger.click, options))
    return state, []


def selected(state: ViewState, group: str) -> str:
    """The option of filter group ``group`` (the wave or a dimension) that the view has chosen."""
    if group == WAVE_DIM:
        return ALL if state.wave is None else str(state.wave)
    return state.value(group) or ALL


def export_of(release: Release, query: object, button: Mapping[str, Any], lang: str) -> Export | None:
    """The published table behind a chart's download button (``{"chart": …, "fmt": …}``) for the view in the
    URL store ``query`` (re-parsed: browser state), as on screen and never more, in a format the tier exports;
    None for an unknown chart, a format the tier does not export, or a view the tier does not publish."""
    name = key_of(button, "chart", CH.CHART_BY_NAME)
    fmt = format_of(button, release.tier)
    if name is None or fmt is None:
        return None
    options = Options.cached(release)
    state = parse(str(query or ""), options).state
    chart = CH.CHART_BY_NAME[name]
    view = CH.map_table_view(release, state) if chart.kind == "map" else CH.chart_view(release, state, chart, options)
    if not view.ok:
        return None
    parts = tuple(state.to_query().lstrip("?").split("&"))  # wave=2024, role=management, …
    return Export(CH.export_frame(view, lang), name, fmt, parts)


def param_label(values: dict[str, str], lang: str) -> dict[str, str]:
    """A notice's ``param`` (an address code: ``role``, ``wave``) as the reader reads it ("Rôle"); {} for another."""
    param = values.get("param", "")
    if param == WAVE_PARAM:
        return {"param": t("explore.wave", lang)}
    if param in PARAMS:
        return {"param": CH.dim_title(PARAMS[param], lang)}
    return {}
