"""What the network page's two callbacks do, without Dash: the next choice after a control's button, and the
download a download button asks for.

Pure functions: the served ``Release`` (and vocabularies), the choice the page's store holds and the clicked
button's pattern-matching id in; a ``Choice``, an ``Export`` or a message key out. The store and the button are
browser state, so both are checked again here against what the tier publishes and exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dashboard.data.vocab import Vocabularies
from dashboard.published.table import Release
from dashboard.views.downloads import Export, format_of, key_of
from dashboard.views.network import CONTROLS, Choice, choice_from, export_parts, export_table, view_tables

NOT_AVAILABLE: Final = "network.not_available"


def next_choice(release: Release, current: object, button: Mapping[str, Any]) -> Choice | None:
    """The choice after pressing ``button`` (``{"control": …, "value": …}``) on the view ``current``, or None
    when the store, the control or the value is not one the release publishes (forged or stale)."""
    control = key_of(button, "control", CONTROLS)
    if not isinstance(current, dict) or control is None:
        return None
    return choice_from(release, {**current, control: button.get("value")})


def export_of(
    release: Release, vocab: Vocabularies, current: object, button: Mapping[str, Any], lang: str
) -> Export | str:
    """The published table a download button (``{"table": …, "fmt": …}``) asks for, as the view ``current``
    shows it, in a format the tier exports; else the message key to show (``NOT_AVAILABLE``)."""
    choice = choice_from(release, current)
    fmt = format_of(button, release.tier)
    if choice is None or fmt is None:
        return NOT_AVAILABLE
    tables = view_tables(release, choice)
    name = key_of(button, "table", tables)
    if name is None:
        return NOT_AVAILABLE
    return Export(export_table(release, vocab, name, tables[name], lang), name, fmt, export_parts(choice))
