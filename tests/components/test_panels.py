"""The shared page parts: toggle-button groups and the chart panel."""

import json
from pathlib import Path

import pandas as pd
from dash import html

from dashboard.components.chart import CardOptions, PanelParts, chart_card, chart_panel
from dashboard.components.toggles import WIDE_AFTER, toggle_group


def _ids(component) -> list:
    found = []

    def walk(node):
        if hasattr(node, "id") and getattr(node, "id", None) is not None:
            found.append(node.id)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(component)
    return found


def test_tg001_a_toggle_group_is_a_fieldset_with_one_pressed_button():
    group = toggle_group("g", "Wave", [("2024", "2024"), ("all", "All waves")], "all", "choice", {"dim": "wave"})
    assert group.id == "g" and isinstance(group, html.Fieldset)
    legend, listing = group.children
    assert legend.children == "Wave"
    buttons = listing.children
    assert [b.id for b in buttons] == [{"type": "choice", "dim": "wave", "value": v} for v in ("2024", "all")]
    assert [getattr(b, "aria-pressed") for b in buttons] == ["false", "true"]
    assert all(b.type == "button" for b in buttons)  # a button: Tab reaches it, Enter and Space press it


def test_tg002_every_option_is_shown_and_many_options_take_a_whole_row():
    many = [(str(i), f"Option {i}") for i in range(WIDE_AFTER + 1)]
    group = toggle_group("g", "City", many, "0", "choice", {"dim": "city"})
    assert "choice-group-wide" in group.className and len(group.children[1].children) == len(many)
    css = (Path(__file__).resolve().parents[2] / "assets" / "style.css").read_text(encoding="utf-8")
    rule = css[css.index(".choice-list {") :].split("}", 1)[0]
    assert "max-height" not in rule and "overflow" not in rule  # no scroll box that clips labels


def test_cp001_a_chart_panel_has_every_accessible_twin():
    panel = chart_card(
        "g",
        "Title",
        {"data": [], "layout": {}},
        "Caption",
        "Summary.",
        pd.DataFrame({"a": [1]}),
        "en",
        CardOptions(legend=True),
    )
    text = json.dumps(panel.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert "g-title" in _ids(panel) and "g-summary" in _ids(panel) and "g" in _ids(panel)
    assert "Summary." in text and "Caption" in text and "Table view" in text and "use with caution" in text
    figure = next(c for c in panel.children if getattr(c, "role", None) == "figure")
    assert getattr(figure, "aria-labelledby") == "g-title" and getattr(figure, "aria-describedby") == "g-summary"


def test_cp002_a_panel_filled_by_callbacks_keeps_its_ids():
    panel = chart_panel(
        "c", "T", html.Div(id="drawing"), "Cap", "fr", PanelParts(summary=None, summary_id="s", table=html.Div(id="tv"))
    )
    assert {"c-title", "s", "drawing", "tv"} <= set(_ids(panel))
    assert "Vue en tableau" in json.dumps(panel.to_plotly_json(), default=lambda o: o.to_plotly_json())
