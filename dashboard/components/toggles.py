"""A group of toggle buttons: a labelled fieldset, one button per option, the chosen one ``aria-pressed``.

Used for every filter of every page. Dash 4's dropdown and radio items fail axe-core (a focusable ``aria-hidden``
input; options nested in a listbox), so the choices are plain buttons: each reachable with Tab and pressed with
Enter or Space. Every option is visible: the list wraps (no fixed-height scroll box), a long label wraps inside
its button, and a group of many options spans the whole row of a filter grid (``assets/style.css``:
``.choice-group``), so labels longer in French than in English still fit at any width. ``clicked`` tells a real
click on any pattern-matching button (an option, a download) from a button just drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from dash import html

from dashboard.components.aria import Aria

WIDE_AFTER: Final = 6  # a group with more options than this takes a whole row of the filter grid
PRESSED: Final = "aria-pressed"


def clicked(triggered_id: Any, triggered: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The pattern-matching id of the button that fired a callback, if it was really clicked (else None)."""
    fired = triggered[0].get("value") if triggered else None
    ok = isinstance(triggered_id, dict) and isinstance(fired, int) and not isinstance(fired, bool) and fired > 0
    return triggered_id if ok else None


def pressed(value: str, selected: str) -> str:
    """The ``aria-pressed`` value of an option's button."""
    return "true" if value == selected else "false"


def toggle_group(
    group_id: str,
    legend: str,
    options: Sequence[tuple[str, str]],
    selected: str,
    id_type: str,
    key: Mapping[str, str],
) -> html.Fieldset:
    """A fieldset ``group_id`` with legend ``legend`` and a button per ``(value, label)`` option.

    Each button's id is ``{"type": id_type, **key, "value": value}`` (a pattern-matching id, so one callback
    listens to every option); the button whose value is ``selected`` is pressed.
    """
    buttons = [
        html.Button(
            label,
            id={"type": id_type, **key, "value": value},
            className="choice",
            type="button",
            n_clicks=0,
            **Aria({PRESSED: pressed(value, selected)}),
        )
        for value, label in options
    ]
    wide = " choice-group-wide" if len(options) > WIDE_AFTER else ""
    return html.Fieldset(
        [html.Legend(legend), html.Div(buttons, className="choice-list")],
        className=f"choice-group{wide}",
        id=group_id,
    )
