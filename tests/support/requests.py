"""The explore page's callback requests, as the browser sends them to ``/_dash-update-component``.

Used by the benchmark (to time every explore callback server side) and by the tests that post forged requests.
Pure: a view and the published options in, a JSON-able payload out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from dashboard import ids
from dashboard.views.state import ALL, PARAMS, Options, ViewState

CLICK_CHARTS = ("map", "sector", "labour_site", "victimisation_type", "heatmap")
CHART_NAMES = ("map", "sector", "labour_site", "victimisation_type", "heatmap", "trend_contact", "trend_trained")
WAVE = "wave"


def choice_ids(options: Options) -> list[dict[str, str]]:
    """Every filter button of the page, in layout order."""
    out = [{"type": ids.EXPLORE_CHOICE, "dim": WAVE, "value": str(w)} for w in sorted(options.waves, reverse=True)]
    out.append({"type": ids.EXPLORE_CHOICE, "dim": WAVE, "value": "all"})
    for dim in (d for d in PARAMS.values() if d in options.categories):
        values = (ALL, *options.categories[dim])
        out += [{"type": ids.EXPLORE_CHOICE, "dim": dim, "value": v} for v in values]
    return out


def _prop(component_id: str | dict, prop: str) -> str:
    if isinstance(component_id, dict):
        component_id = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return f"{component_id}.{prop}"


def _multi(parts: Iterable[str]) -> str:
    """Dash's name of a multi-output callback: ``..a.prop...b.prop..``."""
    return ".." + "...".join(parts) + ".."


def chart_request(chart: str, query: Any) -> dict[str, Any]:
    """The request that redraws one chart (figure, summary, table view, message) for the view in ``query``."""
    outputs = [{"id": ids.explore_id(kind, chart), "property": prop} for kind, prop in _CHART_OUTPUTS]
    return {
        "output": _multi(_prop(o["id"], o["property"]) for o in outputs),
        "outputs": outputs,
        "inputs": [{"id": ids.EXPLORE_STATE, "property": "data", "value": query}],
        "changedPropIds": [f"{ids.EXPLORE_STATE}.data"],
        "state": [],
    }


_CHART_OUTPUTS = (("graph", "figure"), ("summary", "children"), ("table", "children"), ("message", "children"))


def kpi_request(query: Any) -> dict[str, Any]:
    return {
        "output": f"{ids.EXPLORE_KPIS}.children",
        "outputs": {"id": ids.EXPLORE_KPIS, "property": "children"},
        "inputs": [{"id": ids.EXPLORE_STATE, "property": "data", "value": query}],
        "changedPropIds": [f"{ids.EXPLORE_STATE}.data"],
        "state": [],
    }


def choice_request(
    options: Options, state: ViewState, choice: dict[str, str], removes: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A click on one filter button (``choice`` may be forged: any dim and value)."""
    choices = choice_ids(options)
    remove_ids = [{"type": ids.EXPLORE_REMOVE, "dim": d} for d in removes or state.filter_dims]
    pattern = {"dim": ["ALL"], "type": ids.EXPLORE_CHOICE, "value": ["ALL"]}
    outputs = [
        {"id": ids.EXPLORE_STATE, "property": "data"},
        [{"id": c, "property": "aria-pressed"} for c in choices],
        {"id": ids.EXPLORE_NOTICE, "property": "children"},
        {"id": ids.EXPLORE_ACTIVE, "property": "children"},
    ]
    output = _multi(
        (
            f"{ids.EXPLORE_STATE}.data",
            _prop(pattern, "aria-pressed"),
            f"{ids.EXPLORE_NOTICE}.children",
            f"{ids.EXPLORE_ACTIVE}.children",
        )
    )
    inputs: list[Any] = [
        [{"id": c, "property": "n_clicks", "value": 1 if c == choice else None} for c in choices]
        + ([] if choice in choices else [{"id": choice, "property": "n_clicks", "value": 1}]),
        [{"id": r, "property": "n_clicks", "value": None} for r in remove_ids],
        {"id": ids.EXPLORE_RESET, "property": "n_clicks", "value": None},
        *[{"id": ids.explore_id("graph", c), "property": "clickData", "value": None} for c in CLICK_CHARTS],
    ]
    return {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": [_prop(choice, "n_clicks")],
        "state": [{"id": ids.EXPLORE_STATE, "property": "data", "value": state.to_query()}],
    }


def download_request(chart: str, fmt: str, query: Any) -> dict[str, Any]:
    """A click on one download button."""
    button = {"type": ids.EXPLORE_DOWNLOAD_BUTTON, "chart": chart, "fmt": fmt}
    buttons = [
        {"type": ids.EXPLORE_DOWNLOAD_BUTTON, "chart": c, "fmt": f} for c in CHART_NAMES for f in ("csv", "xlsx")
    ]
    body = _click_body(ids.EXPLORE_DOWNLOAD, button, buttons)
    return {**body, "state": [{"id": ids.EXPLORE_STATE, "property": "data", "value": query}]}


def _click_body(download: str, button: dict[str, str], buttons: list[dict[str, str]]) -> dict[str, Any]:
    """A click on ``button``, one of the page's pattern-matching download ``buttons``, answered in ``download``."""
    if button not in buttons:
        buttons.append(button)
    return {
        "output": f"{download}.data",
        "outputs": {"id": download, "property": "data"},
        "inputs": [[{"id": b, "property": "n_clicks", "value": 1 if b == button else None} for b in buttons]],
        "changedPropIds": [_prop(button, "n_clicks")],
    }


def summary_download_request(card: str, fmt: str, cards: tuple[str, ...] = ()) -> dict[str, Any]:
    """A click on one download button of the summary page (``/``); ``cards``: the other buttons on the page."""
    button = {"type": ids.SUMMARY_DOWNLOAD_BUTTON, "chart": card, "fmt": fmt}
    buttons = [{"type": ids.SUMMARY_DOWNLOAD_BUTTON, "chart": c, "fmt": f} for c in cards for f in ("csv", "xlsx")]
    return _click_body(ids.SUMMARY_DOWNLOAD, button, buttons)
