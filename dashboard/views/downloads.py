"""What a page's download button asks for, decided without Dash: the published rows to send, or a refusal.

Each page's ``download`` callback finds the button that was clicked (``components.toggles.clicked``), hands it to
its view's pure function (``views.network_actions.export_of``, ``views.explore.export_of``,
``views.voices.export_of``), which checks the button against what the tier publishes and exports and returns an
``Export``; the callback hands that to ``components.download.reply`` (``send``: the one writer, the audit record). The
button is browser state: any of its values may be forged.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any, NamedTuple

import pandas as pd

from dashboard.published import export as EX


class Export(NamedTuple):
    """One download: the rows as the file holds them, the table's name, the format, the parts of the file name."""

    frame: pd.DataFrame
    table: str
    fmt: str
    parts: tuple[object, ...]


def format_of(button: Mapping[str, Any], tier: str) -> str | None:
    """The button's format when the tier's policy exports it (``TierPolicy.exports``), else None."""
    fmt = button.get("fmt")
    return fmt if isinstance(fmt, str) and fmt in EX.formats_for(tier) else None


def key_of(button: Mapping[str, Any], key: str, known: Container[str]) -> str | None:
    """The button's ``key`` value when it is text and one of ``known``, else None (a forged list or number too)."""
    value = button.get(key)
    return value if isinstance(value, str) and value in known else None
